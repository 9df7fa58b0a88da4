import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../src/domain/errors.js';
import type { TaskId } from '../../src/domain/ids.js';
import { addMillis, toMillis, type Instant } from '../../src/domain/time.js';
import type { UnitOfWorkCommand } from '../../src/domain/unit-of-work/commands.js';
import { dependentsOf, type DagNode } from '../../src/domain/unit-of-work/dag.js';
import { decideUnitOfWork } from '../../src/domain/unit-of-work/decide.js';
import type { UnitOfWorkEvent } from '../../src/domain/unit-of-work/events.js';
import {
  blockedTasks,
  failedTasks,
  findTask,
  nextWakeAt,
  readyTasks,
  runningAttempts,
} from '../../src/domain/unit-of-work/progress.js';
import {
  evolveUnitOfWork,
  initialUnitOfWorkState,
  type UnitOfWorkState,
} from '../../src/domain/unit-of-work/state.js';
import { acyclicGraph } from '../support/dag-arbitraries.js';
import {
  cmd,
  fold,
  POLICY,
  retryable,
  T0,
  task,
  terminal,
} from '../support/unit-of-work-builders.js';

type Pick = fc.GeneratorValue;

/** Success twice as likely as either kind of failure, so that long graphs still finish. */
const OUTCOMES = ['ok', 'ok', 'retry', 'final'] as const;

interface Counts {
  readonly starts: Map<TaskId, number>;
  readonly successes: Map<TaskId, number>;
  readonly startsBeforeRound: Map<TaskId, number>;
}

interface Run extends Counts {
  readonly state: UnitOfWorkState;
  readonly events: readonly UnitOfWorkEvent[];
  readonly steps: number;
  readonly bound: number;
}

/**
 * Drives a unit the way the runtime would, with every choice made by fast-check: which ready
 * task to start (or a task that is not ready, which must be refused), which running attempt
 * reports and how, duplicate deliveries, clock jumps, and retrying a failed unit.
 */
function simulate(nodes: readonly DagNode[], maxRetries: number, failures: boolean, g: Pick): Run {
  const retry = { ...POLICY, maxRetries, jitter: 0.2 };
  const definitions = nodes.map((n) => task(n.taskId, n.dependsOn, { retry }));
  const maxRounds = failures ? g(fc.integer, { min: 1, max: 3 }) : 1;
  const bound = maxRounds * (definitions.length * (maxRetries + 1) * 3 + 1) + 2;
  const events: UnitOfWorkEvent[] = [];
  const counts: Counts = { starts: new Map(), successes: new Map(), startsBeforeRound: new Map() };
  let state = initialUnitOfWorkState;
  let now: Instant = T0;
  let rounds = 1;

  const apply = (command: UnitOfWorkCommand): readonly UnitOfWorkEvent[] => {
    const decision = decideUnitOfWork(command, state);
    if (isDomainError(decision)) {
      throw new Error(`${command.type} refused: ${decision.code} ${decision.message}`);
    }
    for (const event of decision) {
      checkBeforeApplying(state, event, maxRetries, counts);
      state = evolveUnitOfWork(state, event);
      events.push(event);
    }
    return decision;
  };

  apply(cmd.create(definitions, now));
  apply(cmd.execute(now));
  let steps = 0;
  for (; steps < bound; steps++) {
    if (state.status === 'completed') {
      break;
    }
    if (state.status === 'failed') {
      if (rounds >= maxRounds) {
        break;
      }
      rounds++;
      apply(cmd.retryFailedTasks(now));
      continue;
    }
    const ready = readyTasks(state, now);
    const running = runningAttempts(state);
    if (ready.length === 0 && running.length === 0) {
      const wake = nextWakeAt(state);
      check(wake !== undefined, 'a running unit with nothing to do must wait for a retry');
      now = wake;
      continue;
    }
    // Now and then try a task at random: unless it is ready, it must be refused.
    const anyTask = g(fc.nat, definitions.length - 1);
    const stray = definitions[anyTask]!.taskId;
    if (g(fc.nat, 9) === 0 && !ready.includes(stray)) {
      const refusal = decideUnitOfWork(cmd.startTask(stray, now), state);
      check(isDomainError(refusal) && refusal.code === 'TASK_NOT_READY', `${stray} not refused`);
    }
    const choice = g(fc.nat, ready.length + running.length - 1);
    if (choice < ready.length) {
      apply(cmd.startTask(ready[choice]!, now));
    } else {
      const { taskId, attempt } = running[choice - ready.length]!;
      const outcome = failures ? OUTCOMES[g(fc.nat, OUTCOMES.length - 1)] : 'ok';
      const report =
        outcome === 'ok'
          ? cmd.completeTask(taskId, attempt, now)
          : cmd.failTask(
              taskId,
              attempt,
              now,
              outcome === 'retry' ? retryable() : terminal(),
              g(fc.double, { min: 0, max: 1, maxExcluded: true, noNaN: true }),
            );
      apply(report);
      // At-least-once delivery: the same report again changes nothing.
      if (g(fc.boolean)) {
        const again = decideUnitOfWork(report, state);
        check(Array.isArray(again) && again.length === 0, `duplicate ${report.type} not ignored`);
      }
    }
    now = addMillis(now, g(fc.integer, { min: 0, max: 3_000 }));
  }
  return { ...counts, state, events, steps, bound };
}

