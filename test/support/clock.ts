import type { Clock } from '../../src/application/ports.js';
import { addMillis, type Instant, type Millis } from '../../src/domain/time.js';

/** A clock that moves only when a test says so: `new StepClock(T0)`, `.advance(5 * MINUTE)`. */
export class StepClock implements Clock {
  #now: Instant;

  constructor(start: Instant = '2026-01-01T00:00:00.000Z') {
    this.#now = new Date(start).toISOString();
  }

  now(): Instant {
    return this.#now;
  }

  /** Moves the clock forward (or back, with a negative step) and returns the new instant. */
  advance(millis: Millis): Instant {
    this.#now = addMillis(this.#now, millis);
    return this.#now;
  }

  /** Sets the clock to an instant. */
  set(instant: Instant): Instant {
    this.#now = new Date(instant).toISOString();
    return this.#now;
  }
}
