import type { Clock } from '../application/ports.js';
import type { Instant, MetricValue, Observation } from '../domain/index.js';

/**
 * The two shapes every reader returns. A failed read carries no value at all, so nothing
 * downstream can mistake a guess for a measurement.
 */

/** The source answered: a value, or `null` for "no data". */
export function observed(
  clock: Clock,
  value: MetricValue | null,
  heldSince?: Instant,
): Observation {
  return Object.freeze({
    value,
    observedAt: clock.now(),
    ...(heldSince === undefined ? {} : { heldSince }),
  });
}

/** The source failed; `error` says what was asked and what went wrong. */
export function unreadable(clock: Clock, error: string): Observation {
  return Object.freeze({ observedAt: clock.now(), error });
}
