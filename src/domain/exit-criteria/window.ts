import type { Instant, Millis } from '../time.js';
import { formatDuration, millisBetween, toMillis } from '../time.js';
import type { Outcome } from './criterion.js';

/**
 * What one reading says about a windowed condition right now. `unknown` covers source errors,
 * missing data, unusable values and the grey band: none of them is evidence of a breach.
 */
export type ConditionNow = 'holds' | 'breached' | 'unknown';

/** Everything a windowed criterion needs; the previous result's state is threaded in by the caller. */
export interface WindowInput {
  /** How long the condition must have held without a break. */
  readonly window: Millis;
  readonly condition: ConditionNow;
  /** When the current reading was taken (absent when nothing was observed). */
  readonly observedAt?: Instant;
  /** The source's own word on when the last breach ended, if it knows. */
  readonly heldSince?: Instant;
  /** The previous result's `holdingSince` (`null`: it was breached then; absent: no state yet). */
  readonly previousHoldingSince?: Instant | null;
  /** When the previous reading was taken; a breach seen then bounds `heldSince` from below. */
  readonly previousObservedAt?: Instant;
  readonly now: Instant;
}

/** The window's verdict and the state to thread into the next evaluation. */
export interface WindowVerdict {
  readonly outcome: Outcome;
  readonly holdingSince?: Instant | null;
  readonly windowRemaining?: Millis;
  /** A clause for the reason: "held 2d of 7d, 5d to go". */
  readonly note: string;
}

function later(a: Instant, b: Instant): Instant {
  return toMillis(a) >= toMillis(b) ? a : b;
}

/**
 * Since when the condition has held, given that it holds now. Our own clock continues from the
 * previous result; the source's `heldSince` is authoritative about breaches we did not sample, so
 * the later of the two wins. When we ourselves saw a breach last time, a `heldSince` from before
 * that sighting is stale (a lagging source) and the clock starts no earlier than the sighting.
 */
function holdingSinceNow(input: WindowInput, observedAt: Instant): Instant {
  const previous = input.previousHoldingSince;
  if (input.heldSince === undefined) {
    return previous ?? observedAt;
  }
  if (previous != null) {
    return later(previous, input.heldSince);
  }
  if (previous === null && input.previousObservedAt !== undefined) {
    return later(input.previousObservedAt, input.heldSince);
  }
  return input.heldSince;
}

/**
 * Applies "the condition must have held continuously for the window; a breach restarts the
 * clock". Passed only when it holds now and has held for the whole window. A breach clears the
 * clock; no data keeps it (no data is not a breach) but never passes.
 */
export function applyWindow(input: WindowInput): WindowVerdict {
  const windowText = formatDuration(input.window);
  switch (input.condition) {
    case 'breached':
      return {
        outcome: 'failed',
        holdingSince: null,
        windowRemaining: input.window,
        note: `the ${windowText} window restarts`,
      };
    case 'unknown': {
      const previous = input.previousHoldingSince;
      const note =
        previous == null
          ? `the ${windowText} window cannot start without a reading`
          : `the ${windowText} window keeps counting from ${previous}`;
      // Keep the previous state exactly (including an explicit null): no data is not a breach.
      return previous === undefined
        ? { outcome: 'inconclusive', note }
        : { outcome: 'inconclusive', holdingSince: previous, note };
    }
    case 'holds': {
      const holdingSince = holdingSinceNow(input, input.observedAt ?? input.now);
      const elapsed = millisBetween(holdingSince, input.now);
      if (Number.isNaN(elapsed)) {
        // Instants are validated at the boundary; a bad one must still never pass (nor leak NaN).
        return {
          outcome: 'inconclusive',
          note: `cannot tell how long it has held since ${holdingSince}`,
        };
      }
      // A start after `now` (a skewed source clock) has not held at all, not even for a zero
      // window; it shows as 0s held, and the time to go runs from that start.
      const held = Math.max(0, elapsed);
      const remaining = Math.max(0, input.window - elapsed);
      const heldText = `held ${formatDuration(held)} of ${windowText}`;
      return remaining === 0
        ? { outcome: 'passed', holdingSince, windowRemaining: 0, note: heldText }
        : {
            outcome: 'failed',
            holdingSince,
            windowRemaining: remaining,
            note: `${heldText}, ${formatDuration(remaining)} to go`,
          };
    }
  }
}
