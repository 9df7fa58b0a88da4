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

forEachBackend((backend) => {
  let relays: Relay[] = [];
  afterEach(async () => {
    await Promise.all(relays.map((relay) => relay.stop()));
    relays = [];
  });

  describe('the relay with in-process subscribers', () => {
    it('delivers every event once, in order per journey, as CloudEvents, filtered per outlet', async () => {
      const { store } = await backend.freshDatabase();
      await produceJourneys(store, backend.clock, 5);
      const everything: CloudEventJson[] = [];
      const starts: CloudEventJson[] = [];
      relays.push(
        startRelay(store, backend.clock, [
          inProcessOutlet({ name: 'all', handle: (event) => void everything.push(event) }),
          inProcessOutlet({
            name: 'starts',
            events: ['JourneyStarted'],
            handle: (event) => void starts.push(event),
          }),
        ]),
      );
      await caughtUp(store, 'all');
      await caughtUp(store, 'starts');
      const stored = await allEvents(store);
      expect(everything).toHaveLength(stored.length);
      expect(journeyOrder(everything)).toEqual(storedJourneyOrder(stored));
      expect(starts.map((e) => e.subject).sort()).toEqual(
        ['client-1', 'client-2', 'client-3', 'client-4', 'client-5'].sort(),
      );
      expect(everything[0]).toMatchObject({
        specversion: '1.0',
        source: '/journey-orchestrator',
        type: 'journey-orchestrator.JourneyStarted.v1',
        datacontenttype: 'application/json',
        causedby: 'test',
        streamversion: 1,
      });
      // Exactly what goes on the wire: no attribute left undefined.
      expect(Object.values(everything[0] ?? {})).not.toContain(undefined);
      // Every event of a client carries its client id, also those whose data does not hold it.
      const clientOfJourney = new Map(starts.map((e) => [e.journeyid, e.subject]));
      for (const event of everything) {
        expect(event.subject).toBe(clientOfJourney.get(event.journeyid));
      }
      expect((await store.findOutlet('all'))?.delivered).toBe(stored.length);
    });

    it('resumes after a restart where it stopped; a new outlet starting "now" skips history', async () => {
      const { store } = await backend.freshDatabase();
      await produceJourneys(store, backend.clock, 2, 'early');
      const seen: CloudEventJson[] = [];
      const first = startRelay(store, backend.clock, [
        inProcessOutlet({ name: 'audit', handle: (e) => void seen.push(e) }),
      ]);
      await caughtUp(store, 'audit');
      await first.stop();
      const before = seen.length;
      await produceJourneys(store, backend.clock, 2, 'late');
      const fresh: string[] = [];
      relays.push(
        startRelay(store, backend.clock, [
          inProcessOutlet({ name: 'audit', handle: (e) => void seen.push(e) }),
        ]),
        startRelay(
          store,
          backend.clock,
          [inProcessOutlet({ name: 'fresh', handle: (e) => void fresh.push(e.id) })],
          { policy: { startAt: 'now' } },
        ),
      );
      await caughtUp(store, 'audit');
      const stored = await allEvents(store);
      expect(seen).toHaveLength(stored.length);
      expect(journeyOrder(seen)).toEqual(storedJourneyOrder(stored));
      expect(seen.length).toBeGreaterThan(before);
      await caughtUp(store, 'fresh');
      expect(fresh).toEqual([]);
    });

    it('retries a failing subscriber, dead-letters an event it always refuses, and replays it', async () => {
      const { store } = await backend.freshDatabase();
      await produceJourneys(store, backend.clock, 3);
      const stored = await allEvents(store);
      const poison = stored.find((e) => e.type === 'UnitOfWorkCreated');
      let calls = 0;
      let healed = false;
      const delivered: string[] = [];
      relays.push(
        startRelay(store, backend.clock, [
          inProcessOutlet({
            name: 'picky',
            handle: (event) => {
              if (event.id === poison?.eventId && !healed) {
                throw new Error('refused: schema mismatch');
              }
              calls += 1;
              if (calls % 3 === 0) {
                throw new Error('transient');
              }
              delivered.push(event.id);
            },
          }),
        ]),
      );
      await caughtUp(store, 'picky');
      const letters = await store.listDeadLetters('picky');
      expect(letters.items).toHaveLength(1);
      expect(letters.items[0]).toMatchObject({
        eventId: poison?.eventId,
        attempts: 8,
        lastError: 'refused: schema mismatch',
      });
      expect(new Set(delivered)).toEqual(
        new Set(stored.filter((e) => e !== poison).map((e) => e.eventId)),
      );
      healed = true;
      expect(await store.requestReplay('picky', null, backend.clock.now())).toBe(1);
      await expect.poll(() => store.countDeadLetters('picky'), { timeout: 10_000 }).toBe(0);
      expect(delivered).toContain(poison?.eventId);
    });
  });
});
