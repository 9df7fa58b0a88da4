import { afterEach, describe, expect, it } from 'vitest';
import { NO_RELAY_METRICS } from '../../src/application/queries/relay-metrics.js';
import type { Relay } from '../../src/relay/relay.js';
import { webhookOutlet } from '../../src/relay/webhook-outlet.js';
import { forEachBackend } from '../support/backends.js';
import {
  allEvents,
  caughtUp,
  journeyOrder,
  produceJourneys,
  QUICK_POLICY,
  startRelay,
  storedJourneyOrder,
} from '../support/relay-harness.js';
import { seededRandom, WebhookReceiver } from '../support/webhook-receiver.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** Quick pauses and a budget no run of bad luck exhausts: these tests expect no dead letter. */
const PATIENT = { ...QUICK_POLICY, retry: { ...QUICK_POLICY.retry!, maxAttempts: 60 } };

forEachBackend((backend) => {
  let relays: Relay[] = [];
  let receivers: WebhookReceiver[] = [];
  afterEach(async () => {
    await Promise.all(relays.map((relay) => relay.stop()));
    await Promise.all(receivers.map((receiver) => receiver.down().catch(() => undefined)));
    relays = [];
    receivers = [];
  });

  const receiver = async (): Promise<WebhookReceiver> => {
    const started = await WebhookReceiver.start();
    receivers.push(started);
    return started;
  };
  const hook = (url: string) => webhookOutlet({ name: 'hook', url, secret: SECRET, events: [] });

  describe('the webhook outlet', () => {
    it('delivers every event in order per journey to a receiver failing half the requests', async () => {
      const { store } = await backend.freshDatabase();
      await produceJourneys(store, backend.clock, 6);
      const coin = seededRandom(42);
      const flaky = await receiver();
      flaky.respond = () => (coin() < 0.5 ? { status: 500 } : { status: 200 });
      relays.push(startRelay(store, backend.clock, [hook(flaky.url)], { policy: PATIENT }));
      await caughtUp(store, 'hook');

      const stored = await allEvents(store);
      expect(flaky.received.some((r) => r.status === 500)).toBe(true);
      // Order of acceptance: a journey's next event is only taken once the previous one was.
      expect(journeyOrder(flaky.accepted().map((r) => r.event))).toEqual(
        storedJourneyOrder(stored),
      );
      // At least once: each event accepted exactly once; every repeat followed a refusal of it.
      const accepted = flaky.accepted().map((r) => r.event.id);
      expect(accepted.sort()).toEqual(stored.map((e) => e.eventId).sort());
      const first = new Map<string, string>();
      for (const { event, body } of flaky.received) {
        // A repeat is the same envelope: same id, same bytes (only the signature headers move).
        expect(body).toBe(first.get(event.id) ?? body);
        first.set(event.id, body);
      }
      expect((await store.listDeadLetters('hook')).items).toEqual([]);
    });

    it('drains the backlog once a receiver that was down comes up', async () => {
      const { store } = await backend.freshDatabase();
      await produceJourneys(store, backend.clock, 4);
      const late = await receiver();
      await late.down();
      let failures = 0;
      const metrics = { ...NO_RELAY_METRICS, failed: () => void (failures += 1) };
      // A budget of 2 attempts: an outage must not spend it, or every event would be dead.
      const frugal = { ...QUICK_POLICY, retry: { ...QUICK_POLICY.retry, maxAttempts: 2 } };
      relays.push(startRelay(store, backend.clock, [hook(late.url)], { policy: frugal, metrics }));
      // Refused connections, many rounds of them: far more than the budget.
      await expect.poll(() => failures, { timeout: 10_000 }).toBeGreaterThanOrEqual(12);
      expect(late.received).toEqual([]);
      await late.up();
      await caughtUp(store, 'hook');

      const stored = await allEvents(store);
      expect(journeyOrder(late.events())).toEqual(storedJourneyOrder(stored));
      expect(new Set(late.accepted().map((r) => r.event.id)).size).toBe(stored.length);
      expect(await store.countDeadLetters('hook')).toBe(0);
    });

    it('dead-letters an event the receiver always rejects, delivers the rest, then replays it', async () => {
      const { store } = await backend.freshDatabase();
      await produceJourneys(store, backend.clock, 3);
      const stored = await allEvents(store);
      const poison = stored.find((e) => e.type === 'UnitOfWorkCreated')!;
      let healed = false;
      const picky = await receiver();
      picky.respond = (event) =>
        event.id === poison.eventId && !healed ? { status: 422 } : { status: 202 };
      relays.push(startRelay(store, backend.clock, [hook(picky.url)]));
      await caughtUp(store, 'hook');

      const letters = (await store.listDeadLetters('hook')).items;
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({
        eventId: poison.eventId,
        attempts: QUICK_POLICY.retry!.maxAttempts,
        lastError: `HTTP 422 from ${picky.url}`,
      });
      expect(letters[0]!.lastError).not.toContain(SECRET.slice(6));
      // Everything else went, the poisoned journey's later events included.
      const rest = stored.filter((e) => e !== poison);
      expect(
        picky
          .accepted()
          .map((r) => r.event.id)
          .sort(),
      ).toEqual(rest.map((e) => e.eventId).sort());
      expect(journeyOrder(picky.accepted().map((r) => r.event))).toEqual(
        storedJourneyOrder(stored, (e) => e !== poison),
      );

      healed = true;
      expect(await store.requestReplay('hook', poison.eventId, backend.clock.now())).toBe(1);
      await expect.poll(() => store.countDeadLetters('hook'), { timeout: 10_000 }).toBe(0);
      expect(picky.accepted().filter((r) => r.event.id === poison.eventId)).toHaveLength(1);
    });
  });
});
