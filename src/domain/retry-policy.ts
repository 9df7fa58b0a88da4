import type { Millis } from './time.js';

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
