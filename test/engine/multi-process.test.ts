import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import { describe, it, type ExpectStatic, type TestContext } from 'vitest';
import { startExampleAgents, type ExampleAgents } from '../../examples/agents/index.js';
import type { Store } from '../../src/application/ports.js';
import type { Playbook } from '../../src/playbook/index.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { forEachBackend, type BackendHarness } from '../support/backends.js';
import {
  allCompleted,
  attemptProblems,
  describeStuck,
  expireLeasesOf,
  LeaseWatcher,
  leftoverWork,
  messagesByAttempt,
  readHistory,
  readModelProblems,
  REAL_LEASES,
  recordedAttempts,
  seededRandom,
  seedFrom,
  sendHistogram,
  ServeProcesses,
  setupTaskCount,
  stageCounts,
  testDriver,
  unpassedEvaluations,
  waitUntil,
  writeServePlaybook,
  type Driver,
  type ServeProcess,
} from '../support/engine-process.js';

/**
 * Two `journey serve` processes on one PostgreSQL schema share the journeys: every journey
 * completes, every task attempt reaches an agent exactly once (the leases and SKIP LOCKED claims
 * keep the two apart), and nothing stalls. And one of them killed midway: the other finishes
 * all the work, taking over the dead one's items once their leases run out. (The test ends the
 * dead process's leases itself, as their 30 s expiry would; ENGINE_TEST_REAL_LEASES=1 waits.)
 *
 * The two tests run concurrently, each on its own schema, agents and processes.
 *
 * Journeys run on their own: the sandbox's approval criterion is left out of the playbook.
 * `install_connectors` (every stage) answers after 100 ms, so its attempts are polled, and a
 * poll may be claimed by either process.
 */

const CONCURRENCY = 16;

interface Setup {
  readonly store: Store;
  readonly agents: ExampleAgents;
  readonly playbook: Playbook;
  readonly driver: Driver;
  readonly serves: ServeProcesses;
  readonly watcher: LeaseWatcher;
  readonly url: string;
  readonly path: string;
}

async function setUp(
  backend: BackendHarness,
  onTestFinished: TestContext['onTestFinished'],
): Promise<Setup> {
  const { url } = await backend.freshDatabase();
  const serves = new ServeProcesses();
  const agents = await startExampleAgents({ portBase: 0 });
  const tempDir = mkdtempSync(join(tmpdir(), 'engine-multi-'));
  onTestFinished(async () => {
    await serves.killAll();
    await agents.close();
    rmSync(tempDir, { recursive: true, force: true });
  });
  const { path, playbook } = await writeServePlaybook(tempDir, agents.urls, {
    approval: 'drop',
    recheckInterval: 2_000,
  });
  agents.behaviour.set('connectors', 'install_connectors', { kind: 'slow', delayMs: 100 });
  const store = await backend.open({ clock: systemClock }, url);
  const driver = testDriver(store, playbook);
  const watcher = await LeaseWatcher.open(url);
  onTestFinished(async () => {
    await driver.close();
    await watcher.close();
  });
  return { store, agents, playbook, driver, serves, watcher, url, path };
}

/** Starts `count` journeys from the test process, `parallel` at a time; returns their ids. */
async function startJourneys(
  driver: Driver,
  prefix: string,
  count: number,
  parallel = 20,
): Promise<string[]> {
  const ids: string[] = [];
  for (let from = 0; from < count; from += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - from) }, (_, i) => from + i);
    const started = await Promise.all(
      batch.map((n) =>
        driver.engine.orchestrator.startJourney(
          { clientId: `${prefix}-${n}` },
          { actor: 'multi-test' },
        ),
      ),
    );
    ids.push(...started.map((journey) => journey.journeyId));
  }
  return ids;
}

/** Waits until every journey completed, sampling who holds leases meanwhile. */
async function untilCompleted(
  setup: Setup,
  journeyIds: readonly string[],
  context: string,
  timeoutMs: number,
  serves: readonly ServeProcess[],
): Promise<void> {
  await waitUntil(
    async () => {
      await setup.watcher.sample();
      return allCompleted(setup.store, journeyIds);
    },
    {
      timeoutMs,
      explain: async () =>
        `${context}\n${await describeStuck(setup.store, journeyIds)}\n${serves
          .map((s) => `${s.name} warnings:\n${s.tail()}`)
          .join('\n')}`,
    },
  );
}

