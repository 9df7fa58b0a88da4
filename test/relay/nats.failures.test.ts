import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/application/ports.js';
import { NO_RELAY_METRICS } from '../../src/application/queries/relay-metrics.js';
import { toCloudEvent, type CloudEventJson } from '../../src/relay/cloud-event.js';
import { natsOutlet } from '../../src/relay/nats-outlet.js';
import type { Outlet } from '../../src/relay/outlet.js';
import type { Relay } from '../../src/relay/relay.js';
import { describeWithService, forEachBackend } from '../support/backends.js';
import type { StepClock } from '../support/clock.js';
import { natsServer, NatsStreams } from '../support/nats-streams.js';
import { allEvents, caughtUp, produceJourneys, startRelay } from '../support/relay-harness.js';

/** A loopback port nothing listens on: bound once by the OS, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') {
    throw new Error('no port');
  }
  return address.port;
}

async function firstEnvelope(store: Store, clock: StepClock): Promise<CloudEventJson> {
  await produceJourneys(store, clock, 1);
  const [first] = await allEvents(store);
  if (first === undefined) {
    throw new Error('no events');
  }
  return toCloudEvent(first, 'client-1');
}

forEachBackend((backend) => {
  const outlets: Outlet[] = [];
  let relays: Relay[] = [];
  afterEach(async () => {
    await Promise.all(relays.map((relay) => relay.stop()));
    relays = [];
    await Promise.all(outlets.splice(0).map((outlet) => outlet.close()));
  });

  describe('the NATS outlet when NATS is unreachable', () => {
    it('fails each delivery with a clear error; the relay waits the outage out, then dead-letters past maxOutage', async () => {
      const { store } = await backend.freshDatabase();
      const envelope = await firstEnvelope(store, backend.clock);
      const server = `127.0.0.1:${await closedPort()}`;
      const outlet = (name: string) => natsOutlet({ name, servers: server, stream: 'NOWHERE' });
      const direct = outlet('down');
      outlets.push(direct);
      expect(await direct.deliver(envelope, new AbortController().signal)).toEqual({
        ok: false,
        error: `cannot connect to NATS at ${server}: CONNECTION_REFUSED`,
        reason: 'network',
      });
      const retry = { maxAttempts: 3, initialInterval: 5, backoffCoefficient: 2, maxInterval: 20 };

      // An unreachable outlet spends no attempts: nothing is dead-lettered, nothing skipped.
      let failures = 0;
      const metrics = { ...NO_RELAY_METRICS, failed: () => void (failures += 1) };
      relays.push(
        startRelay(store, backend.clock, [outlet('waiting')], { metrics, policy: { retry } }),
      );
      await expect.poll(() => failures, { timeout: 10_000 }).toBeGreaterThan(10);
      expect(await store.countDeadLetters('waiting')).toBe(0);
      expect((await store.findOutlet('waiting'))?.position).toBe('0');

      // Past maxOutage (here at once) its failures count: dead letters after the budget.
      relays.push(
        startRelay(store, backend.clock, [outlet('given-up')], {
          policy: { retry: { ...retry, maxOutage: 0 } },
        }),
      );
      await caughtUp(store, 'given-up');
      const stored = await allEvents(store);
      const letters = await store.listDeadLetters('given-up', { limit: 1_000 });
      expect(letters.items.map((l) => l.eventId).sort()).toEqual(
        stored.map((e) => e.eventId).sort(),
      );
      for (const letter of letters.items) {
        expect(letter).toMatchObject({
          attempts: 3,
          lastError: `cannot connect to NATS at ${server}: CONNECTION_REFUSED`,
        });
      }
    });
  });

  describeWithService('nats', 'the NATS outlet when no stream captures its subjects', () => {
    const streams = new NatsStreams();
    afterEach(() => streams.deleteAll());

    it('says no stream listens on the subject, or that another stream captured it', async () => {
      const { store } = await backend.freshDatabase();
      const envelope = await firstEnvelope(store, backend.clock);
      const missing = streams.reserve();
      const toMissing = natsOutlet({
        name: 'missing',
        servers: natsServer(),
        stream: missing.stream,
        subject: `${missing.prefix}.{type}`,
      });
      const other = await streams.create();
      const toWrongStream = natsOutlet({
        name: 'wrong-stream',
        servers: natsServer(),
        stream: missing.stream,
        subject: `${other.prefix}.{type}`,
      });
      outlets.push(toMissing, toWrongStream);
      const signal = new AbortController().signal;
      expect(await toMissing.deliver(envelope, signal)).toEqual({
        ok: false,
        error: `no stream listens on subject ${missing.prefix}.JourneyStarted (expected stream ${missing.stream})`,
        reason: 'rejected',
      });
      expect(await toWrongStream.deliver(envelope, signal)).toEqual({
        ok: false,
        error: `JetStream refused subject ${other.prefix}.JourneyStarted: expected stream does not match (error 10060)`,
        reason: 'rejected',
      });
      expect(await streams.messages(other.stream)).toEqual([]);
    });
  });
});
