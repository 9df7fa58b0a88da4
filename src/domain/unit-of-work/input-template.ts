import type { TaskId } from '../ids.js';
import { ancestorsOf, type DagNode } from './dag.js';

/**
 * Task inputs are JSON that may hold `${...}` references, resolved when the task starts:
 *
 * - `${journey.journeyId}`, `${journey.clientId}`, `${journey.stage}`
 * - `${tasks.<taskId>.output.<path>}`: the output of an upstream task of the same unit of work
 * - `${snapshot.tasks.<taskId>.output.<path>}`: rollback tasks only; the output a setup task of
 *   the stage being rolled back produced (kept in the rollback snapshot)
 *
 * A string that is exactly one reference becomes the referenced value with its JSON type; a
 * reference inside a longer string is interpolated as text (objects and arrays as JSON). `$${`
 * is a literal `${`. The task id runs up to the first `.output`; the output path is split on
 * `.`, and a numeric segment indexes an array. Only string values are templates, never keys.
 */
export const JOURNEY_FIELDS = ['journeyId', 'clientId', 'stage'] as const;
export type JourneyField = (typeof JOURNEY_FIELDS)[number];

/** Where in a JSON value something sits: object keys and array indexes, outermost first. */
export type JsonPath = readonly (string | number)[];

/** One `${...}` found in an input: where, its text, and why it is malformed (if it is). */
export interface TemplateReference {
  readonly path: JsonPath;
  /** The text between `${` and `}`, trimmed. */
  readonly reference: string;
  /** The reference as written, e.g. `${tasks.a.output.id}`. */
  readonly text: string;
  /** Set when the template itself is malformed (unterminated or empty `${}`). */
  readonly error?: string;
}

export type ParsedReference =
  | { readonly root: 'journey'; readonly field: JourneyField }
  | {
      readonly root: 'tasks' | 'snapshot';
      readonly taskId: TaskId;
      readonly outputPath: readonly string[];
    };

export type Segment =
  | { readonly kind: 'text'; readonly text: string }
  | {
      readonly kind: 'reference';
      readonly reference: string;
      readonly text: string;
      readonly error?: string;
    };

/** Splits a template string into literal text and references (`$${` is literal `${`). */
export function segmentsOf(text: string): Segment[] {
  const segments: Segment[] = [];
  let literal = '';
  let index = 0;
  while (index < text.length) {
    if (text.startsWith('$${', index)) {
      literal += '${';
      index += 3;
    } else if (text.startsWith('${', index)) {
      const end = text.indexOf('}', index + 2);
      if (literal !== '') {
        segments.push({ kind: 'text', text: literal });
        literal = '';
      }
      if (end < 0) {
        const reference = text.slice(index + 2).trim();
        segments.push({
          kind: 'reference',
          reference,
          text: text.slice(index),
          error: 'unterminated "${" (add "}")',
        });
        return segments;
      }
      const reference = text.slice(index + 2, end).trim();
      const written = text.slice(index, end + 1);
      segments.push(
        reference === ''
          ? { kind: 'reference', reference, text: written, error: 'empty reference' }
          : { kind: 'reference', reference, text: written },
      );
      index = end + 1;
    } else {
      literal += text[index];
      index += 1;
    }
  }
  if (literal !== '') {
    segments.push({ kind: 'text', text: literal });
  }
  return segments;
}

/** Every `${...}` in a JSON value, with the path of the string that holds it. */
export function parseReferences(input: unknown): TemplateReference[] {
  const found: TemplateReference[] = [];
  walkStrings(input, [], (text, path) => {
    for (const segment of segmentsOf(text)) {
      if (segment.kind === 'reference') {
        const { reference, text: written, error } = segment;
        found.push(
          error === undefined
            ? { path, reference, text: written }
            : { path, reference, text: written, error },
        );
      }
    }
  });
  return found;
}

function walkStrings(
  value: unknown,
  path: JsonPath,
  visit: (text: string, path: JsonPath) => void,
): void {
  if (typeof value === 'string') {
    visit(value, path);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => walkStrings(item, [...path, index], visit));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      walkStrings(item, [...path, key], visit);
    }
  }
}

const TASK_REFERENCE = /^(.+?)\.output(?:\.(.*))?$/s;

