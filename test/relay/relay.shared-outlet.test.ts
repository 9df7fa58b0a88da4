import { afterEach, describe, expect, it } from 'vitest';
import type { CloudEventJson } from '../../src/relay/cloud-event.js';
import { inProcessOutlet } from '../../src/relay/in-process-outlet.js';
import type { Relay } from '../../src/relay/relay.js';
import { forEachBackend } from '../support/backends.js';
import {
  allEvents,
  caughtUp,
  journeyOrder,
  produceJourneys,
  startRelay,
  storedJourneyOrder,
} from '../support/relay-harness.js';

/**
 * Several engine processes on one PostgreSQL each run a relay: only one of them delivers to a
 * given outlet at a time (the outlet's lease), and another takes over where it stopped when it
 * dies. Each relay here has its own store (its own connections), as separate processes would.
 */
forEachBackend((backend) => {
  let relays: Relay[] = [];
  afterEach(async () => {
    await Promise.all(relays.map((relay) => relay.stop()));
    relays = [];
  });

  describe('one outlet, several relays', () => {
    it('only one relay delivers at a time; a survivor takes over a dead one at its checkpoint', async () => {
      const { store, url } = await backend.freshDatabase();
      await produceJourneys(store, backend.clock, 4, 'first');
      const received: { owner: string; event: CloudEventJson }[] = [];
      const relayAs = async (owner: string) =>
        startRelay(
          await backend.open({}, url),
          backend.clock,
          [
            inProcessOutlet({
              name: 'shared',
              handle: (event) => void received.push({ owner, event }),
            }),
          ],
          // A short lease, so the survivor takes over quickly once the holder stops renewing.
          { owner, timings: { leaseFor: 600, pollInterval: 10, errorBackoff: 20 } },
        );
      const [a, b, c] = await Promise.all([relayAs('a'), relayAs('b'), relayAs('c')]);
      relays.push(b, c);
      await caughtUp(store, 'shared');
      const holder = (await store.findOutlet('shared'))?.leaseOwner;
      expect(new Set(received.map((r) => r.owner))).toEqual(new Set([holder]));
      expect(received).toHaveLength((await allEvents(store)).length);

      // The holder goes away (a stop gives the lease up; a crash lets it expire): another
      // relay takes over and delivers what comes next, from the checkpoint.
      const survivors = [a, b, c].filter((_, i) => ['a', 'b', 'c'][i] !== holder);
      relays = survivors;
      await [a, b, c][['a', 'b', 'c'].indexOf(holder ?? '')]?.stop();
      await produceJourneys(store, backend.clock, 3, 'second');
      await caughtUp(store, 'shared');
      const next = (await store.findOutlet('shared'))?.leaseOwner;
      expect(next).not.toBe(holder);
      const stored = await allEvents(store);
      expect(received.map((r) => r.event.id).sort()).toEqual(stored.map((e) => e.eventId).sort());
      expect(journeyOrder(received.map((r) => r.event))).toEqual(storedJourneyOrder(stored));
    });

    it('leases: a live holder keeps the outlet, an expired one loses it, and is fenced off', async () => {
      const { store } = await backend.freshDatabase();
      const at = (ms: number) =>
        new Date(Date.parse('2026-12-01T00:00:00.000Z') + ms).toISOString();
      const lease = (owner: string, ms: number) => ({
        outlet: 'fenced',
        owner,
        leaseFor: 1_000,
        now: at(ms),
        initialPosition: '0',
      });
      expect(await store.acquireOutlet(lease('a', 0))).toMatchObject({ leaseOwner: 'a' });
      expect(await store.acquireOutlet(lease('b', 500))).toBeNull();
      expect(await store.acquireOutlet(lease('a', 900))).toMatchObject({ leaseOwner: 'a' });
      // a renewed at 900: still its own at 1,500; gone at 1,901 (it stopped renewing).
      expect(await store.acquireOutlet(lease('b', 1_500))).toBeNull();
      expect(await store.acquireOutlet(lease('b', 1_901))).toMatchObject({ leaseOwner: 'b' });
      const move = (owner: string) =>
        store.advanceOutlet({
          ...lease(owner, 2_000),
          position: '0',
          delivered: 1,
          deadLetters: [],
        });
      expect(await move('a')).toBe(false);
      expect(await move('b')).toBe(true);
      expect((await store.findOutlet('fenced'))?.delivered).toBe(1);
      await store.releaseOutlet('fenced', 'b');
      expect(await store.acquireOutlet(lease('a', 2_001))).toMatchObject({ leaseOwner: 'a' });
    });
  });
});
