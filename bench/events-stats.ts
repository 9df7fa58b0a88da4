import { START, type Store } from '../src/application/ports.js';
import { percentile } from './engine-transitions.js';
import type { Deliveries } from './events-sinks.js';
import { round } from './measure.js';

/**
 * The events bench's figures, from the log read back after a run and what each outlet delivered.
 * An event's commit time is its `recordedAt` (the store's clock when the commit was written, the
 * instant the relay's own `journey_outlet_lag_seconds` also starts from), not the CloudEvent
 * `time`, which is when the engine decided it (`occurredAt`, earlier by the load and the commit).
 */

export interface LogScan {
  /** Event id -> recordedAt, ms since the epoch. */
  readonly recordedAt: ReadonlyMap<string, number>;
  readonly events: number;
  readonly journeysCompleted: number;
}

export async function scanLog(store: Pick<Store, 'readAll'>): Promise<LogScan> {
  const recordedAt = new Map<string, number>();
  let journeysCompleted = 0;
  let from = START;
  for (;;) {
    const { events, next } = await store.readAll(from, 5_000);
    if (events.length === 0) {
      break;
    }
    for (const event of events) {
      recordedAt.set(event.eventId, Date.parse(event.recordedAt));
      if (event.type === 'JourneyCompleted') {
        journeysCompleted += 1;
      }
    }
    from = next;
  }
  return { recordedAt, events: recordedAt.size, journeysCompleted };
}

export interface OutletFigures {
  readonly delivered: number;
  /** Over the span from `since` to the last first delivery of these events. */
  readonly eventsPerSec: number;
  readonly seconds: number;
  readonly lastDeliveryAt: number;
  readonly lagP50Ms: number;
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
}

/**
 * One outlet's figures for some of the log's events (`recordedAt`: id -> commit time); other
 * deliveries are left out. `since` (ms since the epoch) starts the throughput's span.
 */
export function outletFigures(
  recordedAt: ReadonlyMap<string, number>,
  deliveries: Deliveries,
  since: number,
): OutletFigures {
  const lags: number[] = [];
  let last = since;
  for (const [id, recorded] of recordedAt) {
    const at = deliveries.first.get(id);
    if (at !== undefined) {
      lags.push(at - recorded);
      last = Math.max(last, at);
    }
  }
  lags.sort((a, b) => a - b);
  const seconds = (last - since) / 1_000;
  return {
    delivered: lags.length,
    eventsPerSec: seconds <= 0 ? 0 : round(lags.length / seconds),
    seconds: round(seconds, 2),
    lastDeliveryAt: last,
    lagP50Ms: percentile(lags, 0.5),
    lagP99Ms: percentile(lags, 0.99),
    lagMaxMs: lags.at(-1) ?? 0,
  };
}

/** The events of `log` that `before` does not hold (committed after it was read). */
export function since(log: LogScan, before: LogScan): Map<string, number> {
  return new Map([...log.recordedAt].filter(([id]) => !before.recordedAt.has(id)));
}

/** What breaks "every event exactly once per id" in an outlet's deliveries, or nothing. */
export function deliveryProblems(name: string, log: LogScan, deliveries: Deliveries): string[] {
  const problems: string[] = [];
  const missing = [...log.recordedAt.keys()].filter((id) => !deliveries.first.has(id)).length;
  const unknown = [...deliveries.first.keys()].filter((id) => !log.recordedAt.has(id)).length;
  if (missing > 0) {
    problems.push(`${name}: ${missing} of ${log.events} events never delivered`);
  }
  if (deliveries.duplicates > 0) {
    problems.push(`${name}: ${deliveries.duplicates} deliveries of an id delivered before`);
  }
  if (unknown > 0) {
    problems.push(`${name}: ${unknown} deliveries of ids the log does not hold`);
  }
  return problems;
}