/** What the end of a run looks like, gathered before any assertion so a failure shows it all. */
interface Outcome {
  readonly stopped: readonly { name: string; code: number | null; signal: string | null }[];
  readonly stages: string;
  readonly modelProblems: readonly string[];
  readonly unexpectedWork: readonly string[];
  readonly timers: number;
  readonly attemptProblems: readonly string[];
  readonly attempts: number;
  readonly expectedAttempts: number;
  readonly duplicates: readonly string[];
  readonly highest: number;
  readonly unpassed: readonly string[];
}

/** Once only later timers are queued: stops the processes still running and reads the end. */
async function theEnd(
  setup: Setup,
  journeyIds: readonly string[],
  context: string,
  running: readonly ServeProcess[],
): Promise<Outcome> {
  const { store, agents, playbook } = setup;
  await waitUntil(
    async () => {
      const nextDue = await store.nextDueAt();
      return nextDue === null || Date.parse(nextDue) > Date.now() + 60_000;
    },
    {
      timeoutMs: 40_000,
      explain: async () =>
        `${context}: work still due, the next at ${(await store.nextDueAt()) ?? '-'}`,
    },
  );
  const stopped = await Promise.all(
    running.map(async (serve) => ({ name: serve.name, ...(await serve.stop()) })),
  );
  const history = await readHistory(store);
  const leftover = await leftoverWork(store);
  const received = messagesByAttempt(agents);
  return {
    stopped,
    stages: await stageCounts(store, journeyIds),
    modelProblems: await readModelProblems(store, history),
    unexpectedWork: leftover.unexpected,
    timers: leftover.timers,
    attemptProblems: attemptProblems(history, agents),
    attempts: received.size,
    expectedAttempts: journeyIds.length * setupTaskCount(playbook),
    duplicates: [...received].filter(([, r]) => r.messageIds.length > 1).map(([key]) => key),
    highest: Math.max(...[...received.values()].map((r) => r.attempt)),
    unpassed: unpassedEvaluations(history),
  };
}

/** Every journey completed, the store whole, nothing queued but later timers, all stopped cleanly. */
function expectAllWell(
  expect: ExpectStatic,
  outcome: Outcome,
  journeys: number,
  context: string,
): void {
  for (const { name, code, signal } of outcome.stopped) {
    expect({ code, signal }, `${context}: ${name} stops gracefully`).toEqual({
      code: 0,
      signal: null,
    });
  }
  expect(outcome.stages, context).toBe(`completed: ${journeys}`);
  expect(outcome.modelProblems, context).toEqual([]);
  expect(outcome.unexpectedWork, context).toEqual([]);
  expect(outcome.attemptProblems, context).toEqual([]);
  expect(outcome.attempts, `${context}: one attempt per setup task`).toBe(outcome.expectedAttempts);
}

/** The gate evaluations that did not pass (inconclusive readings under load), if any. */
function notPassed(unpassed: readonly string[]): string {
  return unpassed.length === 0 ? '' : `\n  gate evaluations not passed: ${unpassed.join('; ')}`;
}