/** Reads the text of one reference: `journey.clientId`, `tasks.a.output.id`, ... */
export function parseReference(
  reference: string,
): { ok: true; value: ParsedReference } | { ok: false; error: string } {
  const [root = '', ...rest] = reference.split('.');
  if (root === 'journey') {
    const field = rest.join('.');
    return (JOURNEY_FIELDS as readonly string[]).includes(field)
      ? { ok: true, value: { root: 'journey', field: field as JourneyField } }
      : {
          ok: false,
          error: `unknown journey field "${field}" (journey fields: ${JOURNEY_FIELDS.join(', ')})`,
        };
  }
  if (root === 'tasks' || (root === 'snapshot' && rest[0] === 'tasks')) {
    const prefix = root === 'tasks' ? 'tasks.' : 'snapshot.tasks.';
    const match = TASK_REFERENCE.exec(reference.slice(prefix.length));
    const outputPath = match?.[2]?.split('.') ?? [];
    if (match === null || outputPath.some((segment) => segment === '')) {
      return { ok: false, error: `expected ${prefix}<taskId>.output[.<path>]` };
    }
    return { ok: true, value: { root, taskId: match[1] as TaskId, outputPath } };
  }
  if (root === 'snapshot') {
    return { ok: false, error: 'expected snapshot.tasks.<taskId>.output[.<path>]' };
  }
  return {
    ok: false,
    error: `unknown reference root "${root}" (use journey, tasks or snapshot)`,
  };
}

/** What a template may reference where it is written. */
export interface ReferenceScope {
  /** Task outputs that may be read; absent: no task outputs here (e.g. criterion inputs). */
  readonly tasks?: {
    /** The tasks this one depends on, directly or not: their outputs exist when it starts. */
    readonly upstream: ReadonlySet<string>;
    /** Every task of the unit, to tell "not upstream" from "unknown". */
    readonly all: ReadonlySet<string>;
  };
  /** Setup tasks whose outputs the rollback snapshot holds; absent: not a rollback task. */
  readonly snapshotTasks?: ReadonlySet<string>;
}

export interface ReferenceProblem {
  readonly path: JsonPath;
  readonly reference: string;
  readonly message: string;
}

/** Every reference in `input` that is malformed or cannot resolve in `scope`. */
export function checkReferences(input: unknown, scope: ReferenceScope): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  for (const { path, reference, text, error } of parseReferences(input)) {
    const why = error ?? whyUnresolvable(reference, scope);
    if (why !== undefined) {
      problems.push({ path, reference, message: `"${text}": ${why}` });
    }
  }
  return problems;
}

function whyUnresolvable(reference: string, scope: ReferenceScope): string | undefined {
  const parsed = parseReference(reference);
  if (!parsed.ok) {
    return parsed.error;
  }
  const ref = parsed.value;
  if (ref.root === 'tasks') {
    if (scope.tasks === undefined) {
      return 'task outputs cannot be referenced here (only journey fields)';
    }
    if (!scope.tasks.all.has(ref.taskId)) {
      return `unknown task "${ref.taskId}"`;
    }
    if (!scope.tasks.upstream.has(ref.taskId)) {
      return `task "${ref.taskId}" is not upstream of this task (add it to dependsOn)`;
    }
  } else if (ref.root === 'snapshot') {
    if (scope.snapshotTasks === undefined) {
      return 'snapshot references are allowed only in rollback tasks';
    }
    if (!scope.snapshotTasks.has(ref.taskId)) {
      return `"${ref.taskId}" is not a setup task of this stage`;
    }
  }
  return undefined;
}

/** A task as the template rules see it. */
export interface TemplateTask extends DagNode {
  readonly input?: unknown;
}

export interface TemplateProblem extends ReferenceProblem {
  readonly taskIndex: number;
  readonly taskId: TaskId;
}

/**
 * Checks the references of every task of one unit of work: a task reads outputs of its
 * transitive dependencies only; a rollback task may also read the snapshot of `setupTaskIds`.
 */
export function validateTemplateReferences(
  tasks: readonly TemplateTask[],
  unit:
    | { readonly purpose: 'setup' }
    | { readonly purpose: 'rollback'; readonly setupTaskIds: readonly string[] },
): TemplateProblem[] {
  const all = new Set<string>(tasks.map((task) => task.taskId));
  const snapshotTasks = unit.purpose === 'rollback' ? new Set(unit.setupTaskIds) : undefined;
  return tasks.flatMap((task, taskIndex) => {
    const upstream: ReadonlySet<string> = ancestorsOf(tasks, task.taskId);
    const scope: ReferenceScope =
      snapshotTasks === undefined
        ? { tasks: { upstream, all } }
        : { tasks: { upstream, all }, snapshotTasks };
    return checkReferences(task.input, scope).map((problem) => ({
      ...problem,
      taskIndex,
      taskId: task.taskId,
    }));
  });
}

/** `["input", "items", 0, "id"]` -> `input.items[0].id`. */
export function formatJsonPath(path: JsonPath): string {
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') {
        return `[${segment}]`;
      }
      if (/^[A-Za-z_$][\w$-]*$/.test(segment)) {
        return index === 0 ? segment : `.${segment}`;
      }
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}
