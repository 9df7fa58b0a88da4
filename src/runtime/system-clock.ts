import type { Clock } from '../application/ports.js';

/** The real clock, for production wiring; tests inject a step clock instead. */
export const systemClock: Clock = { now: () => new Date().toISOString() };