/** Plain assertions for the hot loop: `expect` is too slow to call thousands of times a run. */
function check(condition: boolean, message: string): asserts condition {
  if (!condition) {
    throw new Error(message);
  }
}

/**
 * The invariants every single event must respect, checked against the state before it. Attempt
 * counts are kept here independently of the domain's own counters.
 */
function checkBeforeApplying(
  state: UnitOfWorkState,
  event: UnitOfWorkEvent,
  maxRetries: number,
  counts: Counts,
): void {
  const { starts, successes, startsBeforeRound } = counts;
  switch (event.type) {
    case 'TaskExecutionStarted': {
      const current = findTask(state, event.taskId)!;
      for (const dependency of current.dependsOn) {
        const status = findTask(state, dependency)?.execution.status;
        check(status === 'succeeded', `${event.taskId} started while ${dependency} is ${status}`);
      }
      const started = starts.get(event.taskId) ?? 0;
      check(event.attempt === started + 1, `attempt ${event.attempt} after ${started} starts`);
      const inRound = event.attempt - (startsBeforeRound.get(event.taskId) ?? 0);
      check(inRound <= maxRetries + 1, `attempt ${inRound} of a round, maxRetries ${maxRetries}`);
      starts.set(event.taskId, started + 1);
      return;
    }
    case 'TaskExecutionCompleted':
      successes.set(event.taskId, (successes.get(event.taskId) ?? 0) + 1);
      return;
    case 'TaskExecutionFailed': {
      const inRound = event.attempt - (startsBeforeRound.get(event.taskId) ?? 0);
      const expected = event.error.retryable && inRound < maxRetries + 1;
      check(
        event.willRetry === expected,
        `attempt ${inRound} of a round: willRetry ${event.willRetry}`,
      );
      check(
        !event.willRetry || toMillis(event.nextAttemptAt!) >= toMillis(event.at),
        'a retry scheduled in the past',
      );
      return;
    }
    case 'UnitOfWorkRetried':
      for (const taskId of event.taskIds) {
        startsBeforeRound.set(taskId, starts.get(taskId) ?? 0);
      }
      return;
    case 'UnitOfWorkFailed':
    case 'UnitOfWorkCompleted':
      check(state.status === 'running', `${event.type} while ${state.status}`);
      return;
    default:
      return;
  }
}

const settings = { numRuns: 100 };

describe('unit of work: random graphs under a random scheduler', () => {
  it('runs every task exactly once, after its dependencies, when nothing fails', () => {
    fc.assert(
      fc.property(
        acyclicGraph(8),
        fc.integer({ min: 0, max: 3 }),
        fc.gen(),
        (nodes, retries, g) => {
          const run = simulate(nodes, retries, false, g);
          expect(run.state.status).toBe('completed');
          for (const { taskId } of nodes) {
            expect(run.starts.get(taskId)).toBe(1);
            expect(run.successes.get(taskId)).toBe(1);
          }
        },
      ),
      settings,
    );
  });

  it('ends within a bounded number of steps, completed or failed, as the fold of its events', () => {
    fc.assert(
      fc.property(
        acyclicGraph(8),
        fc.integer({ min: 0, max: 3 }),
        fc.gen(),
        (nodes, retries, g) => {
          const run = simulate(nodes, retries, true, g);
          expect(run.steps).toBeLessThan(run.bound);
          expect(['completed', 'failed']).toContain(run.state.status);
          expect(fold(run.events)).toEqual(run.state);
          expect(JSON.parse(JSON.stringify(run.state))).toEqual(run.state);
          for (const count of run.successes.values()) {
            expect(count).toBe(1);
          }
        },
      ),
      settings,
    );
  });

  it("never starts a failed task's dependents, and finishes every independent task", () => {
    fc.assert(
      fc.property(
        acyclicGraph(8),
        fc.integer({ min: 0, max: 3 }),
        fc.gen(),
        (nodes, retries, g) => {
          const { state, events, starts } = simulate(nodes, retries, true, g);
          if (state.status !== 'failed') {
            return;
          }
          const failed = failedTasks(state);
          const downstream = new Set(failed.flatMap((id) => [...dependentsOf(nodes, id)]));
          for (const { taskId } of nodes) {
            const status = findTask(state, taskId)!.execution.status;
            if (downstream.has(taskId)) {
              expect(starts.get(taskId) ?? 0).toBe(0);
              expect(status).toBe('pending');
            } else if (!failed.includes(taskId)) {
              expect(status).toBe('succeeded');
            }
          }
          const ending = events.at(-1);
          expect(ending).toMatchObject({
            type: 'UnitOfWorkFailed',
            failedTaskIds: failed,
            blockedTaskIds: blockedTasks(state),
          });
          expect(blockedTasks(state).sort()).toEqual([...downstream].sort());
        },
      ),
      settings,
    );
  });
});
