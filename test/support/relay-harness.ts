import { START, type Store, type StoredEvent } from '../../src/application/ports.js';
import type { Outlet } from '../../src/relay/outlet.js';
import type { OutletPolicyInput } from '../../src/relay/relay-settings.js';
import { Relay, type RelayOptions } from '../../src/relay/relay.js';
import type { StepClock } from './clock.js';
import { startTestEngine } from './engine-harness.js';

/**
 * Helpers for relay tests: fill a store with real journeys' events (the engine with in-process
 * agents), run a relay with quick timings, and wait for an outlet to catch up with the log.
 */

/** Retries fast, so a test of many failures takes milliseconds per retry, not minutes. */
export const QUICK_POLICY: OutletPolicyInput = {
  startAt: 'beginning',
  retry: {
    maxAttempts: 8,
    initialInterval: 5,
    backoffCoefficient: 2,
    maxInterval: 40,
    jitter: 0.2,
  },
  batchSize: 50,
};

/** Starts `count` journeys and runs them until they wait for a person (sandbox approval). */
export async function produceJourneys(
  store: Store,
  clock: StepClock,
  count: number,
  prefix = 'client',
): Promise<string[]> {
  const { engine, settle } = await startTestEngine(store, clock);
  const clients = Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`);
  for (const client of clients) {
    await engine.orchestrator.startJourney({ clientId: client }, { actor: 'test' });
  }
  await settle({ maxAdvance: 60_000 });
  return clients;
}

/** Every event in the store, in commit order. */
export async function allEvents(store: Pick<Store, 'readAll'>): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  let position = START;
  for (;;) {
    const page = await store.readAll(position, 1_000);
    events.push(...page.events);
    if (page.events.length === 0) {
      return events;
    }
    position = page.next;
  }
}

export function startRelay(
  store: Store,
  clock: StepClock,
  outlets: readonly Outlet[],
  options: Partial<Omit<RelayOptions, 'store' | 'clock' | 'outlets'>> & {
    readonly policy?: OutletPolicyInput;
  } = {},
): Relay {
  const { policy, ...rest } = options;
  const relay = new Relay({
    store,
    clock,
    outlets: outlets.map((outlet) => ({ outlet, policy: { ...QUICK_POLICY, ...policy } })),
    log: { info: () => undefined, warn: () => undefined },
    timings: { pollInterval: 20, errorBackoff: 50, leaseFor: 5_000 },
    ...rest,
  });
  relay.start();
  return relay;
}

/** Resolves once the outlet's checkpoint has reached the head of the log. */
export async function caughtUp(store: Store, outlet: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [head, checkpoint] = await Promise.all([store.headPosition(), store.findOutlet(outlet)]);
    if (checkpoint !== null && checkpoint.position === head) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `outlet ${outlet} is at ${checkpoint?.position ?? 'nothing'}, the log at ${head}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Each journey's event ids in the order they arrived (first arrival of each id): the order the
 * relay promises. Compare with `journeyOrder(allEvents(store))`.
 */
export function journeyOrder(
  events: readonly { readonly id: string; readonly journeyid: string }[],
): Map<string, string[]> {
  const order = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const event of events) {
    if (seen.has(event.id)) {
      continue;
    }
    seen.add(event.id);
    order.set(event.journeyid, [...(order.get(event.journeyid) ?? []), event.id]);
  }
  return order;
}

/** `journeyOrder` of the stored log, optionally only of some event types. */
export function storedJourneyOrder(
  stored: readonly StoredEvent[],
  keep: (event: StoredEvent) => boolean = () => true,
): Map<string, string[]> {
  return journeyOrder(
    stored.filter(keep).map((event) => ({ id: event.eventId, journeyid: event.journeyId })),
  );
}
