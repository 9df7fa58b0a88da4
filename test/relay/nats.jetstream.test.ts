import { afterEach, expect, it } from 'vitest';
import { CLOUDEVENTS_JSON, natsOutlet, type NatsPublication } from '../../src/relay/nats-outlet.js';
import type { Relay } from '../../src/relay/relay.js';
import { describeWithService, forEachBackend } from '../support/backends.js';
import { natsServer, NatsStreams } from '../support/nats-streams.js';
import {
  allEvents,
  caughtUp,
  journeyOrder,
  produceJourneys,
  startRelay,
  storedJourneyOrder,
} from '../support/relay-harness.js';

forEachBackend((backend) => {
  describeWithService('nats', 'the NATS JetStream outlet', () => {
    const streams = new NatsStreams();
    let relays: Relay[] = [];
    afterEach(async () => {
      await Promise.all(relays.map((relay) => relay.stop()));
      relays = [];
      await streams.deleteAll();
    });

    it('stores every event once per id, in order per journey, on a subject per type', async () => {
      const { store } = await backend.freshDatabase();
      await produceJourneys(store, backend.clock, 5);
      const { stream, prefix } = await streams.create();
      const outlet = (name: string, acks: NatsPublication[]) =>
        natsOutlet({
          name,
          servers: natsServer(),
          stream,
          subject: `${prefix}.{type}`,
          onPublished: (ack) => void acks.push(ack),
        });
      const first: NatsPublication[] = [];
      relays.push(startRelay(store, backend.clock, [outlet('jetstream', first)]));
      await caughtUp(store, 'jetstream');

      const stored = await allEvents(store);
      const messages = await streams.messages(stream);
      expect(messages).toHaveLength(stored.length);
      expect(new Set(messages.map((m) => m.envelope.id))).toEqual(
        new Set(stored.map((e) => e.eventId)),
      );
      // Stream order is arrival order: per journey it must be the log's order.
      const bySeq = [...messages].sort((a, b) => a.seq - b.seq).map((m) => m.envelope);
      expect(journeyOrder(bySeq)).toEqual(storedJourneyOrder(stored));
      const typeOf = new Map(stored.map((e) => [e.eventId, e.type]));
      for (const message of messages) {
        expect(message.subject).toBe(`${prefix}.${typeOf.get(message.envelope.id)}`);
        expect(message.contentType).toBe(CLOUDEVENTS_JSON);
        expect(message.msgId).toBe(message.envelope.id);
        expect(message.envelope.specversion).toBe('1.0');
      }
      expect(first.every((ack) => !ack.duplicate && ack.stream === stream)).toBe(true);

      // Everything again (a second outlet on the same stream): JetStream drops every repeat.
      const again: NatsPublication[] = [];
      relays.push(startRelay(store, backend.clock, [outlet('jetstream-again', again)]));
      await caughtUp(store, 'jetstream-again');
      expect(again).toHaveLength(stored.length);
      expect(again.every((ack) => ack.duplicate)).toBe(true);
      expect(await streams.messages(stream)).toHaveLength(stored.length);
    });

    it('creates a missing stream on <prefix>.> when asked to, and publishes only the wanted types', async () => {
      const { store } = await backend.freshDatabase();
      await produceJourneys(store, backend.clock, 3);
      const { stream, prefix } = streams.reserve();
      relays.push(
        startRelay(store, backend.clock, [
          natsOutlet({
            name: 'starts',
            servers: natsServer(),
            stream,
            subject: `${prefix}.journey.{type}`,
            events: ['JourneyStarted', 'StageSetupCompleted'],
            ensureStream: true,
          }),
        ]),
      );
      await caughtUp(store, 'starts');
      expect(await streams.subjects(stream)).toEqual([`${prefix}.journey.>`]);
      const wanted = (await allEvents(store)).filter(
        (e) => e.type === 'JourneyStarted' || e.type === 'StageSetupCompleted',
      );
      const messages = await streams.messages(stream);
      expect(messages.map((m) => m.envelope.id).sort()).toEqual(
        wanted.map((e) => e.eventId).sort(),
      );
      expect(new Set(messages.map((m) => m.subject))).toEqual(
        new Set([`${prefix}.journey.JourneyStarted`, `${prefix}.journey.StageSetupCompleted`]),
      );
    });
  });
});
