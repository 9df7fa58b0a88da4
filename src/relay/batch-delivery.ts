import type { Clock, NewDeadLetter, StoredEvent } from '../application/ports.js';
import type { RelayMetrics } from '../application/queries/relay-metrics.js';
import { retryDelay, type JsonValue } from '../domain/index.js';
import type { ClientIds } from './client-ids.js';
import { toCloudEvent, type CloudEventJson } from './cloud-event.js';
import { pause } from './commit-signal.js';
import { acceptsEvent, type DeliveryOutcome, type Outlet } from './outlet.js';
import type { OutletPolicy } from './relay-settings.js';

export interface BatchSettlement {
  /** Events the outlet took. */
  delivered: number;
  /** Events it refused through the whole retry budget. */
  readonly deadLetters: NewDeadLetter[];
}

export interface BatchDeliveryContext {
  readonly outlet: Outlet;
  readonly policy: OutletPolicy;
  readonly clock: Clock;
  readonly clientIds: ClientIds;
  readonly source: string;
  readonly metrics: RelayMetrics;
  readonly random: () => number;
}

/**
 * Delivers one batch read from the log. Each journey's events go one after another, in log
 * order (the per-journey order the relay promises); different journeys go concurrently, so an
 * event being retried holds up only its own journey until it is delivered or, after
 * `maxAttempts` refusals, dead-lettered (an outage spends no attempts: see deliverOne). The next events of that journey then go on: a dead letter is
 * the one exception to per-journey order, visible and replayable (docs/events.md).
 *
 * Resolves once every event is settled, or early when `signal` aborts (the caller must then not
 * move the checkpoint: the batch is delivered again, at least once).
 */
export async function deliverBatch(
  context: BatchDeliveryContext,
  events: readonly StoredEvent[],
  signal: AbortSignal,
): Promise<BatchSettlement> {
  const byJourney = new Map<string, StoredEvent[]>();
  for (const event of events) {
    if (!acceptsEvent(context.outlet, event.type)) {
      continue;
    }
    const queue = byJourney.get(event.journeyId);
    if (queue === undefined) {
      byJourney.set(event.journeyId, [event]);
    } else {
      queue.push(event);
    }
  }
  const settlement: BatchSettlement = { delivered: 0, deadLetters: [] };
  const journeys = [...byJourney.values()];
  const workers = Array.from(
    { length: Math.min(context.policy.concurrency, journeys.length) },
    async () => {
      for (let next = journeys.shift(); next !== undefined; next = journeys.shift()) {
        for (const event of next) {
          if (signal.aborted) {
            return;
          }
          await deliverOne(context, event, settlement, signal);
        }
      }
    },
  );
  await Promise.all(workers);
  return settlement;
}

async function deliverOne(
  context: BatchDeliveryContext,
  event: StoredEvent,
  settlement: BatchSettlement,
  signal: AbortSignal,
): Promise<void> {
  const { outlet, policy, metrics } = context;
  const envelope = toCloudEvent(event, await context.clientIds.of(event), context.source);
  const firstTry = Date.parse(context.clock.now());
  const deliveredBefore = settlement.delivered;
  let spent = 0;
  for (let attempt = 1; ; attempt += 1) {
    const outcome = await outlet.deliver(envelope, signal);
    if (signal.aborted) {
      return;
    }
    if (outcome.ok) {
      settlement.delivered += 1;
      metrics.delivered(outlet.name, 1);
      metrics.lag(outlet.name, secondsSince(context.clock, event.recordedAt));
      return;
    }
    metrics.failed(outlet.name, outcome.reason);
    // An outlet that is down (unreachable, timing out, asking for a pause) is waited for:
    // those tries spend no budget, so an outage dead-letters nothing and the backlog drains
    // once it is back. Only while nothing else got through meanwhile (else it is this event
    // the outlet chokes on) and for at most `maxOutage`.
    const outage =
      isUnavailable(outcome) &&
      settlement.delivered === deliveredBefore &&
      Date.parse(context.clock.now()) - firstTry < policy.retry.maxOutage;
    if (!outage) {
      spent += 1;
    }
    if (spent >= policy.retry.maxAttempts) {
      settlement.deadLetters.push(deadLetter(event, envelope, attempt, outcome.error, context));
      metrics.deadLettered(outlet.name);
      return;
    }
    const retry = { ...policy.retry, maxRetries: Number.MAX_SAFE_INTEGER };
    // A destination's Retry-After is honoured up to our own longest pause, never beyond.
    const asked =
      outcome.retryAfter === undefined
        ? undefined
        : Math.min(outcome.retryAfter, retry.maxInterval);
    const step = outage ? Math.min(attempt, 32) : spent;
    await pause(retryDelay(retry, step, context.random(), asked), signal);
  }
}

function isUnavailable(outcome: Extract<DeliveryOutcome, { ok: false }>): boolean {
  return (
    outcome.reason === 'network' || outcome.reason === 'timeout' || outcome.retryAfter !== undefined
  );
}

function deadLetter(
  event: StoredEvent,
  envelope: CloudEventJson,
  attempts: number,
  error: string,
  context: BatchDeliveryContext,
): NewDeadLetter {
  return {
    eventId: event.eventId,
    journeyId: event.journeyId,
    type: event.type,
    position: event.position,
    envelope: envelope as unknown as JsonValue,
    attempts,
    lastError: error.slice(0, 2_000),
    deadAt: context.clock.now(),
  };
}

function secondsSince(clock: Clock, instant: string): number {
  return Math.max(0, (Date.parse(clock.now()) - Date.parse(instant)) / 1_000);
}
