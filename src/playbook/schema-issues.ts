import { z } from 'zod';
import type { JsonPath } from '../domain/unit-of-work/input-template.js';
import { suggestion, type PathProblem } from './problems.js';

/**
 * Turns zod's issues into problems a playbook author reads: our path format, "required" for a
 * missing key, "unknown key 'dependOn' (did you mean 'dependsOn'?)", and values quoted back.
 * @internal
 */
export function schemaProblems(
  schema: z.ZodType,
  data: unknown,
  issues: readonly z.core.$ZodIssue[],
): PathProblem[] {
  return issues.flatMap((issue) => problemsOf(schema, data, issue));
}

function problemsOf(schema: z.ZodType, data: unknown, issue: z.core.$ZodIssue): PathProblem[] {
  const path: JsonPath = issue.path.map((segment) =>
    typeof segment === 'symbol' ? String(segment) : segment,
  );
  const problem = (message: string, at: 'key' | 'value' = 'value'): PathProblem => ({
    kind: 'schema',
    path,
    message,
    at,
  });
  const { present, value } = lookup(data, path);

  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(schema, data, path);
      return issue.keys.map((key) => ({
        kind: 'schema',
        path: [...path, key],
        at: 'key',
        message: `unknown key '${key}'${suggestion(key, known, "'")}`,
      }));
    }
    case 'invalid_key':
      return [problem(issue.issues.map((inner) => inner.message).join('; '), 'key')];
    default:
      break;
  }
  if (!present) {
    const options = issue.code === 'invalid_union' ? unionOptions(issue) : undefined;
    return [
      problem(options === undefined ? 'required' : `required (one of: ${options.join(', ')})`),
    ];
  }
  return [problem(messageFor(issue, value))];
}

function messageFor(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return isDefaultMessage(issue.message)
        ? `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${describe(value)}`
        : issue.message;
    case 'invalid_union': {
      const options = unionOptions(issue);
      if (options === undefined) {
        return isDefaultMessage(issue.message)
          ? `${describe(value)} is not valid here`
          : issue.message;
      }
      const names = options.map(String);
      return `${describe(value)} is not one of: ${names.join(', ')}${hint(value, names)}`;
    }
    case 'invalid_value': {
      const names = issue.values.map((v) => JSON.stringify(v));
      return issue.values.length === 1
        ? `must be ${names[0]}, got ${describe(value)}`
        : `${describe(value)} is not one of: ${issue.values.map(String).join(', ')}${hint(value, issue.values.map(String))}`;
    }
    case 'too_small':
    case 'too_big': {
      if (!isDefaultMessage(issue.message)) {
        return issue.message;
      }
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      if (issue.origin === 'array') {
        return issue.code === 'too_small'
          ? `must have at least ${bound} item${bound === 1 ? '' : 's'}`
          : `must have at most ${bound} items`;
      }
      const op =
        issue.code === 'too_small' ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
      return `must be ${op} ${bound}, got ${describe(value)}`;
    }
    default:
      return issue.message;
  }
}

/** A discriminated union's issue lists the discriminator values it accepts. */
function unionOptions(issue: z.core.$ZodIssue): unknown[] | undefined {
  const options = (issue as { options?: unknown }).options;
  return Array.isArray(options) ? options : undefined;
}

/** zod's own English messages start like this; ours (set in schema.ts) do not. */
function isDefaultMessage(message: string): boolean {
  return /^(Invalid input|Invalid option|Too (small|big)|Invalid string)/.test(message);
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
};

function hint(value: unknown, names: readonly string[]): string {
  return typeof value === 'string' ? suggestion(value, names) : '';
}

/** A value as it reads back to the author: `"5 min"`, `12`, `a list`, `nothing (null)`. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) {
    return 'nothing';
  }
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return typeof value === 'object' ? 'a mapping' : typeof value;
}

/** The value at `path` in plain data, and whether its key exists at all. */
export function lookup(data: unknown, path: JsonPath): { present: boolean; value: unknown } {
  let current: unknown = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) {
      return { present: false, value: undefined };
    }
    current = (current as Record<string | number, unknown>)[segment];
  }
  return { present: true, value: current };
}

/** The keys the schema allows for the object at `path` (for did-you-mean). */
function knownKeys(schema: z.ZodType, data: unknown, path: JsonPath): string[] {
  let current: z.ZodType | undefined = schema;
  let value = data;
  for (const segment of path) {
    current = unwrap(current, value);
    if (current instanceof z.ZodObject) {
      current = (current.shape as Record<string, z.ZodType>)[String(segment)];
    } else if (current instanceof z.ZodArray) {
      current = current.element as z.ZodType;
    } else if (current instanceof z.ZodRecord) {
      current = current.valueType as z.ZodType;
    } else {
      return [];
    }
    value = lookup(value, [segment]).value;
  }
  current = unwrap(current, value);
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

/** Sees through optional, pipes (transforms) and unions (picked by the `type` of the data). */
function unwrap(schema: z.ZodType | undefined, value: unknown): z.ZodType | undefined {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else if (current instanceof z.ZodUnion) {
      const type = lookup(value, ['type']).value;
      const options = current.options as readonly z.ZodType[];
      current = options.find(
        (option) =>
          option instanceof z.ZodObject &&
          (option.shape as Record<string, z.ZodType>)['type'] instanceof z.ZodLiteral &&
          ((option.shape as Record<string, z.ZodLiteral>)['type']?.values.has(type as never) ??
            false),
      );
    } else {
      return current;
    }
  }
}
