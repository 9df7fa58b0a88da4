/**
 * How an example agent answers an intent, chosen by a test (or a demo) so the orchestrator can
 * be shown every path: success, transient failure, refusal, a task that never ends, a slow one,
 * and a reply that breaks the output contract.
 */
export type Behaviour =
  /** Completes at once with the intent's output. */
  | { readonly kind: 'succeed' }
  /** FAILED with `message`; the first `times` messages only, then it succeeds. Absent: always. */
  | { readonly kind: 'fail'; readonly times?: number; readonly message?: string }
  /** REJECTED with `message`: the agent will not do it. */
  | { readonly kind: 'reject'; readonly message?: string }
  /** Stays WORKING until the task is cancelled. */
  | { readonly kind: 'hang' }
  /** WORKING for `delayMs`, then completes (a cancel in between ends it CANCELED). */
  | { readonly kind: 'slow'; readonly delayMs: number }
  /** Completes with a reply that breaks the output contract (docs/agents.md). */
  | { readonly kind: 'garbage'; readonly variant?: GarbageVariant }
  /** INPUT_REQUIRED: asks for a person, which the orchestrator never is. */
  | { readonly kind: 'input-required' };

export type BehaviourKind = Behaviour['kind'];

/**
 * `text`: a text part where the data part belongs; `not-an-object`: a data part holding an
 * array; `message`: a bare message instead of a task.
 */
export const GARBAGE_VARIANTS = ['text', 'not-an-object', 'message'] as const;
export type GarbageVariant = (typeof GARBAGE_VARIANTS)[number];

const KINDS: readonly BehaviourKind[] = [
  'succeed',
  'fail',
  'reject',
  'hang',
  'slow',
  'garbage',
  'input-required',
];

/** Checks a behaviour read from JSON; the error says what is wrong with it. */
export function parseBehaviour(raw: unknown): Behaviour | { readonly error: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { error: 'a behaviour is an object such as {"kind": "fail", "times": 2}' };
  }
  const fields = raw as Readonly<Record<string, unknown>>;
  const kind = fields['kind'];
  const message = optionalText(fields['message']);
  switch (kind) {
    case 'succeed':
    case 'hang':
    case 'input-required':
      return { kind };
    case 'reject':
      return message === undefined ? { kind } : { kind, message };
    case 'fail': {
      const times = fields['times'];
      if (times !== undefined && !isCount(times)) {
        return {
          error: `"times" must be a whole number of at least 0, not ${JSON.stringify(times)}`,
        };
      }
      return {
        kind,
        ...(times === undefined ? {} : { times }),
        ...(message === undefined ? {} : { message }),
      };
    }
    case 'slow': {
      const delayMs = fields['delayMs'];
      return isCount(delayMs)
        ? { kind, delayMs }
        : { error: `"slow" needs "delayMs", a whole number of milliseconds` };
    }
    case 'garbage': {
      const variant = fields['variant'];
      if (variant === undefined) {
        return { kind };
      }
      return GARBAGE_VARIANTS.includes(variant as GarbageVariant)
        ? { kind, variant: variant as GarbageVariant }
        : { error: `"variant" is one of ${GARBAGE_VARIANTS.join(', ')}` };
    }
    default:
      return { error: `"kind" is one of ${KINDS.join(', ')}, not ${JSON.stringify(kind)}` };
  }
}

export function isBehaviour(value: Behaviour | { readonly error: string }): value is Behaviour {
  return !('error' in value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
