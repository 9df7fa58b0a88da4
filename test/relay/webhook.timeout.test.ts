import { afterEach, describe, expect, it } from 'vitest';
import type { Relay } from '../../src/relay/relay.js';
import { DEFAULT_WEBHOOK_TIMEOUT, webhookOutlet } from '../../src/relay/webhook-outlet.js';
import { forEachBackend } from '../support/backends.js';
import {
  allEvents,
  caughtUp,
  journeyOrder,
  produceJourneys,
  startRelay,
  storedJourneyOrder,
} from '../support/relay-harness.js';
import { WebhookReceiver, type ReceivedRequest } from '../support/webhook-receiver.js';

forEachBackend((backend) => {
  let relay: Relay | undefined;
  let receiver: WebhookReceiver | undefined;
  afterEach(async () => {
    await relay?.stop();
    await receiver?.down();
  });

  describe('webhook timeouts', () => {
    it('gives up on a receiver that does not answer within the timeout, and tries again', async () => {
      const { store } = await backend.freshDatabase();
      await produceJourneys(store, backend.clock, 2);
      // The first request of every event hangs; the second is answered.
      receiver = await WebhookReceiver.start((event, received) =>
        received.filter((r) => r.event.id === event.id).length === 1 ? 'hang' : { status: 204 },
      );
      const outlet = webhookOutlet({
        name: 'slow',
        url: receiver.url,
        secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        events: [],
        timeout: 50,
      });
      relay = startRelay(store, backend.clock, [outlet]);
      await caughtUp(store, 'slow');

      const stored = await allEvents(store);
      // Every event timed out once at least (a busy event loop may make a second one late too)
      // and was then accepted: once, or again when a late answer came after the timeout (at
      // least once), always with the same id.
      const tries = new Map<string, ReceivedRequest[]>();
      for (const request of receiver.received) {
        tries.set(request.event.id, [...(tries.get(request.event.id) ?? []), request]);
      }
      expect(tries.size).toBe(stored.length);
      for (const attempts of tries.values()) {
        expect(attempts[0]?.status).toBeUndefined();
        // The relay hung up on the hanging request itself, long before the default timeout:
        // the configured 50 ms is what ended the attempt (the receiver never answers it).
        await expect.poll(() => attempts[0]?.abandonedAfterMs).toBeDefined();
        expect(attempts[0]?.abandonedAfterMs).toBeLessThan(DEFAULT_WEBHOOK_TIMEOUT / 2);
        expect(attempts.filter((r) => r.status === 204).length).toBeGreaterThanOrEqual(1);
      }
      expect(journeyOrder(receiver.accepted().map((r) => r.event))).toEqual(
        storedJourneyOrder(stored),
      );
      expect(await store.countDeadLetters('slow')).toBe(0);
    });
  });
});
