import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ActiveJourneyExistsError,
  ConcurrencyConflictError,
  ConfigError,
  LeaseLostError,
  StorageUnavailableError,
} from '../../src/application/errors.js';
import {
  START,
  type JourneyFilter,
  type JourneyRecord,
  type Page,
  type Store,
  type StoredEvent,
  type StreamAppend,
} from '../../src/application/ports.js';
import { asWorkId } from '../../src/domain/ids.js';
import type { JourneyState } from '../../src/domain/journey/state.js';
import { addMillis, DAY, MINUTE, SECOND } from '../../src/domain/time.js';
import { openStore } from '../../src/storage/open-store.js';
import type { BackendHarness } from '../support/backends.js';
import {
  expectedJourneyRecord,
  expectedUnitRecord,
  JourneyDriver,
  metadata,
  readEverything,
  unique,
  UnitDriver,
  withoutUpdatedAt,
  workItem,
} from '../support/store-fixtures.js';
import { task } from '../support/unit-of-work-builders.js';

/**
 * The Store contract (src/application/ports.ts), run against every backend by
 * test/storage/sqlite.test.ts and test/storage/postgres.test.ts. Tests share the file's
 * database and use unique ids; tests that count or drain globally take a fresh database.
 */
export function storeContract(backend: BackendHarness): void {
  const clock = backend.clock;
  const LEASE = 30 * SECOND;

  /** The read model of a journey must equal the fold of its stream. */
  async function expectJourneyReadModelIsFold(store: Store, journeyId: string): Promise<void> {
    const stream = await store.readStream(journeyId);
    expect(withoutUpdatedAt(await store.findJourney(journeyId))).toEqual(
      expectedJourneyRecord(stream),
    );
  }

  async function expectUnitReadModelIsFold(store: Store, workId: string): Promise<void> {
    const stream = await store.readStream(workId);
    expect(withoutUpdatedAt(await store.findUnitOfWork(workId))).toEqual(
      expectedUnitRecord(stream),
    );
  }

  /** Every item claimable from now until far in the future, by a throw-away owner. */
  async function drain(store: Store, owner = unique('drainer')): Promise<string[]> {
    const items = await store.claim({
      owner,
      limit: 500,
      leaseFor: MINUTE,
      now: addMillis(clock.now(), 3650 * DAY),
    });
    return items.map((item) => item.key ?? item.id);
  }

  it('names its backend and answers a ping', async () => {
    expect(backend.store.backend).toBe(backend.name);
    await expect(backend.store.ping()).resolves.toBeUndefined();
  });

  describe('appending to and reading a stream', () => {
    it('gives each event its id, versions 1..n, positions, both times and the metadata', async () => {
      const store = backend.store;
      const journey = JourneyDriver.create(clock).start();
      clock.advance(SECOND);
      journey.completeSetup();
      const meta = metadata({ causedBy: 'alice', causationId: 'request-7' });
      const append = journey.append(meta);
      const occurred = append.events.map((e) => e.occurredAt);
      const recordedAt = clock.advance(5 * SECOND);

      const result = await store.commit({ appends: [append] });

      expect(result.versions).toEqual({ [journey.journeyId]: 2 });
      const stream = await store.readStream(journey.journeyId);
      expect(stream).toEqual(result.events);
      expect(stream.map((e) => e.eventId)).toEqual(append.events.map((e) => e.eventId));
      expect(stream.map((e) => e.version)).toEqual([1, 2]);
      expect(stream.map((e) => e.type)).toEqual(['JourneyStarted', 'StageSetupCompleted']);
      expect(stream.map((e) => e.event)).toEqual(append.events.map((e) => e.event));
      expect(stream.map((e) => e.occurredAt)).toEqual(occurred);
      expect(occurred[0]).not.toBe(occurred[1]);
      for (const event of stream) {
        expect(event).toMatchObject({
          streamId: journey.journeyId,
          streamType: 'journey',
          journeyId: journey.journeyId,
          recordedAt,
          metadata: meta,
        });
      }
      const positions = stream.map((e) => e.position);
      expect(new Set(positions).size).toBe(2);
      expect(positions).not.toContain(START);
      // Positions are opaque, but reading after the first one gives the second one next.
      const after = await store.readAll(positions[0]!, 1);
      expect(after.events.map((e) => e.eventId)).toEqual([stream[1]!.eventId]);
    });

    it('round-trips metadata with a causation id, a correlation id and a user', async () => {
      const journey = JourneyDriver.create(clock).start();
      const meta = {
        causedBy: 'user:ops@example.com',
        correlationId: unique('corr'),
        causationId: unique('cause'),
      };
      await backend.store.commit({ appends: [journey.append(meta)] });
      const [event] = await backend.store.readStream(journey.journeyId);
      expect(event?.metadata).toEqual(meta);
    });

    it('appends to an existing stream and reads after a version', async () => {
      const store = backend.store;
      const journey = JourneyDriver.create(clock).start();
      await store.commit({ appends: [journey.append()] });
      clock.advance(MINUTE);
      journey.completeSetup().evaluate(false);
      const result = await store.commit({ appends: [journey.append()] });

      expect(result.versions[journey.journeyId]).toBe(3);
      expect(result.events.map((e) => e.version)).toEqual([2, 3]);
      const all = await store.readStream(journey.journeyId);
      expect(all.map((e) => e.version)).toEqual([1, 2, 3]);
      expect(await store.readStream(journey.journeyId, 1)).toEqual(all.slice(1));
      expect(await store.readStream(journey.journeyId, 3)).toEqual([]);
      expect(await store.readStream(unique('no-such-stream'))).toEqual([]);
    });

    it('refuses a stale expected version with a conflict and writes nothing of the commit', async () => {
      const { store } = await backend.freshDatabase();
      const journey = JourneyDriver.create(clock).start();
      await store.commit({ appends: [journey.append()] });
      const staleState = journey.state; // at version 1
      journey.completeSetup();
      await store.commit({ appends: [journey.append()] });
      const before = await store.readStream(journey.journeyId);
      const journeyBefore = await store.findJourney(journey.journeyId);

      // A second decision made on version 1, with a unit of work and queued work riding along.
      const other = new JourneyDriver(journey.journeyId, journey.clientId, clock);
      other.state = staleState;
      other.version = 1;
      other.evaluate(true, 'stale');
      const unit = UnitDriver.forJourney(journey, clock, asWorkId(unique('work'))).create();
      const stale = other.append();

      const failure = await store
        .commit({
          appends: [unit.append(), stale],
          enqueue: [workItem({ key: unique('stale-item'), dueAt: clock.now() })],
        })
        .then(
          () => null,
          (error: unknown) => error,
        );

      expect(failure).toBeInstanceOf(ConcurrencyConflictError);
      expect(failure).toMatchObject({
        streamId: journey.journeyId,
        expectedVersion: 1,
        actualVersion: 2,
      });
      expect(await store.readStream(journey.journeyId)).toEqual(before);
      expect(await store.findJourney(journey.journeyId)).toEqual(journeyBefore);
      expect(await store.readStream(unit.workId)).toEqual([]);
      expect(await store.findUnitOfWork(unit.workId)).toBeNull();
      expect(await store.countQueued()).toBe(0);
      expect(await drain(store)).toEqual([]);
    });

    it('refuses an expected version ahead of the stream, and a new stream expected to exist', async () => {
      const store = backend.store;
      const journey = JourneyDriver.create(clock).start();
      await store.commit({ appends: [journey.append()] });
      journey.completeSetup();
      const ahead = { ...journey.append(), expectedVersion: 5 };
      await expect(store.commit({ appends: [ahead] })).rejects.toMatchObject({
        name: 'ConcurrencyConflictError',
        streamId: journey.journeyId,
        expectedVersion: 5,
        actualVersion: 1,
      });

      const fresh = JourneyDriver.create(clock).start();
      const phantom = { ...fresh.append(), expectedVersion: 1 };
      const error = await store.commit({ appends: [phantom] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConcurrencyConflictError);
      expect(error).toMatchObject({ streamId: fresh.journeyId, expectedVersion: 1 });
      expect((error as ConcurrencyConflictError).actualVersion ?? 0).toBe(0);
      expect(await store.readStream(fresh.journeyId)).toEqual([]);
      expect(await store.findJourney(fresh.journeyId)).toBeNull();
    });

    it('writes a multi-stream commit (journey, unit of work, queued work) all together', async () => {
      const { store } = await backend.freshDatabase();
      const journey = JourneyDriver.create(clock).start();
      const unit = UnitDriver.forJourney(journey, clock).create().execute();
      const key = `task:${unit.workId}:a`;
      const result = await store.commit({
        appends: [journey.append(), unit.append()],
        enqueue: [
          workItem({ key, journeyId: journey.journeyId, dueAt: clock.now(), payload: { t: 'a' } }),
        ],
      });

      expect(result.versions).toEqual({ [journey.journeyId]: 1, [unit.workId]: 4 });
      expect(result.events.map((e) => e.streamId)).toEqual([
        journey.journeyId,
        unit.workId,
        unit.workId,
        unit.workId,
        unit.workId,
      ]);
      await expectJourneyReadModelIsFold(store, journey.journeyId);
      await expectUnitReadModelIsFold(store, unit.workId);
      expect(await store.countQueued()).toBe(1);
      const [item] = await store.claim({
        owner: 'w',
        limit: 10,
        leaseFor: LEASE,
        now: clock.now(),
      });
      expect(item).toMatchObject({ key, journeyId: journey.journeyId, payload: { t: 'a' } });
    });

    it('writes nothing of a multi-stream commit whose second append conflicts', async () => {
      const { store } = await backend.freshDatabase();
      const journey = JourneyDriver.create(clock).start();
      const unit = UnitDriver.forJourney(journey, clock).create();
      await store.commit({ appends: [journey.append(), unit.append()] });
      const journeyBefore = await store.findJourney(journey.journeyId);
      const unitBefore = await store.findUnitOfWork(unit.workId);

      journey.completeSetup();
      unit.execute();
      const unitAppend = { ...unit.append(), expectedVersion: 1 }; // the unit is at 3
      await expect(
        store.commit({
          appends: [journey.append(), unitAppend],
          enqueue: [workItem({ key: unique('k'), dueAt: clock.now() })],
        }),
      ).rejects.toBeInstanceOf(ConcurrencyConflictError);

      expect((await store.readStream(journey.journeyId)).map((e) => e.type)).toEqual([
        'JourneyStarted',
      ]);
      expect(await store.readStream(unit.workId)).toHaveLength(3);
      expect(await store.findJourney(journey.journeyId)).toEqual(journeyBefore);
      expect(await store.findUnitOfWork(unit.workId)).toEqual(unitBefore);
      expect(await store.countQueued()).toBe(0);
      expect((await readEverything(store)).map((e) => e.streamId)).toEqual([
        journey.journeyId,
        unit.workId,
        unit.workId,
        unit.workId,
      ]);
    });
  });

  describe('read models', () => {
    it('keeps the journey row equal to the fold of its stream through its life', async () => {
      const store = backend.store;
      const journey = JourneyDriver.create(clock).start();
      const steps: (() => void)[] = [
        () => journey.completeSetup(),
        () => journey.evaluate(false),
        () => journey.evaluate(true),
        () => journey.promote(),
        () => journey.rollback(),
        () => journey.cancel(),
      ];
      await store.commit({ appends: [journey.append()] });
      await expectJourneyReadModelIsFold(store, journey.journeyId);
      const statuses = [(await store.findJourney(journey.journeyId))?.status];
      for (const step of steps) {
        clock.advance(MINUTE);
        step();
        await store.commit({ appends: [journey.append()] });
        await expectJourneyReadModelIsFold(store, journey.journeyId);
        statuses.push((await store.findJourney(journey.journeyId))?.status);
      }
      expect(statuses).toEqual([
        'setting_up',
        'validating',
        'blocked',
        'ready_to_promote',
        'setting_up',
        'rolling_back',
        'cancelled',
      ]);
      const record = await store.findJourney(journey.journeyId);
      expect(record).toMatchObject({ active: false, stage: 'cancelled', endedAt: clock.now() });
    });

    it('sets updatedAt from the store clock at the last commit', async () => {
      const journey = JourneyDriver.create(clock).start();
      await backend.store.commit({ appends: [journey.append()] });
      journey.completeSetup();
      const committedAt = clock.advance(7 * MINUTE);
      await backend.store.commit({ appends: [journey.append()] });
      clock.advance(MINUTE);
      expect((await backend.store.findJourney(journey.journeyId))?.updatedAt).toBe(committedAt);
    });

    it('keeps the unit-of-work row equal to the fold of its stream', async () => {
      const store = backend.store;
      const journey = JourneyDriver.create(clock).start();
      const unit = UnitDriver.forJourney(journey, clock).create([
        task('a'),
        task('b', ['a']),
        task('c', ['a']),
      ]);
      await store.commit({ appends: [journey.append(), unit.append()] });
      await expectUnitReadModelIsFold(store, unit.workId);

      const steps: (() => void)[] = [
        () => unit.execute(),
        () => unit.runTask('a', { dataset: 'ds-1' }),
        () => unit.failTask('b', unit.startTask('b')),
        () => unit.runTask('c'),
        () => {
          clock.advance(10 * MINUTE);
          unit.runTask('b');
        },
      ];
      for (const step of steps) {
        clock.advance(SECOND);
        step();
        await store.commit({ appends: [unit.append()] });
        await expectUnitReadModelIsFold(store, unit.workId);
      }
      expect(await store.findUnitOfWork(unit.workId)).toMatchObject({
        status: 'completed',
        stage: 'sandbox',
        purpose: 'setup',
        journeyId: journey.journeyId,
        clientId: journey.clientId,
        version: unit.version,
      });
      expect(await store.findJourney(unique('none'))).toBeNull();
      expect(await store.findUnitOfWork(unique('none'))).toBeNull();
    });

    it("finds a client's active journey, else its latest one", async () => {
      const store = backend.store;
      const first = JourneyDriver.create(clock).start();
      const clientId = first.clientId;
      await store.commit({ appends: [first.append()] });
      expect((await store.findJourneyByClientId(clientId))?.journeyId).toBe(first.journeyId);

      clock.advance(MINUTE);
      first.cancel();
      await store.commit({ appends: [first.append()] });
      expect((await store.findJourneyByClientId(clientId))?.journeyId).toBe(first.journeyId);

      clock.advance(MINUTE);
      const second = JourneyDriver.create(clock, clientId).start();
      await store.commit({ appends: [second.append()] });
      expect((await store.findJourneyByClientId(clientId))?.journeyId).toBe(second.journeyId);

      clock.advance(MINUTE);
      second.complete();
      await store.commit({ appends: [second.append()] });
      const latest = await store.findJourneyByClientId(clientId);
      expect(latest?.journeyId).toBe(second.journeyId);
      expect(withoutUpdatedAt(latest)).toEqual(
        expectedJourneyRecord(await store.readStream(second.journeyId)),
      );

      clock.advance(MINUTE);
      const third = JourneyDriver.create(clock, clientId).start();
      await store.commit({ appends: [third.append()] });
      expect((await store.findJourneyByClientId(clientId))?.journeyId).toBe(third.journeyId);
      expect(await store.findJourneyByClientId(unique('nobody'))).toBeNull();
    });

    it('lists units of work by client and stage', async () => {
      const store = backend.store;
      const journey = JourneyDriver.create(clock).start();
      const sandbox = UnitDriver.forJourney(journey, clock).create();
      await store.commit({ appends: [journey.append(), sandbox.append()] });
      journey.promote();
      const pilot = UnitDriver.forJourney(journey, clock).create([task('p')], { stage: 'pilot' });
      const pilotRollback = new UnitDriver(
        asWorkId(unique('rollback')),
        journey.journeyId,
        journey.clientId,
        clock,
      ).create([task('undo')], { stage: 'pilot', purpose: 'rollback' });
      await store.commit({ appends: [journey.append(), pilot.append(), pilotRollback.append()] });

      const inPilot = await store.findUnitsOfWorkByClientAndStage(journey.clientId, 'pilot');
      expect(inPilot.map((u) => u.workId).sort()).toEqual(
        [pilot.workId, pilotRollback.workId].sort(),
      );
      for (const record of inPilot) {
        expect(withoutUpdatedAt(record)).toEqual(
          expectedUnitRecord(await store.readStream(record.workId)),
        );
      }
      const inSandbox = await store.findUnitsOfWorkByClientAndStage(journey.clientId, 'sandbox');
      expect(inSandbox.map((u) => u.workId)).toEqual([sandbox.workId]);
      expect(await store.findUnitsOfWorkByClientAndStage(journey.clientId, 'production')).toEqual(
        [],
      );
      expect(await store.findUnitsOfWorkByClientAndStage(unique('nobody'), 'pilot')).toEqual([]);
    });

    it('lists journeys by stage, status, activity and client, paging with a cursor', async () => {
      const { store } = await backend.freshDatabase();
      const journeys: JourneyDriver[] = [];
      for (let i = 0; i < 120; i++) {
        clock.advance(SECOND);
        const journey = JourneyDriver.create(clock, `client-${String(i).padStart(3, '0')}`).start();
        if (i % 3 === 1) {
          journey.promote();
        }
        if (i % 5 === 2) {
          journey.cancel();
        } else if (i % 7 === 3) {
          journey.complete();
        }
        journeys.push(journey);
        await store.commit({ appends: [journey.append()] });
      }
      const expected = new Map<string, Omit<JourneyRecord, 'updatedAt'>>();
      for (const journey of journeys) {
        expected.set(
          journey.journeyId,
          expectedJourneyRecord(await store.readStream(journey.journeyId)),
        );
      }

      async function all(filter: Omit<JourneyFilter, 'cursor'>): Promise<string[]> {
        const seen: string[] = [];
        let cursor: string | null = null;
        for (let pages = 0; pages < 200; pages++) {
          const page: Page<JourneyRecord> = await store.listJourneys({ ...filter, cursor });
          expect(page.items.length).toBeLessThanOrEqual(filter.limit ?? 50);
          for (const item of page.items) {
            expect(withoutUpdatedAt(item)).toEqual(expected.get(item.journeyId));
            seen.push(item.journeyId);
          }
          cursor = page.nextCursor;
          if (cursor === null) {
            return seen;
          }
        }
        throw new Error('listJourneys never stopped paging');
      }
      const ids = (keep: (r: Omit<JourneyRecord, 'updatedAt'>) => boolean) =>
        [...expected.values()]
          .filter(keep)
          .map((r) => r.journeyId)
          .sort();
      const expectPaged = async (
        filter: Omit<JourneyFilter, 'cursor'>,
        keep: (r: Omit<JourneyRecord, 'updatedAt'>) => boolean,
      ) => {
        const seen = await all(filter);
        expect(new Set(seen).size).toBe(seen.length); // no duplicate
        expect([...seen].sort()).toEqual(ids(keep)); // no gap
      };

      await expectPaged({ limit: 7 }, () => true);
      await expectPaged({}, () => true);
      await expectPaged({ limit: 500 }, () => true);
      await expectPaged({ stage: 'pilot', limit: 5 }, (r) => r.stage === 'pilot');
      await expectPaged({ stage: 'completed', limit: 4 }, (r) => r.stage === 'completed');
      await expectPaged({ active: true, limit: 9 }, (r) => r.active);
      await expectPaged({ active: false, limit: 9 }, (r) => !r.active);
      await expectPaged({ status: 'setting_up', limit: 11 }, (r) => r.status === 'setting_up');
      await expectPaged(
        { stage: 'pilot', status: 'setting_up', active: true, limit: 3 },
        (r) => r.stage === 'pilot' && r.status === 'setting_up' && r.active,
      );
      await expectPaged({ clientId: 'client-042' }, (r) => r.clientId === 'client-042');

      const first = await store.listJourneys({});
      expect(first.items).toHaveLength(50);
      expect(first.nextCursor).not.toBeNull();
      expect(ids((r) => r.stage === 'pilot').length).toBeGreaterThan(10);
      expect(ids((r) => !r.active).length).toBeGreaterThan(10);
    });
  });

  describe('one active journey per client', () => {
    it('refuses a second start while the first is active, allows it once that one ended', async () => {
      const store = backend.store;
      const first = JourneyDriver.create(clock).start();
      await store.commit({ appends: [first.append()] });

      const second = JourneyDriver.create(clock, first.clientId).start();
      const secondStart = second.append();
      const unit = UnitDriver.forJourney(second, clock).create();
      const error = await store
        .commit({
          appends: [secondStart, unit.append()],
          enqueue: [
            workItem({ key: unique('k'), journeyId: second.journeyId, dueAt: clock.now() }),
          ],
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ActiveJourneyExistsError);
      expect(error).toMatchObject({ clientId: first.clientId });
      expect(await store.readStream(second.journeyId)).toEqual([]);
      expect(await store.findJourney(second.journeyId)).toBeNull();
      expect(await store.findUnitOfWork(unit.workId)).toBeNull();
      expect((await store.findJourneyByClientId(first.clientId))?.journeyId).toBe(first.journeyId);

      first.cancel();
      await store.commit({ appends: [first.append()] });
      await store.commit({ appends: [secondStart] });
      expect((await store.findJourneyByClientId(first.clientId))?.journeyId).toBe(second.journeyId);

      const third = JourneyDriver.create(clock, first.clientId).start();
      await expect(store.commit({ appends: [third.append()] })).rejects.toBeInstanceOf(
        ActiveJourneyExistsError,
      );
      second.complete();
      await store.commit({ appends: [second.append()] });
      const fourth = JourneyDriver.create(clock, first.clientId).start();
      await store.commit({ appends: [fourth.append()] });
      expect((await store.findJourneyByClientId(first.clientId))?.journeyId).toBe(fourth.journeyId);
    });
  });

  describe('the global log', () => {
    it('reads every event from START in commit order, page by page', async () => {
      const { store } = await backend.freshDatabase();
      const committed: StoredEvent[] = [];
      const journeys = Array.from({ length: 4 }, () => JourneyDriver.create(clock).start());
      for (const journey of journeys) {
        const unit = UnitDriver.forJourney(journey, clock).create().execute();
        committed.push(
          ...(await store.commit({ appends: [journey.append(), unit.append()] })).events,
        );
      }
      for (const journey of journeys) {
        clock.advance(SECOND);
        journey.completeSetup().evaluate();
        committed.push(...(await store.commit({ appends: [journey.append()] })).events);
      }

      for (const pageSize of [1, 3, 7, 1000]) {
        const read = await readEverything(store, pageSize);
        expect(read).toEqual(committed);
      }
      const firstPage = await store.readAll(START, 5);
      expect(firstPage.events).toEqual(committed.slice(0, 5));
      const rest = await store.readAll(firstPage.next, 1000);
      expect(rest.events).toEqual(committed.slice(5));
      const end = await store.readAll(rest.next, 1000);
      expect(end.events).toEqual([]);

      // A reader at the end sees a new commit, and only it.
      const late = JourneyDriver.create(clock).start();
      const { events } = await store.commit({ appends: [late.append()] });
      const next = await store.readAll(end.next, 1000);
      expect(next.events).toEqual(events);
    });
  });

  describe('work queue', () => {
    it('enqueues a key once: a second enqueue of the same key does nothing', async () => {
      const { store } = await backend.freshDatabase();
      const key = unique('reaction');
      await store.enqueue([
        workItem({ key, kind: 'reaction', payload: { n: 1 }, dueAt: clock.now() }),
      ]);
      await store.enqueue([
        workItem({ key, kind: 'reaction', payload: { n: 2 }, dueAt: clock.now() }),
      ]);
      const journey = JourneyDriver.create(clock).start();
      await store.commit({
        appends: [journey.append()],
        enqueue: [workItem({ key, kind: 'reaction', payload: { n: 3 }, dueAt: clock.now() })],
      });
      expect(await store.readStream(journey.journeyId)).toHaveLength(1);
      expect(await store.countQueued()).toBe(1);
      const claimed = await store.claim({
        owner: 'w',
        limit: 10,
        leaseFor: LEASE,
        now: clock.now(),
      });
      expect(claimed.map((i) => i.payload)).toEqual([{ n: 1 }]);
      // Not even while it is leased.
      await store.enqueue([
        workItem({ key, kind: 'reaction', payload: { n: 4 }, dueAt: clock.now() }),
      ]);
      expect(await store.countQueued()).toBe(1);
      expect(
        await store.claim({ owner: 'w2', limit: 10, leaseFor: LEASE, now: clock.now() }),
      ).toEqual([]);
    });

    it('claims only due items, at most the limit, of the kinds asked for', async () => {
      const { store } = await backend.freshDatabase();
      const now = clock.now();
      await store.enqueue([
        workItem({ key: 'due-1', kind: 'task_attempt', dueAt: now }),
        workItem({ key: 'due-2', kind: 'recheck', dueAt: addMillis(now, -MINUTE) }),
        workItem({ key: 'due-3', kind: 'task_attempt', dueAt: now }),
        workItem({ key: 'later-1', kind: 'task_attempt', dueAt: addMillis(now, MINUTE) }),
        workItem({ key: 'later-2', kind: 'reaction', dueAt: addMillis(now, 2 * MINUTE) }),
      ]);
      const claim = (limit: number, kinds?: ('task_attempt' | 'recheck' | 'reaction')[]) =>
        store.claim({
          owner: 'w1',
          limit,
          leaseFor: 10 * MINUTE,
          now: clock.now(),
          ...(kinds ? { kinds } : {}),
        });

      const rechecks = await claim(10, ['recheck']);
      expect(rechecks.map((i) => i.key)).toEqual(['due-2']);
      const two = await claim(2);
      expect(two).toHaveLength(2);
      const one = await claim(2);
      expect([...two, ...one].map((i) => i.key).sort()).toEqual(['due-1', 'due-3']);
      expect(one).toHaveLength(0);

      clock.advance(MINUTE);
      expect((await claim(10, ['reaction'])).map((i) => i.key)).toEqual([]);
      expect((await claim(10)).map((i) => i.key)).toEqual(['later-1']);
      clock.advance(MINUTE);
      const last = await claim(10);
      expect(last.map((i) => i.key)).toEqual(['later-2']);
      expect(last[0]).toMatchObject({
        kind: 'reaction',
        key: 'later-2',
        journeyId: null,
        payload: { test: true },
        dueAt: addMillis(now, 2 * MINUTE),
        attempts: 1,
        leaseOwner: 'w1',
        leaseExpiresAt: addMillis(clock.now(), 10 * MINUTE),
        lastError: null,
      });
      expect(typeof last[0]?.id).toBe('string');
    });

    it('does not hand out a leased item again until its lease expires', async () => {
      const { store } = await backend.freshDatabase();
      const journey = JourneyDriver.create(clock).start();
      await store.commit({
        appends: [journey.append()],
        enqueue: [workItem({ key: 'lease-me', journeyId: journey.journeyId, dueAt: clock.now() })],
      });
      const [item] = await store.claim({ owner: 'A', limit: 5, leaseFor: LEASE, now: clock.now() });
      expect(item).toMatchObject({ key: 'lease-me', attempts: 1, leaseOwner: 'A' });
      const itemId = item!.id;

      expect(
        await store.claim({ owner: 'B', limit: 5, leaseFor: LEASE, now: clock.now() }),
      ).toEqual([]);
      clock.advance(LEASE - SECOND);
      expect(
        await store.claim({ owner: 'B', limit: 5, leaseFor: LEASE, now: clock.now() }),
      ).toEqual([]);
      clock.advance(2 * SECOND);
      const [again] = await store.claim({
        owner: 'B',
        limit: 5,
        leaseFor: LEASE,
        now: clock.now(),
      });
      expect(again).toMatchObject({
        id: itemId,
        key: 'lease-me',
        journeyId: journey.journeyId,
        attempts: 2,
        leaseOwner: 'B',
        leaseExpiresAt: addMillis(clock.now(), LEASE),
      });

      // The first owner lost it.
      await expect(store.complete(itemId, 'A')).rejects.toBeInstanceOf(LeaseLostError);
      await expect(store.complete(itemId, 'A')).rejects.toMatchObject({ itemId, owner: 'A' });
      expect(await store.extendLease(itemId, 'A', LEASE, clock.now())).toBe(false);

      // The new owner extends its lease past the original expiry.
      clock.advance(LEASE - SECOND);
      expect(await store.extendLease(itemId, 'B', LEASE, clock.now())).toBe(true);
      clock.advance(2 * SECOND);
      expect(
        await store.claim({ owner: 'C', limit: 5, leaseFor: LEASE, now: clock.now() }),
      ).toEqual([]);
      await store.complete(itemId, 'B');
      expect(await store.countQueued()).toBe(0);
      expect(await drain(store)).toEqual([]);
    });

    it('refuses completion by an owner that never held the lease', async () => {
      const { store } = await backend.freshDatabase();
      await store.enqueue([workItem({ key: 'k1', dueAt: clock.now() })]);
      const [item] = await store.claim({ owner: 'A', limit: 1, leaseFor: LEASE, now: clock.now() });
      await expect(store.complete(item!.id, 'intruder')).rejects.toBeInstanceOf(LeaseLostError);
      await expect(
        store.commit({ appends: [], complete: { itemId: item!.id, leaseOwner: 'intruder' } }),
      ).rejects.toBeInstanceOf(LeaseLostError);
      await store.complete(item!.id, 'A');
      expect(await store.countQueued()).toBe(0);
    });

    it('completes an item in a commit with its events, or writes neither when the lease is lost', async () => {
      const { store } = await backend.freshDatabase();
      const journey = JourneyDriver.create(clock).start();
      const unit = UnitDriver.forJourney(journey, clock).create().execute();
      await store.commit({
        appends: [journey.append(), unit.append()],
        enqueue: [workItem({ key: 'run-a', journeyId: journey.journeyId, dueAt: clock.now() })],
      });
      const [mine] = await store.claim({ owner: 'A', limit: 1, leaseFor: LEASE, now: clock.now() });
      clock.advance(LEASE + SECOND);
      const [theirs] = await store.claim({
        owner: 'B',
        limit: 1,
        leaseFor: LEASE,
        now: clock.now(),
      });
      expect(theirs?.id).toBe(mine?.id);

      unit.runTask('a');
      const append = unit.append();
      const lost = await store
        .commit({ appends: [append], complete: { itemId: mine!.id, leaseOwner: 'A' } })
        .catch((e: unknown) => e);
      expect(lost).toBeInstanceOf(LeaseLostError);
      expect(await store.readStream(unit.workId)).toHaveLength(4);
      await expectUnitReadModelIsFold(store, unit.workId);
      expect((await store.findUnitOfWork(unit.workId))?.version).toBe(4);

      await store.commit({ appends: [append], complete: { itemId: theirs!.id, leaseOwner: 'B' } });
      expect(await store.readStream(unit.workId)).toHaveLength(6);
      await expectUnitReadModelIsFold(store, unit.workId);
      expect(await store.countQueued()).toBe(0);
      expect(await drain(store)).toEqual([]);
    });

    it('releases an item to be claimed again at a later time, with the error', async () => {
      const { store } = await backend.freshDatabase();
      await store.enqueue([workItem({ key: 'retry-me', dueAt: clock.now() })]);
      const [item] = await store.claim({ owner: 'A', limit: 1, leaseFor: LEASE, now: clock.now() });
      const itemId = item!.id;
      await expect(
        store.release(itemId, 'intruder', clock.now(), 'not mine'),
      ).rejects.toBeInstanceOf(LeaseLostError);

      const retryAt = addMillis(clock.now(), 5 * MINUTE);
      await store.release(itemId, 'A', retryAt, 'agent unavailable');
      expect(await store.nextDueAt()).toBe(retryAt);
      expect(
        await store.claim({ owner: 'B', limit: 1, leaseFor: LEASE, now: clock.now() }),
      ).toEqual([]);
      clock.advance(5 * MINUTE - SECOND);
      expect(
        await store.claim({ owner: 'B', limit: 1, leaseFor: LEASE, now: clock.now() }),
      ).toEqual([]);
      clock.advance(SECOND);
      const [again] = await store.claim({
        owner: 'B',
        limit: 1,
        leaseFor: LEASE,
        now: clock.now(),
      });
      expect(again).toMatchObject({
        id: itemId,
        dueAt: retryAt,
        attempts: 2,
        leaseOwner: 'B',
        lastError: 'agent unavailable',
      });
      await expect(store.complete(itemId, 'A')).rejects.toBeInstanceOf(LeaseLostError);

      // Released without an error: still claimable, at once when due now.
      await store.release(itemId, 'B', clock.now());
      const [third] = await store.claim({
        owner: 'C',
        limit: 1,
        leaseFor: LEASE,
        now: clock.now(),
      });
      expect(third).toMatchObject({ id: itemId, attempts: 3, leaseOwner: 'C' });
    });

    it('tells the earliest due time of unclaimed items and counts what is queued', async () => {
      const { store } = await backend.freshDatabase();
      expect(await store.nextDueAt()).toBeNull();
      expect(await store.countQueued()).toBe(0);
      const now = clock.now();
      await store.enqueue([
        workItem({ key: 'in-3m', dueAt: addMillis(now, 3 * MINUTE) }),
        workItem({ key: 'in-1m', dueAt: addMillis(now, MINUTE) }),
        workItem({ key: 'in-2m', dueAt: addMillis(now, 2 * MINUTE) }),
      ]);
      expect(await store.nextDueAt()).toBe(addMillis(now, MINUTE));
      expect(await store.countQueued()).toBe(3);

      clock.advance(MINUTE);
      // A lease longer than the wait for the next item, so a claimed item is out of the running.
      const [first] = await store.claim({
        owner: 'A',
        limit: 1,
        leaseFor: 10 * MINUTE,
        now: clock.now(),
      });
      expect(first?.key).toBe('in-1m');
      expect(await store.nextDueAt()).toBe(addMillis(now, 2 * MINUTE));
      await store.complete(first!.id, 'A');
      expect(await store.countQueued()).toBe(2);
      expect(await store.nextDueAt()).toBe(addMillis(now, 2 * MINUTE));
    });
  });

  describe('retention', () => {
    it('prunes journeys ended before the cutoff with their units, events and work, and reports it', async () => {
      const { store } = await backend.freshDatabase();
      const origin = clock.now();
      const cutoff = addMillis(origin, 100 * DAY);
      const withUnit = async (journey: JourneyDriver, items: number) => {
        const unit = UnitDriver.forJourney(journey, clock).create().execute();
        await store.commit({
          appends: [journey.append(), unit.append()],
          enqueue: Array.from({ length: items }, (_, i) =>
            workItem({
              key: unique(`work-${i}`),
              journeyId: journey.journeyId,
              dueAt: addMillis(clock.now(), 365 * DAY),
            }),
          ),
        });
        return unit;
      };

      // Ended long ago: pruned.
      const oldCancelled = JourneyDriver.create(clock).start();
      const oldCancelledUnit = await withUnit(oldCancelled, 2);
      oldCancelled.cancel();
      oldCancelledUnit.cancel();
      await store.commit({ appends: [oldCancelled.append(), oldCancelledUnit.append()] });
      const oldCompleted = JourneyDriver.create(clock).start();
      await withUnit(oldCompleted, 1);
      oldCompleted.complete();
      await store.commit({ appends: [oldCompleted.append()] });
      // Started long ago and still active: kept.
      const oldActive = JourneyDriver.create(clock).start();
      await withUnit(oldActive, 1);
      // Ended after the cutoff: kept.
      clock.set(addMillis(cutoff, DAY));
      const recentEnded = JourneyDriver.create(clock).start();
      await withUnit(recentEnded, 1);
      recentEnded.cancel();
      await store.commit({ appends: [recentEnded.append()] });
      clock.advance(DAY);

      const pruned = [oldCancelled, oldCompleted];
      const kept = [oldActive, recentEnded];
      const everything = await readEverything(store);
      const prunedIds = new Set<string>(pruned.map((j) => j.journeyId));
      const expectedEvents = everything.filter((e) => prunedIds.has(e.journeyId)).length;
      const keptBefore = new Map<string, StoredEvent[]>();
      for (const journey of kept) {
        keptBefore.set(journey.journeyId, await store.readStream(journey.journeyId));
      }
      const queuedBefore = await store.countQueued();
      expect(queuedBefore).toBe(5);

      const expectedReport = {
        cutoff,
        journeys: 2,
        unitsOfWork: 2,
        events: expectedEvents,
        workItems: 3,
      };
      const dryRun = await store.prune(cutoff, { dryRun: true });
      expect(dryRun).toMatchObject(expectedReport);
      expect([...dryRun.journeyIds].sort()).toEqual([...prunedIds].sort());
      expect(await readEverything(store)).toEqual(everything);
      expect(await store.countQueued()).toBe(queuedBefore);

      const report = await store.prune(cutoff);
      expect(report).toMatchObject(expectedReport);
      expect([...report.journeyIds].sort()).toEqual([...prunedIds].sort());

      for (const journey of pruned) {
        expect(await store.findJourney(journey.journeyId)).toBeNull();
        expect(await store.readStream(journey.journeyId)).toEqual([]);
        const setupId =
          journey.state.status === 'started' ? journey.state.setups.sandbox?.workId : undefined;
        expect(await store.readStream(setupId!)).toEqual([]);
        expect(await store.findUnitOfWork(setupId!)).toBeNull();
      }
      expect(await store.countQueued()).toBe(2);
      const remaining = await readEverything(store);
      expect(remaining).toEqual(everything.filter((e) => !prunedIds.has(e.journeyId)));
      for (const journey of kept) {
        expect(await store.readStream(journey.journeyId)).toEqual(
          keptBefore.get(journey.journeyId),
        );
        await expectJourneyReadModelIsFold(store, journey.journeyId);
      }
      const keptUnits = await store.findUnitsOfWorkByClientAndStage(oldActive.clientId, 'sandbox');
      expect(keptUnits).toHaveLength(1);
      expect(await drain(store)).toHaveLength(2);

      const again = await store.prune(cutoff);
      expect(again).toMatchObject({ journeys: 0, unitsOfWork: 0, events: 0, workItems: 0 });
      expect(again.journeyIds).toEqual([]);
    });

    it('never hands out a position twice, even after pruning the newest events', async () => {
      const { store } = await backend.freshDatabase();
      const ended = JourneyDriver.create(clock).start().cancel();
      await store.commit({ appends: [ended.append()] });
      // A relay that has read everything so far keeps this checkpoint across the prune.
      const { next: checkpoint } = await store.readAll(START, 1000);
      clock.advance(DAY);
      await store.prune(clock.now());
      expect(await store.findJourney(ended.journeyId)).toBeNull();
      const later = JourneyDriver.create(clock).start();
      await store.commit({ appends: [later.append()] });
      const { events } = await store.readAll(checkpoint, 1000);
      expect(events.map((e) => e.streamId)).toEqual([later.journeyId]);
    });
  });

  describe('opening', () => {
    it('refuses a bad --db value with a ConfigError and an unusable database with StorageUnavailableError', async () => {
      await expect(openStore('sqlite::memory:')).rejects.toBeInstanceOf(ConfigError);
      await expect(openStore('mysql://127.0.0.1/test')).rejects.toBeInstanceOf(ConfigError);
      // SQLite: a path through a regular file, unusable even for root. (Not a path under /proc:
      // Node 20's recursive mkdirSync spins for ever there.)
      const notAFolder = join(mkdtempSync(join(tmpdir(), 'journey-not-a-folder-')), 'file');
      writeFileSync(notAFolder, 'not a folder');
      const unusable =
        backend.name === 'sqlite'
          ? `sqlite:${join(notAFolder, 'journeys.db')}`
          : 'postgres://127.0.0.1:1/test?schema=t_unreachable';
      const error = await openStore(unusable).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageUnavailableError);
      expect(error).toMatchObject({ backend: backend.name });
      rmSync(dirname(notAFolder), { recursive: true, force: true });
    });
  });

  describe('migrations and reopening', () => {
    it('applies nothing on a second migrate and keeps every row when reopened', async () => {
      const { url, store } = await backend.freshDatabase();
      const again = await store.migrate();
      expect(again.applied).toEqual([]);
      expect(again.from).toBe(again.to);
      expect(again.to).toBeGreaterThan(0);

      const journey = JourneyDriver.create(clock).start();
      const unit = UnitDriver.forJourney(journey, clock).create().execute();
      await store.commit({
        appends: [journey.append(), unit.append()],
        enqueue: [workItem({ key: 'survives', dueAt: clock.now() })],
      });
      const events = await readEverything(store);
      const journeyRow = await store.findJourney(journey.journeyId);
      const unitRow = await store.findUnitOfWork(unit.workId);
      await store.close();

      const reopened = await backend.open({}, url);
      expect(await reopened.migrate()).toMatchObject({ applied: [], from: again.to, to: again.to });
      expect(await readEverything(reopened)).toEqual(events);
      expect(await reopened.findJourney(journey.journeyId)).toEqual(journeyRow);
      expect(await reopened.findUnitOfWork(unit.workId)).toEqual(unitRow);
      expect(await reopened.countQueued()).toBe(1);

      // The reopened store continues the stream where it was.
      journey.completeSetup();
      const result = await reopened.commit({ appends: [journey.append()] });
      expect(result.versions[journey.journeyId]).toBe(2);
    });

    it('opens without migrating when asked, on a database already migrated', async () => {
      const { url } = await backend.freshDatabase();
      const store = await backend.open({ migrate: false }, url);
      const journey = JourneyDriver.create(clock).start();
      await store.commit({ appends: [journey.append()] });
      expect(await store.readStream(journey.journeyId)).toHaveLength(1);
    });
  });

  /**
   * Backends take different paths for different commits (PostgreSQL: one statement for a single
   * append, the commit function otherwise; SQLite: commits queued together share a transaction),
   * so these run the same refusals and queue moves through each of them.
   */
  describe('every commit path', () => {
    /**
     * An append decided on version `version` of `journey` (with the state it had then, so the
     * store does not read it back: the refusal must come from the write itself).
     */
    function decidedOn(journey: JourneyDriver, version: number, state: JourneyState): StreamAppend {
      const copy = new JourneyDriver(journey.journeyId, journey.clientId, clock);
      copy.state = state;
      copy.version = version;
      copy.evaluate(false, unique('stale'));
      return { ...copy.append(), stateBefore: state };
    }

    /** A journey started and committed, with a claimed item of `owner` in its queue. */
    async function claimedItem(store: Store, owner: string) {
      const journey = JourneyDriver.create(clock).start();
      const key = unique('takeover');
      await store.commit({
        appends: [journey.append()],
        enqueue: [workItem({ key, journeyId: journey.journeyId, dueAt: clock.now() })],
      });
      const [item] = await store.claim({ owner, limit: 1, leaseFor: LEASE, now: clock.now() });
      expect(item?.key).toBe(key);
      return { journey, key, item: item! };
    }

    it('lets a commit that finishes an item queue a new one under the same key', async () => {
      for (const withUnit of [false, true]) {
        const { store } = await backend.freshDatabase();
        const { journey, key, item } = await claimedItem(store, 'A');
        journey.completeSetup();
        const unit = UnitDriver.forJourney(journey, clock, asWorkId(unique('work'))).create();
        await store.commit({
          appends: withUnit ? [journey.append(), unit.append()] : [journey.append()],
          complete: { itemId: item.id, leaseOwner: 'A' },
          enqueue: [workItem({ key, journeyId: journey.journeyId, dueAt: clock.now() })],
        });
        expect(await store.countQueued()).toBe(1);
        const [next] = await store.claim({
          owner: 'B',
          limit: 5,
          leaseFor: LEASE,
          now: clock.now(),
        });
        expect(next).toMatchObject({ key, attempts: 1 });
        expect(next?.id).not.toBe(item.id);
      }
    });

    it('refuses a commit both stale and without its lease as a conflict: stream heads come first', async () => {
      for (const withUnit of [false, true]) {
        const { store } = await backend.freshDatabase();
        const { journey, item } = await claimedItem(store, 'A');
        const staleState = journey.state;
        journey.completeSetup();
        await store.commit({ appends: [journey.append()] });
        const stale = decidedOn(journey, 1, staleState);
        const unit = UnitDriver.forJourney(journey, clock, asWorkId(unique('work'))).create();
        const error = await store
          .commit({
            appends: withUnit ? [unit.append(), stale] : [stale],
            complete: { itemId: item.id, leaseOwner: 'intruder' },
            enqueue: [workItem({ key: unique('never'), dueAt: clock.now() })],
          })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConcurrencyConflictError);
        expect(error).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
        expect(await store.readStream(journey.journeyId)).toHaveLength(2);
        expect(await store.findUnitOfWork(unit.workId)).toBeNull();
        expect(await store.countQueued()).toBe(1);
      }
    });

    it('appends one event or many in one append, in version order', async () => {
      const { store } = await backend.freshDatabase();
      for (const count of [1, 3, 12]) {
        const journey = JourneyDriver.create(clock).start();
        for (let i = 1; i < count; i++) {
          journey.evaluate(i % 2 === 0, `check-${i}`);
        }
        const result = await store.commit({ appends: [journey.append()] });
        expect(result.versions[journey.journeyId]).toBe(count);
        const stream = await store.readStream(journey.journeyId);
        expect(stream).toEqual(result.events);
        expect(stream.map((e) => e.version)).toEqual(
          Array.from({ length: count }, (_, i) => i + 1),
        );
        await expectJourneyReadModelIsFold(store, journey.journeyId);
      }
    });

    it('commits issued together succeed or fail each alone; a refused one writes nothing', async () => {
      const { store } = await backend.freshDatabase();
      const stale = JourneyDriver.create(clock).start();
      const growing = JourneyDriver.create(clock).start();
      const taken = JourneyDriver.create(clock).start();
      await store.commit({ appends: [stale.append(), growing.append(), taken.append()] });
      const staleState = stale.state;
      stale.completeSetup();
      await store.commit({ appends: [stale.append()] });
      const { item } = await claimedItem(store, 'owner');
      const queuedBefore = await store.countQueued();
      growing.completeSetup();
      const first = JourneyDriver.create(clock).start();
      const second = JourneyDriver.create(clock, taken.clientId).start(); // client already active
      const unleased = JourneyDriver.create(clock).start();
      const last = JourneyDriver.create(clock).start();
      const keyOfGrowing = unique('growing');

      const outcomes = await Promise.allSettled([
        store.commit({ appends: [first.append()] }),
        store.commit({ appends: [decidedOn(stale, 1, staleState)] }),
        store.commit({ appends: [second.append()] }),
        store.commit({
          appends: [growing.append()],
          enqueue: [workItem({ key: keyOfGrowing, dueAt: clock.now() })],
        }),
        store.commit({
          appends: [unleased.append()],
          complete: { itemId: item.id, leaseOwner: 'intruder' },
        }),
        store.commit({ appends: [last.append()] }),
      ]);

      expect(outcomes.map((o) => o.status)).toEqual([
        'fulfilled',
        'rejected',
        'rejected',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      const reasons = outcomes.map((o): unknown =>
        o.status === 'rejected' ? o.reason : undefined,
      );
      expect(reasons[1]).toBeInstanceOf(ConcurrencyConflictError);
      expect(reasons[2]).toBeInstanceOf(ActiveJourneyExistsError);
      expect(reasons[4]).toBeInstanceOf(LeaseLostError);
      for (const written of [first, last]) {
        expect(await store.readStream(written.journeyId)).toHaveLength(1);
        await expectJourneyReadModelIsFold(store, written.journeyId);
      }
      expect(await store.readStream(growing.journeyId)).toHaveLength(2);
      await expectJourneyReadModelIsFold(store, growing.journeyId);
      expect(await store.readStream(stale.journeyId)).toHaveLength(2);
      await expectJourneyReadModelIsFold(store, stale.journeyId);
      for (const refused of [second, unleased]) {
        expect(await store.readStream(refused.journeyId)).toEqual([]);
        expect(await store.findJourney(refused.journeyId)).toBeNull();
      }
      expect((await store.findJourneyByClientId(taken.clientId))?.journeyId).toBe(taken.journeyId);
      expect(await store.countQueued()).toBe(queuedBefore + 1);
    });
  });
}