describe.concurrent('two journey serve processes on one PostgreSQL database', () => {
  forEachBackend(
    (backend) => {
      it('share 200 journeys: all complete, every task attempt runs exactly once', async ({
        expect,
        onTestFinished,
      }) => {
        const setup = await setUp(backend, onTestFinished);
        const context = `[multi-process] 200 journeys, two serve processes, ${setup.url}`;
        const options = { url: setup.url, playbook: setup.path, concurrency: CONCURRENCY };
        const a = setup.serves.start('serve-a', options);
        const b = setup.serves.start('serve-b', options);
        await Promise.all([a.ready(), b.ready()]);

        const began = Date.now();
        const journeyIds = await startJourneys(setup.driver, 'shared', 200);
        const startedIn = Date.now() - began;
        await untilCompleted(setup, journeyIds, context, 120_000, [a, b]);
        const tookMs = Date.now() - began;
        const result = await theEnd(setup, journeyIds, context, [a, b]);

        const share = [a, b].map((s) => ({
          name: s.name,
          ...setup.watcher.seen.get(s.owner ?? ''),
        }));
        console.log(
          `${context}\n  all completed in ${tookMs} ms (started in ${startedIn} ms); ` +
            `${result.attempts} attempts, messages per attempt ${JSON.stringify(sendHistogram(setup.agents))}, ` +
            `highest attempt ${result.highest}, timers left ${result.timers}\n` +
            `  leases seen: ${share.map((s) => `${s.name} in ${s.samples ?? 0} samples (at most ${s.most ?? 0} at once)`).join(', ')}` +
            notPassed(result.unpassed),
        );
        expectAllWell(expect, result, journeyIds.length, context);
        // Exactly once: no attempt reached an agent twice, and none needed a second attempt.
        expect(result.duplicates, context).toEqual([]);
        expect(result.highest, context).toBe(1);
        // Both processes took work.
        for (const s of share) {
          expect(s.samples ?? 0, `${context}: ${s.name} held work items`).toBeGreaterThan(0);
        }
      }, 180_000);

      it('one killed midway: the other finishes its work once the leases run out', async ({
        expect,
        onTestFinished,
      }) => {
        const seed = seedFrom('ENGINE_MULTI_SEED');
        const next = seededRandom(seed);
        const setup = await setUp(backend, onTestFinished);
        const journeys = 30;
        const context = `[multi-process kill] seed ${seed} (ENGINE_MULTI_SEED=${seed} replays the kill time), ${journeys} journeys, ${setup.url}`;
        console.log(context);
        const options = { url: setup.url, playbook: setup.path, concurrency: CONCURRENCY };
        const a = setup.serves.start('serve-a', options);
        const b = setup.serves.start('serve-b', options);
        await Promise.all([a.ready(), b.ready()]);

        const began = Date.now();
        const journeyIds = await startJourneys(setup.driver, 'survivor', journeys);
        // Midway: once the agents have received half of the attempts the journeys need.
        const total = journeys * setupTaskCount(setup.playbook);
        await waitUntil(() => Promise.resolve(messagesByAttempt(setup.agents).size >= total / 2), {
          timeoutMs: 60_000,
          explain: async () => `${context}\n${await describeStuck(setup.store, journeyIds)}`,
        });
        await pause(Math.floor(next() * 500));
        await a.kill();
        const killedAt = Date.now() - began;
        const { started } = recordedAttempts(await readHistory(setup.store));
        const inFlight = new Set(
          [...messagesByAttempt(setup.agents).keys()].filter((key) => !started.has(key)),
        );
        const progress = await stageCounts(setup.store, journeyIds);
        const owner = a.owner ?? '';
        const stranded = REAL_LEASES
          ? await setup.watcher.heldBy(owner)
          : await expireLeasesOf(setup.url, owner);

        await untilCompleted(setup, journeyIds, context, REAL_LEASES ? 90_000 : 60_000, [b]);
        const tookMs = Date.now() - began;
        const result = await theEnd(setup, journeyIds, context, [b]);
        console.log(
          `${context}\n  serve-a killed at ${killedAt} ms (${progress}) holding ${stranded} leased items, ` +
            `${inFlight.size} attempts sent but not recorded; serve-b finished all at ${tookMs} ms\n` +
            `  ${result.attempts} attempts, messages per attempt ${JSON.stringify(sendHistogram(setup.agents))}, ` +
            `re-sent ${result.duplicates.length}, highest attempt ${result.highest}` +
            notPassed(result.unpassed),
        );
        expectAllWell(expect, result, journeyIds.length, context);
        for (const key of result.duplicates) {
          expect(
            inFlight.has(key),
            `${context}: ${key} re-sent but not in flight at the kill`,
          ).toBe(true);
        }
        expect(result.duplicates, context).toEqual([]);
        expect(result.highest, context).toBe(1);
      }, 180_000);
    },
    { only: ['postgres'] },
  );
});
