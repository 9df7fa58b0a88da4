import { Counter, Gauge, type Registry } from 'prom-client';
import { OutletFailureReason, type RelayMetrics } from '../application/queries/relay-metrics.js';

const REASONS: ReadonlySet<string> = new Set(Object.values(OutletFailureReason));

/** The event relay's outlet metrics on `registers` (see RelayMetrics). */
export function prometheusRelayMetrics(registers: Registry[]): RelayMetrics {
  const delivered = new Counter({
    name: 'journey_outlet_deliveries_total',
    help: 'Events delivered to an outlet (acknowledged by it)',
    labelNames: ['outlet'],
    registers,
  });
  const failures = new Counter({
    name: 'journey_outlet_delivery_failures_total',
    help: 'Delivery attempts an outlet failed, by reason (each is retried or dead-lettered)',
    labelNames: ['outlet', 'reason'],
    registers,
  });
  const deadLetters = new Counter({
    name: 'journey_outlet_dead_letters_total',
    help: 'Events an outlet gave up on after its retries (kept as dead letters)',
    labelNames: ['outlet'],
    registers,
  });
  const lag = new Gauge({
    name: 'journey_outlet_lag_seconds',
    help: "Seconds from an event's commit to its delivery, for the outlet's latest delivery",
    labelNames: ['outlet'],
    registers,
  });
  return {
    delivered(outlet, count) {
      if (Number.isFinite(count) && count > 0) {
        delivered.inc({ outlet }, count);
      }
    },
    failed(outlet, reason = OutletFailureReason.other) {
      // A caller outside the type system must not widen the label's values.
      failures.inc({ outlet, reason: REASONS.has(reason) ? reason : OutletFailureReason.other });
    },
    deadLettered(outlet) {
      deadLetters.inc({ outlet });
    },
    lag(outlet, seconds) {
      if (Number.isFinite(seconds)) {
        lag.set({ outlet }, Math.max(0, seconds));
      }
    },
  };
}
