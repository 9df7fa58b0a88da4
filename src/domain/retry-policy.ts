import { addMillis, type Instant, type Millis } from './time.js';

/**
 * How a task's failed attempts are retried: data, validated where it is read (the playbook), so
 * the executor and the tests agree on what "exponential backoff with jitter" means.
 */
export interface RetryPolicy {
  /** Attempts after the first; a task runs at most `maxRetries + 1` times per round. @default 3 */
  readonly maxRetries: number;
  /** Delay before the first retry. @default 1s */
  readonly initialInterval: Millis;
  /** Each further retry waits this many times longer. @default 2 */
  readonly backoffCoefficient: number;
  /** No delay grows past this. @default 5m */
  readonly maxInterval: Millis;
  /** Fraction (0..1) by which a delay is spread up or down at random, so retries do not align. @default 0.2 */
  readonly jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxRetries: 3,
  initialInterval: 1_000,
  backoffCoefficient: 2,
  maxInterval: 5 * 60_000,
  jitter: 0.2,
});

/**
 * How long to wait after the `failedAttemptInRound`-th attempt of a round failed (1 = the first
 * attempt). Exponential backoff capped at `maxInterval`, spread by `jitter` so that tasks which
 * failed together do not retry together, then raised to `retryAfter` when the agent asked for a
 * pause: the agent knows its own load better than our formula, so its hint may exceed the cap.
 *
 * @param random a number in [0, 1) from the caller's random source (the domain reads none).
 */
export function retryDelay(
  policy: RetryPolicy,
  failedAttemptInRound: number,
  random: number,
  retryAfter?: Millis,
): Millis {
  const { initialInterval, backoffCoefficient, maxInterval, jitter } = policy;
  // `0 * Infinity` is NaN: a zero interval stays zero however large the exponent grows.
  const base =
    initialInterval === 0
      ? 0
      : Math.min(maxInterval, initialInterval * backoffCoefficient ** (failedAttemptInRound - 1));
  const spread = base * (1 + jitter * (2 * random - 1));
  const delay = Math.round(Math.min(maxInterval, Math.max(0, spread)));
  return retryAfter === undefined ? delay : Math.max(delay, Math.ceil(retryAfter));
}

/**
 * When the next attempt may start after the `failedAttemptInRound`-th attempt of a round failed
 * at `failedAt`, or `undefined` when the round's `maxRetries + 1` attempts are used up.
 */
export function nextAttemptAt(
  policy: RetryPolicy,
  failedAttemptInRound: number,
  failedAt: Instant,
  random: number,
  retryAfter?: Millis,
): Instant | undefined {
  if (failedAttemptInRound >= policy.maxRetries + 1) {
    return undefined;
  }
  return addMillis(failedAt, retryDelay(policy, failedAttemptInRound, random, retryAfter));
}

/**
 * Every problem with a policy, one sentence each, empty when it is sound. The playbook loader
 * prefixes each with the policy's path.
 */
export function validateRetryPolicy(policy: RetryPolicy): string[] {
  const problems: string[] = [];
  const { maxRetries, initialInterval, backoffCoefficient, maxInterval, jitter } = policy;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    problems.push(`maxRetries must be a whole number >= 0 (got ${maxRetries})`);
  }
  if (!Number.isFinite(initialInterval) || initialInterval < 0) {
    problems.push(`initialInterval must be a duration >= 0 (got ${initialInterval})`);
  }
  if (!Number.isFinite(maxInterval) || maxInterval < 0) {
    problems.push(`maxInterval must be a duration >= 0 (got ${maxInterval})`);
  }
  if (!Number.isFinite(backoffCoefficient) || backoffCoefficient < 1) {
    problems.push(`backoffCoefficient must be >= 1 (got ${backoffCoefficient})`);
  }
  if (!Number.isFinite(jitter) || jitter < 0 || jitter > 1) {
    problems.push(`jitter must be between 0 and 1 (got ${jitter})`);
  }
  if (initialInterval > maxInterval) {
    problems.push(
      `initialInterval (${initialInterval}) must not exceed maxInterval (${maxInterval})`,
    );
  }
  return problems;
}
