import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import { describe, it } from 'vitest';
import { startExampleAgents } from '../../examples/agents/index.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { forEachBackend } from '../support/backends.js';
import {
  allCompleted,
  attemptProblems,
  describeStuck,
  expireLeasesOf,
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
  stageCounts,
  taskIntents,
  testDriver,
  unpassedEvaluations,
  waitUntil,
  writeServePlaybook,
  type AttemptKey,
} from '../support/engine-process.js';

/**
 * `journey serve` killed with SIGKILL at random moments while journeys run, restarted each time,
 * then left to finish. Every journey must still reach `completed`, the store must be whole, no
 * work may be lost, and an attempt may reach an agent twice only if it was in flight (sent, not
 * yet recorded) when its process died; the look-up before a re-send should make even that zero.
 *
 * A killed process's work items stay leased for the worker's lease (30 s) before a restarted
 * process may take them over. The engine reads the wall clock, so the test plays that clock:
 * once the killed process is gone, it lets its leases run out (expireLeasesOf), which is what
 * 30 s of waiting would do. ENGINE_TEST_REAL_LEASES=1 waits them out instead (about 30 s more).
 *
 * The backends run concurrently (each has its own agents, database and processes).
 */

const JOURNEYS = 24;
const KILLS = 4;
const CONCURRENCY = 16;

interface KillRecord {
  readonly atMs: number;
  /** Work items the dead process held (freed when its leases were made to run out). */
  readonly leased: number;
  /** Attempts recorded as started with no result yet: the restart resumes polling them. */
  readonly running: number;
  /** Attempts an agent received that the store had not recorded: the restart must look them up. */
  readonly sentNotRecorded: readonly AttemptKey[];
}

