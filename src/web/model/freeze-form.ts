import type { FreezeRequest } from '../api/control-types.js';
import type { Problem } from '../api/types.js';

/**
 * The add-a-freeze form as data: what the inputs hold, the request they make, and the API's
 * refusal (FREEZE_INVALID's `problems`, or a schema's `errors`) spread back onto its fields.
 */

export const FREEZE_KINDS = ['one-off', 'recurring'] as const;
export type FreezeKind = (typeof FREEZE_KINDS)[number];

export const FREEZE_FIELDS = [
  'id',
  'description',
  'from',
  'to',
  'schedule',
  'duration',
  'timezone',
  'reason',
] as const;
export type FreezeField = (typeof FREEZE_FIELDS)[number];

export type FreezeFormValues = { readonly kind: FreezeKind } & Readonly<
  Record<FreezeField, string>
>;

export function emptyFreezeForm(timezone: string): FreezeFormValues {
  return {
    kind: 'one-off',
    id: '',
    description: '',
    from: '',
    to: '',
    schedule: '',
    duration: '',
    timezone,
    reason: '',
  };
}

/** The request: trimmed, empty fields left out, and only the kind's pair (from/to or schedule/duration). */
export function freezeRequestOf(values: FreezeFormValues): FreezeRequest {
  const pair: readonly FreezeField[] =
    values.kind === 'one-off' ? ['from', 'to'] : ['schedule', 'duration'];
  const fields: FreezeField[] = ['id', 'description', ...pair, 'timezone', 'reason'];
  const request: Record<string, string> = {};
  for (const field of fields) {
    const value = values[field].trim();
    if (value !== '') {
      request[field] = value;
    }
  }
  return request as unknown as FreezeRequest;
}

export interface FreezeProblems {
  readonly byField: Readonly<Partial<Record<FreezeField, readonly string[]>>>;
  /** Problems of the window as a whole (e.g. "both or neither pair"), or of no known field. */
  readonly general: readonly string[];
}

export const NO_FREEZE_PROBLEMS: FreezeProblems = { byField: {}, general: [] };

/** Spreads a refusal's problems over the form's fields; anything else is general. */
export function freezeProblemsOf(problem: Problem): FreezeProblems {
  const listed = problemList(problem);
  const byField: Partial<Record<FreezeField, string[]>> = {};
  const general: string[] = [];
  for (const { path, message } of listed) {
    const field = path.replace(/^\//, '').split(/[./]/)[0] ?? '';
    if (isFreezeField(field)) {
      (byField[field] ??= []).push(message);
    } else {
      general.push(path === '' ? message : `${path}: ${message}`);
    }
  }
  return { byField, general };
}

function problemList(problem: Problem): readonly { path: string; message: string }[] {
  const problems = problem.details?.['problems'];
  if (Array.isArray(problems)) {
    return problems.flatMap((item: unknown) => {
      if (typeof item !== 'object' || item === null) {
        return [];
      }
      const { path, message } = item as Record<string, unknown>;
      return typeof message === 'string'
        ? [{ path: typeof path === 'string' ? path : '', message }]
        : [];
    });
  }
  return (problem.errors ?? []).map(({ path, message }) => ({ path, message }));
}

function isFreezeField(name: string): name is FreezeField {
  return (FREEZE_FIELDS as readonly string[]).includes(name);
}
