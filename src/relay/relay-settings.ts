import type { Millis, RetryPolicy } from '../domain/index.js';

/** How one outlet is fed; every field has a default (`DEFAULT_OUTLET_POLICY`). */
export interface OutletPolicy {
  /**
   * Where an outlet seen for the first time starts: `now` (only events committed from then on)
   * or `beginning` (the whole history the store keeps). Later starts resume at its checkpoint.
   * @default 'now'
   */
  readonly startAt: 'now' | 'beginning';
  /** Tries per event before it is dead-lettered, and the pauses between them. */
  readonly retry: Pick<
    RetryPolicy,
    'initialInterval' | 'backoffCoefficient' | 'maxInterval' | 'jitter'
  > & {
    /** @default 8 */
    readonly maxAttempts: number;
    /**
     * How long an outlet that is down (unreachable, timing out, answering 429/503) is waited
     * for before its failures spend an event's attempts again. @default 1h
     */
    readonly maxOutage: Millis;
  };
  /** Events read from the log per batch; the checkpoint moves once a batch is settled. @default 200 */
  readonly batchSize: number;
  /** Journeys delivered to at once (each journey's events one after another). @default 16 */
  readonly concurrency: number;
}

/** An outlet's policy as given: any field may be left to its default, the retry's too. */
export type OutletPolicyInput = Partial<Omit<OutletPolicy, 'retry'>> & {
  readonly retry?: Partial<OutletPolicy['retry']>;
};

export const DEFAULT_OUTLET_POLICY: OutletPolicy = Object.freeze({
  startAt: 'now',
  retry: Object.freeze({
    maxAttempts: 8,
    maxOutage: 60 * 60_000,
    initialInterval: 500,
    backoffCoefficient: 2,
    maxInterval: 30_000,
    jitter: 0.2,
  }),
  batchSize: 200,
  concurrency: 16,
});

/** The relay's own timings, shared by its outlets. */
export interface RelayTimings {
  /** How long an outlet's lease lasts without renewal. @default 30s */
  readonly leaseFor: Millis;
  /** The longest wait for new events before the log is read again (others' commits). @default 250ms */
  readonly pollInterval: Millis;
  /** The pause after an unexpected error (e.g. the database is unreachable). @default 2s */
  readonly errorBackoff: Millis;
}

export const DEFAULT_RELAY_TIMINGS: RelayTimings = Object.freeze({
  leaseFor: 30_000,
  pollInterval: 250,
  errorBackoff: 2_000,
});