describe.concurrent('journey serve killed with SIGKILL again and again', () => {
  forEachBackend((backend) => {
    it('completes every journey, keeps the store whole, and re-sends no attempt', async ({
      expect,
      onTestFinished,
    }) => {
      const began = Date.now();
      const seed = seedFrom('ENGINE_CRASH_SEED');
      const next = seededRandom(seed);
      const { url } = await backend.freshDatabase();
      const context = `[engine-crash ${backend.name}] seed ${seed} (ENGINE_CRASH_SEED=${seed} replays the kill times and task delays), ${url}`;
      console.log(context);

      const serves = new ServeProcesses();
      const agents = await startExampleAgents({ portBase: 0 });
      const tempDir = mkdtempSync(join(tmpdir(), 'engine-crash-'));
      const store = await backend.open({ clock: systemClock }, url);
      onTestFinished(async () => {
        await serves.killAll();
        await agents.close();
        rmSync(tempDir, { recursive: true, force: true });
      });
      const { path, playbook } = await writeServePlaybook(tempDir, agents.urls, {
        approval: 'keep',
        recheckInterval: 2_000,
      });
      // Every task stays WORKING a while, so kills find attempts mid-flight.
      for (const { agentId, intent } of taskIntents(playbook)) {
        agents.behaviour.set(agentId, intent, {
          kind: 'slow',
          delayMs: 50 + Math.floor(next() * 250),
        });
      }
      const driver = testDriver(store, playbook);
      onTestFinished(() => driver.close());
      const { orchestrator } = driver.engine;

      const journeyIds: string[] = [];
      const startBatch = async (run: number, size: number): Promise<void> => {
        await Promise.all(
          Array.from({ length: size }, async (_, i) => {
            const clientId = `crash-${backend.name}-${run}-${i}`;
            const started = await orchestrator.startJourney({ clientId }, { actor: 'crash-test' });
            journeyIds.push(started.journeyId);
            // The client approves the demo at once, while the engine works on the sandbox.
            await orchestrator.approve(
              clientId,
              { criterionId: 'demo_approved', role: 'client' },
              { actor: 'client-contact' },
            );
          }),
        );
      };

      // Half the journeys start with the first process, half with the second (racing the
      // engine's own commits); then the kills go on while they run through the stages.
      const serveOptions = { url, playbook: path, concurrency: CONCURRENCY };
      const kills: KillRecord[] = [];
      let serve = serves.start('serve#0', serveOptions);
      for (let run = 0; run < KILLS; run++) {
        if (run < 2) {
          await startBatch(run, JOURNEYS / 2);
        }
        await serve.ready();
        await pause(300 + Math.floor(next() * 1_700));
        await serve.kill();
        const { started, ended } = recordedAttempts(await readHistory(store));
        const sentNotRecorded = [...messagesByAttempt(agents).keys()].filter(
          (key) => !started.has(key),
        );
        kills.push({
          atMs: Date.now() - began,
          running: [...started].filter((key) => !ended.has(key)).length,
          sentNotRecorded,
          leased: REAL_LEASES ? 0 : await expireLeasesOf(url, serve.owner ?? ''),
        });
        serve = serves.start(`serve#${run + 1}`, serveOptions);
      }
      await serve.ready();
      const lastStartAt = Date.now() - began;

      const final = serve;
      const killed = (): string =>
        kills
          .map(
            (k) =>
              `@${k.atMs}ms leased=${k.leased} running=${k.running} sent-not-recorded=${k.sentNotRecorded.length}`,
          )
          .join('; ');
      await waitUntil(() => allCompleted(store, journeyIds), {
        timeoutMs: REAL_LEASES ? 120_000 : 60_000,
        explain: async () =>
          `${context}\nkills: ${killed()}\n${await describeStuck(store, journeyIds)}\n` +
          `last serve's warnings:\n${final.tail()}`,
      });
      const completedAt = Date.now() - began;
      // Then only timers due later stay queued: nothing due now, no lease held.
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
      const stopped = await serve.stop();

      const history = await readHistory(store);
      const stages = await stageCounts(store, journeyIds);
      const modelProblems = await readModelProblems(store, history);
      const leftover = await leftoverWork(store);
      const problems = attemptProblems(history, agents);
      const received = messagesByAttempt(agents);
      const highest = Math.max(...[...received.values()].map((r) => r.attempt));
      const inFlight = new Set(kills.flatMap((k) => k.sentNotRecorded));
      const duplicates = [...received].filter(([, r]) => r.messageIds.length > 1);
      const startups = serves.startupTimes();
      const unpassed = unpassedEvaluations(history);
      console.log(
        `${context}\n` +
          `  ${JOURNEYS} journeys completed at ${completedAt} ms (last restart running at ${lastStartAt} ms; ` +
          `serve start-up ${Math.min(...startups)}-${Math.max(...startups)} ms)\n` +
          `  kills: ${killed()}\n` +
          `  ${received.size} attempts, highest attempt number ${highest}, ` +
          `messages per attempt ${JSON.stringify(sendHistogram(agents))}, ` +
          `re-sent ${duplicates.length} (of ${inFlight.size} sent-not-recorded at a kill), ` +
          `timers left ${leftover.timers}` +
          (unpassed.length === 0 ? '' : `\n  gate evaluations not passed: ${unpassed.join('; ')}`),
      );

      expect(stopped, `${context}: the last process stops gracefully`).toEqual({
        code: 0,
        signal: null,
      });
      // Every journey completed; the store is whole; no work left but later timers.
      expect(journeyIds, context).toHaveLength(JOURNEYS);
      expect(stages, context).toBe(`completed: ${JOURNEYS}`);
      expect(modelProblems, context).toEqual([]);
      expect(leftover.unexpected, context).toEqual([]);
      // Attempts: numbered without gaps, one deterministic message id each.
      expect(problems, context).toEqual([]);
      for (const [key] of duplicates) {
        expect(inFlight.has(key), `${context}: ${key} re-sent but not in flight at a kill`).toBe(
          true,
        );
      }
      // The look-up before a re-send finds every attempt a dead process had sent.
      expect(
        duplicates.map(([key]) => key),
        context,
      ).toEqual([]);
      // No failures were configured: every task succeeded at its first attempt.
      expect(highest, context).toBe(1);
    }, 180_000);
  });
});
