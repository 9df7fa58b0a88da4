import type { OutletFailureReason } from '../application/queries/relay-metrics.js';
import type { Millis } from '../domain/index.js';
import type { CloudEventJson } from './cloud-event.js';

/**
 * An outlet is one destination of the event relay (a webhook, a NATS subject, an in-process
 * subscriber). It delivers one envelope at a time and says how that went; the relay owns
 * ordering, retries, the retry budget, dead letters and the outlet's checkpoint.
 */
export interface Outlet {
  /** Unique among the configured outlets: the key of its checkpoint and dead letters. */
  readonly name: string;
  /** Which event kinds it wants, e.g. `StagePromoted`; `*` (or empty) is all of them. */
  readonly events: readonly string[];
  /**
   * Delivers one event. Resolves with the outcome and never rejects: a failure is data. The
   * signal aborts a delivery the relay no longer waits for (it is stopping or lost its lease).
   */
  deliver(event: CloudEventJson, signal: AbortSignal): Promise<DeliveryOutcome>;
  close(): Promise<void>;
}

export type DeliveryOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** One line for the dead-letter list and the logs, e.g. `HTTP 503 from ...`. */
      readonly error: string;
      /** What kind of failure, for the metrics. @default 'other' */
      readonly reason?: OutletFailureReason;
      /** The destination asked for a pause (HTTP Retry-After): the next try waits at least this. */
      readonly retryAfter?: Millis;
    };

/** Turns whatever a delivery threw into an outcome, for outlets built on throwing clients. */
export function failedOutcome(
  error: unknown,
  reason?: OutletFailureReason,
): Extract<DeliveryOutcome, { ok: false }> {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n', 1)[0] ?? 'delivery failed';
  return reason === undefined ? { ok: false, error: line } : { ok: false, error: line, reason };
}

/** Whether an outlet wants an event of this kind. */
export function acceptsEvent(outlet: Pick<Outlet, 'events'>, eventType: string): boolean {
  return (
    outlet.events.length === 0 || outlet.events.includes('*') || outlet.events.includes(eventType)
  );
}
