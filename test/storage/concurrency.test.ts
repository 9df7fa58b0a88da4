import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { ConcurrencyConflictError } from '../../src/application/errors.js';
import type { Store } from '../../src/application/ports.js';
import { DomainError } from '../../src/domain/errors.js';
import { decideJourney } from '../../src/domain/journey/decide.js';
import { evolveJourney, initialJourneyState } from '../../src/domain/journey/state.js';
import { addMillis, MINUTE } from '../../src/domain/time.js';
import { forEachBackend } from '../support/backends.js';
import { evaluation } from '../support/journey-fixtures.js';
import {
  expectedJourneyRecord,
  JourneyDriver,
  journeyEventsOf,
  newEvents,
  readEverything,
  unique,
  UnitDriver,
  withoutUpdatedAt,
  workItem,
} from '../support/store-fixtures.js';
import { task } from '../support/unit-of-work-builders.js';

interface ChildLine {
  readonly ready?: boolean;
  readonly done?: boolean;
  readonly claimed?: readonly string[];
  readonly owners?: readonly string[];
  readonly conflicts?: number;
}

/**
 * A worker process (test/storage/claimer.ts or appender.ts) printing JSON lines: started now,
 * it says when it is ready, starts on `go()`, and `finished` gives its lines.
 */
function startChild(script: string, ...args: string[]) {
  const owner = `${script} ${args.slice(1).join(' ')}`;
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: ChildLine[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const parsed = JSON.parse(line) as ChildLine;
    lines.push(parsed);
    if (parsed.ready === true) {
      onReady();
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    lines,
    ready: Promise.race([
      ready,
      exited.then((code) => {
        throw new Error(`claimer ${owner} exited (${code}) before it was ready: ${stderr}`);
      }),
    ]),
    go: () => child.stdin.end('go\n'),
    finished: exited.then((code) => {
      if (code !== 0) {
        throw new Error(`claimer ${owner} exited with ${code}: ${stderr}`);
      }
      return lines;
    }),
  };
}

forEachBackend((backend) => {
  /** Separate store instances on the file's database: separate connections, real locking. */
  async function stores(count: number): Promise<Store[]> {
    return Promise.all(
      Array.from({ length: count }, () => backend.open({ postgres: { poolSize: 6 } })),
    );
  }

  describe('many writers on one stream', () => {
    it('200 appends by 20 retrying writers get versions 1..200, none lost, none twice', async () => {
      const clock = backend.clock;
      const writers = await stores(4);
      const journey = JourneyDriver.create(clock).start();
      await backend.store.commit({ appends: [journey.append()] });
      const WRITERS = 20;
      const EACH = 10;
      let conflicts = 0;

      const writer = async (w: number): Promise<void> => {
        const store = writers[w % writers.length]!;
        for (let k = 0; k < EACH; k++) {
          const marker = `w${w}-${k}`;
          for (;;) {
            const stream = await store.readStream(journey.journeyId);
            const state = journeyEventsOf(stream).reduce(evolveJourney, initialJourneyState);
            const decision = decideJourney(
              {
                type: 'recordEvaluation',
                stage: 'sandbox',
                evaluation: evaluation([marker, 'passed']),
                trigger: 'manual',
                at: clock.now(),
              },
              state,
            );
            if (decision instanceof DomainError) {
              throw decision;
            }
            try {
              await store.commit({
                appends: [
                  {
                    streamId: journey.journeyId,
                    streamType: 'journey',
                    journeyId: journey.journeyId,
                    expectedVersion: stream.length,
                    events: newEvents(decision),
                  },
                ],
              });
              break;
            } catch (error) {
              if (!(error instanceof ConcurrencyConflictError)) {
                throw error;
              }
              conflicts += 1;
            }
          }
        }
      };
      await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));

      const stream = await backend.store.readStream(journey.journeyId);
      expect(stream.map((e) => e.version)).toEqual(
        Array.from({ length: WRITERS * EACH + 1 }, (_, i) => i + 1),
      );
      const markers = stream.flatMap((e) =>
        e.event.type === 'ExitCriteriaEvaluated'
          ? e.event.evaluation.results.map((r) => r.criterionId)
          : [],
      );
      expect(markers).toHaveLength(WRITERS * EACH);
      expect(new Set(markers).size).toBe(WRITERS * EACH);
      expect(new Set(stream.map((e) => e.eventId)).size).toBe(stream.length);
      expect(withoutUpdatedAt(await backend.store.findJourney(journey.journeyId))).toEqual(
        expectedJourneyRecord(stream),
      );
      // Writers did collide: the test exercised the version check, not a queue of turns.
      expect(conflicts).toBeGreaterThan(0);
    });

    it('writer processes appending to one stream get every version once, none lost', async () => {
      const journey = JourneyDriver.create(backend.clock).start();
      await backend.store.commit({ appends: [journey.append()] });
      const PROCESSES = 4;
      const EACH = 25;
      const writers = Array.from({ length: PROCESSES }, (_, p) =>
        startChild('test/storage/appender.ts', backend.url, journey.journeyId, `p${p}`, `${EACH}`),
      );
      await Promise.all(writers.map((w) => w.ready));
      writers.forEach((w) => w.go());
      const results = await Promise.all(writers.map((w) => w.finished));

      const stream = await backend.store.readStream(journey.journeyId);
      expect(stream.map((e) => e.version)).toEqual(
        Array.from({ length: PROCESSES * EACH + 1 }, (_, i) => i + 1),
      );
      const markers = stream.flatMap((e) =>
        e.event.type === 'ExitCriteriaEvaluated'
          ? e.event.evaluation.results.map((r) => r.criterionId)
          : [],
      );
      expect(new Set(markers).size).toBe(PROCESSES * EACH);
      expect(withoutUpdatedAt(await backend.store.findJourney(journey.journeyId))).toEqual(
        expectedJourneyRecord(stream),
      );
      const conflicts = results.flat().reduce((sum, line) => sum + (line.conflicts ?? 0), 0);
      expect(conflicts).toBeGreaterThan(0);
    }, 60_000);

    it('of simultaneous appends at one version exactly one wins', async () => {
      const writers = await stores(4);
      for (let round = 0; round < 5; round++) {
        const journey = JourneyDriver.create(backend.clock).start();
        await backend.store.commit({ appends: [journey.append()] });
        const attempts = Array.from({ length: 8 }, (_, i) => {
          const copy = new JourneyDriver(journey.journeyId, journey.clientId, backend.clock);
          copy.state = journey.state;
          copy.version = 1;
          copy.evaluate(true, `racer-${i}`);
          return writers[i % writers.length]!.commit({ appends: [copy.append()] });
        });
        const outcomes = await Promise.allSettled(attempts);
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.flatMap((o): unknown[] =>
          o.status === 'rejected' ? [o.reason] : [],
        );
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(7);
        for (const reason of lost) {
          expect(reason).toBeInstanceOf(ConcurrencyConflictError);
        }
        expect((await backend.store.readStream(journey.journeyId)).map((e) => e.version)).toEqual([
          1, 2,
        ]);
      }
    });
  });

  describe('two processes claiming from one queue', () => {
    it('never hand out an item twice while it is leased, and every item once', async () => {
      const { url, store } = await backend.freshDatabase();
      const now = backend.clock.now();
      const ITEMS = 500;
      for (let from = 0; from < ITEMS; from += 100) {
        await store.enqueue(
          Array.from({ length: 100 }, (_, i) =>
            workItem({ key: `item-${from + i}`, dueAt: addMillis(now, -(from + i)) }),
          ),
        );
      }
      expect(await store.countQueued()).toBe(ITEMS);

      const claimers = ['claimer-A', 'claimer-B'].map((owner) =>
        startChild('test/storage/claimer.ts', url, owner, now, '4'),
      );
      await Promise.all(claimers.map((c) => c.ready));
      claimers.forEach((c) => c.go());
      const results = await Promise.all(claimers.map((c) => c.finished));

      const claimedBy = results.map((lines) => lines.flatMap((line) => line.claimed ?? []));
      const all = claimedBy.flat();
      expect(new Set(all).size).toBe(all.length); // no item claimed twice
      expect(all).toHaveLength(ITEMS); // every item claimed
      expect(results.map((lines) => lines.at(-1)?.done)).toEqual([true, true]);
      for (const [i, lines] of results.entries()) {
        const owner = i === 0 ? 'claimer-A' : 'claimer-B';
        expect(lines.flatMap((l) => l.owners ?? []).every((o) => o === owner)).toBe(true);
      }
      // Both processes really took part.
      expect(claimedBy[0]!.length).toBeGreaterThan(0);
      expect(claimedBy[1]!.length).toBeGreaterThan(0);
      // Still leased (an hour): nobody else gets any of them now.
      expect(await store.claim({ owner: 'late', limit: 500, leaseFor: MINUTE, now })).toEqual([]);
    }, 60_000);
  });

  describe('reading the global log while many writers commit', () => {
    it('a polling reader sees every committed event exactly once', async () => {
      const { url } = await backend.freshDatabase();
      const writerStores = await Promise.all(
        Array.from({ length: 4 }, () => backend.open({ postgres: { poolSize: 8 } }, url)),
      );
      const reader = await backend.open({ postgres: { poolSize: 1 } }, url);
      const clock = backend.clock;
      const WRITERS = 32;
      const COMMITS = 12;
      const committed: string[] = [];
      let writing = true;
      let inFlight = 0;
      let maxInFlight = 0;

      // Small commits (one event) and big ones (a unit of work with a large task output, which
      // holds its transaction open longer after its events took their positions).
      const big = 'x'.repeat(64 * 1024);
      const writer = async (w: number): Promise<void> => {
        const store = writerStores[w % writerStores.length]!;
        for (let c = 0; c < COMMITS; c++) {
          const journey = JourneyDriver.create(clock).start();
          const appends = [journey.append()];
          if ((w + c) % 3 === 0) {
            const unit = UnitDriver.forJourney(journey, clock).create([task('a'), task('b')]);
            unit.execute().runTask('a', { blob: big, w, c }).runTask('b', { blob: big });
            appends.push(unit.append());
          }
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          const result = await store.commit({ appends });
          inFlight -= 1;
          committed.push(...result.events.map((e) => e.eventId));
        }
      };

      const seen: string[] = [];
      const poll = async (): Promise<void> => {
        let next = '0';
        let emptyAfterWriters = 0;
        while (emptyAfterWriters < 2) {
          const page = await reader.readAll(next, 25);
          seen.push(...page.events.map((e) => e.eventId));
          next = page.next;
          if (page.events.length === 0 && !writing) {
            emptyAfterWriters += 1;
          }
          if (page.events.length === 0) {
            await new Promise<void>((resolve) => setImmediate(resolve));
          }
        }
      };

      const polling = poll();
      await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
      writing = false;
      await polling;

      expect(maxInFlight).toBeGreaterThan(8);
      expect(new Set(seen).size).toBe(seen.length); // nothing twice
      const missing = committed.filter((id) => !seen.includes(id));
      expect(missing).toEqual([]); // nothing skipped
      expect(seen).toHaveLength(committed.length);
      expect((await readEverything(reader)).map((e) => e.eventId).sort()).toEqual(
        [...committed].sort(),
      );
      expect(unique('done')).toBeTruthy();
    }, 60_000);
  });
});
