/**
 * The victim of test/crash/store-crash.test.ts: `node --import tsx test/crash/writer.ts <db-url> <tag>`.
 * Writes for ever, the way the engine will: starts journeys with their setup unit of work and
 * the task attempts it needs queued, then claims attempts and records their results together
 * with the completion of the work item (and, when the unit is done, the journey's setup result).
 * Prints every acknowledged commit as one JSON line, after the store acknowledged it; the
 * parent kills it with SIGKILL at random moments.
 */
import type { Clock, Store } from '../../src/application/ports.js';
import { asClientId, asJourneyId, asTaskId, asWorkId, type TaskId } from '../../src/domain/ids.js';
import { evolveJourney, initialJourneyState } from '../../src/domain/journey/state.js';
import { readyTasks } from '../../src/domain/unit-of-work/progress.js';
import { evolveUnitOfWork, initialUnitOfWorkState } from '../../src/domain/unit-of-work/state.js';
import { openStore } from '../../src/storage/open-store.js';
import {
  JourneyDriver,
  journeyEventsOf,
  task,
  UnitDriver,
  unitEventsOf,
} from '../support/store-fixtures.js';

export interface Ack {
  readonly ack: 'start' | 'complete' | 'release';
  readonly eventIds: readonly string[];
  readonly streams: Readonly<Record<string, number>>;
  readonly enqueued?: readonly string[];
  readonly completed?: string;
}

const [url, tag] = process.argv.slice(2);
if (url === undefined || tag === undefined) {
  throw new Error('usage: writer.ts <db-url> <tag>');
}
const clock: Clock = { now: () => new Date().toISOString() };
const owner = `writer-${tag}`;
const store: Store = await openStore(url, { clock, postgres: { poolSize: 2 } });
const say = (line: Ack | { readonly ready: true }) =>
  process.stdout.write(`${JSON.stringify(line)}\n`);
say({ ready: true });

const TASKS = [task('a'), task('b', ['a']), task('c', ['a'])];

async function startJourney(i: number): Promise<void> {
  const journey = JourneyDriver.create(clock, `${tag}-client-${i}`).start();
  const unit = UnitDriver.forJourney(journey, clock).create(TASKS).execute();
  const keys = TASKS.map((t) => `task:${unit.workId}:${t.taskId}`);
  const result = await store.commit({
    appends: [journey.append(), unit.append()],
    enqueue: TASKS.map((t, n) => ({
      kind: 'task_attempt',
      key: keys[n]!,
      journeyId: journey.journeyId,
      payload: { workId: unit.workId, taskId: t.taskId },
      dueAt: clock.now(),
    })),
  });
  say({
    ack: 'start',
    eventIds: result.events.map((e) => e.eventId),
    streams: result.versions,
    enqueued: keys,
  });
}

async function workOnce(): Promise<void> {
  const items = await store.claim({ owner, limit: 3, leaseFor: 1_500, now: clock.now() });
  for (const item of items) {
    const payload = item.payload as { workId: string; taskId: string };
    const workId = asWorkId(payload.workId);
    const taskId: TaskId = asTaskId(payload.taskId);
    const stream = await store.readStream(workId);
    const unit = new UnitDriver(workId, asJourneyId(item.journeyId ?? ''), asClientId(''), clock);
    unit.state = unitEventsOf(stream).reduce(evolveUnitOfWork, initialUnitOfWorkState);
    unit.version = stream.length;
    if (!readyTasks(unit.state, clock.now()).includes(taskId)) {
      await store.release(item.id, owner, new Date(Date.now() + 20).toISOString(), 'not ready');
      say({ ack: 'release', eventIds: [], streams: {} });
      continue;
    }
    unit.runTask(taskId, { by: owner, item: item.id });
    const appends = [unit.append()];
    if (unit.unit.status === 'completed') {
      const journeyStream = await store.readStream(unit.unit.journeyId);
      const journey = new JourneyDriver(unit.unit.journeyId, unit.unit.clientId, clock);
      journey.state = journeyEventsOf(journeyStream).reduce(evolveJourney, initialJourneyState);
      journey.version = journeyStream.length;
      journey.completeSetup();
      appends.push(journey.append());
    }
    const result = await store.commit({
      appends,
      complete: { itemId: item.id, leaseOwner: owner },
    });
    say({
      ack: 'complete',
      eventIds: result.events.map((e) => e.eventId),
      streams: result.versions,
      completed: item.key ?? item.id,
    });
  }
}

for (let i = 0; ; i++) {
  await startJourney(i);
  await workOnce();
}
