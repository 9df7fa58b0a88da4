import type { MetricSource, Millis, Observation } from '../domain/index.js';

/**
 * Where metric criteria read their values (the specification's ExitCriteriaValidator inputs):
 * `http`, `agent` and `prometheus` sources. Adapters live in src/sources.
 */

/** The journey a criterion is evaluated for: templates in a source's input may name it. */
export interface ObservationContext {
  readonly journeyId: string;
  readonly clientId: string;
  readonly stage: string;
  readonly criterionId: string;
}

export interface ObservationRequest {
  readonly source: MetricSource;
  readonly context: ObservationContext;
  /** The reading gives up after this long and reports an error. */
  readonly timeout: Millis;
}

export interface MetricReader {
  /**
   * Reads one value. Never throws and never invents a value: an unreachable source, a timeout,
   * a reply without the value or a value of the wrong type comes back as `error` (the criterion
   * is then inconclusive), with a reason a person can act on.
   */
  observe(request: ObservationRequest, signal: AbortSignal): Promise<Observation>;
}
