import type { JsonValue } from '../json.js';
import {
  formatJsonPath,
  parseReference,
  segmentsOf,
  type JsonPath,
  type Segment,
} from './input-template.js';

/**
 * Resolving task inputs when a task starts: every `${...}` reference in the input is replaced
 * by the journey field, upstream output or snapshot value it names (see input-template.ts for
 * the syntax and the load-time checks).
 */

type Outputs = Readonly<Record<string, { readonly output?: JsonValue }>>;

/** What references resolve against when a task starts. */
export interface TemplateContext {
  readonly journey: {
    readonly journeyId: string;
    readonly clientId: string;
    readonly stage: string;
  };
  /** Outputs of the tasks of the same unit that have succeeded. */
  readonly tasks: Outputs;
  /** Rollback units: the setup outputs captured in the snapshot. */
  readonly snapshot?: { readonly tasks: Outputs };
}

/**
 * Replaces every reference in `input`. A reference that does not resolve is an error naming it
 * (and every other one that fails), never a silent `undefined`.
 */
export function resolveInput(
  input: JsonValue,
  context: TemplateContext,
): { ok: true; value: JsonValue } | { ok: false; error: string } {
  const errors: string[] = [];
  const value = resolveValue(input, [], context, errors);
  return errors.length === 0 ? { ok: true, value } : { ok: false, error: errors.join('; ') };
}

function resolveValue(
  value: JsonValue,
  path: JsonPath,
  context: TemplateContext,
  errors: string[],
): JsonValue {
  if (typeof value === 'string') {
    return resolveString(value, path, context, errors);
  }
  if (Array.isArray(value)) {
    return (value as readonly JsonValue[]).map((item, index) =>
      resolveValue(item, [...path, index], context, errors),
    );
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        resolveValue(item, [...path, key], context, errors),
      ]),
    );
  }
  return value;
}

function resolveString(
  text: string,
  path: JsonPath,
  context: TemplateContext,
  errors: string[],
): JsonValue {
  const segments = segmentsOf(text);
  const only = segments.length === 1 ? segments[0] : undefined;
  if (only?.kind === 'reference') {
    // `undefined` means it failed (and was recorded); `null` is a value like any other.
    const found = lookup(only, path, context, errors);
    return found === undefined ? text : found;
  }
  return segments
    .map((segment) => {
      if (segment.kind === 'text') {
        return segment.text;
      }
      const found = lookup(segment, path, context, errors);
      return typeof found === 'string' ? found : JSON.stringify(found ?? null);
    })
    .join('');
}

function lookup(
  segment: Extract<Segment, { kind: 'reference' }>,
  path: JsonPath,
  context: TemplateContext,
  errors: string[],
): JsonValue | undefined {
  const fail = (why: string): undefined => {
    errors.push(`"${segment.text}" at ${formatJsonPath(['input', ...path])}: ${why}`);
    return undefined;
  };
  if (segment.error !== undefined) {
    return fail(segment.error);
  }
  const parsed = parseReference(segment.reference);
  if (!parsed.ok) {
    return fail(parsed.error);
  }
  const ref = parsed.value;
  if (ref.root === 'journey') {
    return context.journey[ref.field];
  }
  const outputs = ref.root === 'tasks' ? context.tasks : context.snapshot?.tasks;
  if (outputs === undefined) {
    return fail('there is no rollback snapshot here');
  }
  const task = Object.hasOwn(outputs, ref.taskId) ? outputs[ref.taskId] : undefined;
  if (task === undefined) {
    return fail(`task "${ref.taskId}" has no recorded result`);
  }
  if (task.output === undefined) {
    return fail(`task "${ref.taskId}" produced no output`);
  }
  let current: JsonValue = task.output;
  for (const [index, key] of ref.outputPath.entries()) {
    const next = child(current, key);
    if (next === undefined) {
      const where = [ref.root === 'tasks' ? 'tasks' : 'snapshot.tasks', ref.taskId, 'output']
        .concat(ref.outputPath.slice(0, index))
        .join('.');
      return fail(`${where} has no "${key}"`);
    }
    current = next;
  }
  return current;
}

function child(value: JsonValue, key: string): JsonValue | undefined {
  if (Array.isArray(value)) {
    return /^\d+$/.test(key) ? (value as readonly JsonValue[])[Number(key)] : undefined;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as { readonly [key: string]: JsonValue };
    return Object.hasOwn(record, key) ? record[key] : undefined;
  }
  return undefined;
}
