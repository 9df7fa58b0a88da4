import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import type { NatsPublication } from '../../src/relay/nats-outlet.js';
import { describeWithService, forEachBackend } from '../support/backends.js';
import { REPO_ROOT, seededRandom, seedFrom } from '../support/engine-process.js';
import { natsServer, NatsStreams } from '../support/nats-streams.js';
import {
  allEvents,
  caughtUp,
  journeyOrder,
  produceJourneys,
  storedJourneyOrder,
} from '../support/relay-harness.js';
import type { ChildLine } from './nats-relay-child.js';

const KILLS = 6;
const CRASH_OUTLET = 'jetstream-crash';

/** One run of test/relay/nats-relay-child.ts, with the PubAcks it printed (whole lines only). */
class RelayChild {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #onAck: () => void = () => undefined;
  readonly #ready: Promise<void>;
  #stdout = '';
  #stderr = '';

  constructor(args: readonly string[]) {
    this.#child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/relay/nats-relay-child.ts', ...args],
      {
        cwd: REPO_ROOT,
      },
    );
    this.#exited = new Promise((resolve) =>
      this.#child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    let ready: () => void = () => undefined;
    this.#ready = new Promise((resolve) => (ready = resolve));
    this.#child.stdout.on('data', (chunk: Buffer) => {
      this.#stdout += chunk.toString();
      if (this.#stdout.includes('"ready"')) {
        ready();
      }
      this.#onAck();
    });
    this.#child.stderr.on('data', (chunk: Buffer) => (this.#stderr += chunk.toString()));
  }

  /**
   * Kills it with SIGKILL as soon as it printed its `count`-th PubAck: fewer than a batch, so
   * the kill lands before that batch's checkpoint moves (a real process has to die).
   */
  async killAfterAcks(count: number): Promise<void> {
    const acked = new Promise<void>((resolve) => {
      this.#onAck = () => {
        if (this.acks().length >= count) {
          resolve();
        }
      };
    });
    const published = await Promise.race([acked.then(() => true), this.#exited.then(() => false)]);
    if (!published) {
      throw new Error(`the relay child exited before publishing: ${this.#stderr}`);
    }
    this.#child.kill('SIGKILL');
    const { signal } = await this.#exited;
    expect(signal, this.#stderr).toBe('SIGKILL');
  }

  /** SIGTERM once it runs (before, its handler is not there yet and the signal kills it). */
  async stop(): Promise<void> {
    const running = await Promise.race([
      this.#ready.then(() => true),
      this.#exited.then(() => false),
    ]);
    expect(running, `the relay child exited before it ran: ${this.#stderr}`).toBe(true);
    this.#child.kill('SIGTERM');
    const { code } = await this.#exited;
    expect(code, this.#stderr).toBe(0);
  }

  acks(): NatsPublication[] {
    const whole = this.#stdout.slice(0, this.#stdout.lastIndexOf('\n') + 1);
    return whole
      .split('\n')
      .filter((line) => line.includes('"ack"'))
      .map((line) => (JSON.parse(line) as Extract<ChildLine, { ack: unknown }>).ack);
  }
}

forEachBackend((backend) => {
  describeWithService(
    'nats',
    'the relay with a NATS outlet, killed with SIGKILL again and again',
    () => {
      const streams = new NatsStreams();
      afterEach(() => streams.deleteAll());

      it('loses nothing and leaves each event once in the stream (JetStream drops the repeats)', async () => {
        const seed = seedFrom('NATS_CRASH_SEED');
        const random = seededRandom(seed);
        const { url, store } = await backend.freshDatabase();
        const { stream, prefix } = await streams.create();
        const args = [url, natsServer(), stream, prefix, CRASH_OUTLET];
        const context = `seed ${seed} (NATS_CRASH_SEED=${seed} replays the kill times), ${backend.name}`;

        await produceJourneys(store, backend.clock, 8, 'first');
        const acks: NatsPublication[] = [];
        const duplicatesPerRun: number[] = [];
        for (let run = 0; run < KILLS; run++) {
          // More history while the relay is down: each run starts with a backlog to publish.
          await produceJourneys(store, backend.clock, 3, `run${run}`);
          const child = new RelayChild(args);
          // Batches of 40 (the child's policy): the kill lands inside the first one.
          await child.killAfterAcks(1 + Math.floor(random() * 30));
          const printed = child.acks();
          acks.push(...printed);
          duplicatesPerRun.push(printed.filter((ack) => ack.duplicate).length);
        }
        const last = new RelayChild(args);
        await caughtUp(store, CRASH_OUTLET, 60_000);
        await last.stop();
        acks.push(...last.acks());
        duplicatesPerRun.push(last.acks().filter((ack) => ack.duplicate).length);

        const stored = await allEvents(store);
        const messages = await streams.messages(stream);
        const ids = messages.map((m) => m.envelope.id);
        expect(new Set(ids).size, `${context}: an id stored twice`).toBe(ids.length);
        expect(new Set(ids), `${context}: events missing`).toEqual(
          new Set(stored.map((e) => e.eventId)),
        );
        expect(journeyOrder(messages.map((m) => m.envelope)), context).toEqual(
          storedJourneyOrder(stored),
        );
        const duplicates = duplicatesPerRun.reduce((sum, n) => sum + n, 0);
        console.log(
          `[${backend.name}] NATS crash: ${context}; ${KILLS} kills, ${stored.length} events, ` +
            `${acks.length} PubAcks, ${duplicates} repeats dropped by JetStream as duplicates ` +
            `(per run after a kill: ${duplicatesPerRun.slice(1).join(', ')})`,
        );
        // A repeat after a restart shows a kill landed inside a batch, before its checkpoint moved.
        expect(duplicates, `${context}: no kill hit a batch in flight`).toBeGreaterThan(0);
      }, 120_000);
    },
  );
});
