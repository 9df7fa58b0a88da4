/**
 * What the event relay reports for the Prometheus `/metrics` endpoint; `ApiMetrics.relay`
 * (src/http/metrics.ts) implements it, so the relay depends on this port, not on prom-client.
 * Every method is called after the fact, must be cheap and never throws.
 */
export interface RelayMetrics {
  /** `count` events were delivered to the outlet (acknowledged by it). */
  delivered(outlet: string, count: number): void;
  /** One delivery attempt failed (it will be retried, or dead-lettered once out of retries). */
  failed(outlet: string, reason?: OutletFailureReason): void;
  /** An event was given up on after its retry budget and kept as a dead letter. */
  deadLettered(outlet: string): void;
  /** How far behind the outlet is: seconds from an event's commit to its delivery (a gauge). */
  lag(outlet: string, seconds: number): void;
}

/**
 * Why a delivery failed, as a closed set: the reason is a metric label, and a free-form
 * message would make one time series per error text.
 */
export const OutletFailureReason = {
  /** No answer within the outlet's timeout. */
  timeout: 'timeout',
  /** The connection failed (refused, reset, name not resolved). */
  network: 'network',
  /** The outlet answered and refused (e.g. a webhook's non-2xx status, a NATS nak). */
  rejected: 'rejected',
  other: 'other',
} as const;
export type OutletFailureReason = (typeof OutletFailureReason)[keyof typeof OutletFailureReason];

/** For a relay that reports nowhere. */
export const NO_RELAY_METRICS: RelayMetrics = Object.freeze({
  delivered: () => undefined,
  failed: () => undefined,
  deadLettered: () => undefined,
  lag: () => undefined,
});
