import type { TaskId } from '../ids.js';
import { toMillis, type Instant } from '../time.js';
import type { CancelledAttempt } from './events.js';
import type { TaskState, UnitOfWorkState } from './state.js';

/**
 * Facts derived from a unit's state, for `decide` and for the runtime that schedules the work:
 * what may start now, when to wake up for a retry, what can never run.
 */

/** The task with this id, if the unit has one. */
export function findTask(state: UnitOfWorkState, taskId: TaskId): TaskState | undefined {
  return state.status === 'none' ? undefined : state.tasks.find((task) => task.taskId === taskId);
}

/** The number the task's next attempt gets (attempt numbers never repeat: they key messages). */
export function nextAttemptNumber(task: TaskState): number {
  return task.attempts + 1;
}

/** 1 for the first attempt of the current round, 2 for its first retry, and so on. */
export function attemptInRound(task: TaskState, attempt: number): number {
  return attempt - task.attemptsBeforeRound;
}

/** The dependencies of `task` that have not succeeded yet, in the order it lists them. */
export function unmetDependencies(state: UnitOfWorkState, task: TaskState): TaskId[] {
  return task.dependsOn.filter((id) => findTask(state, id)?.execution.status !== 'succeeded');
}

/**
 * Whether the task may start at `at`: pending with every dependency succeeded, or waiting to
 * retry and its retry time has come. Says nothing about the unit's own status.
 */
export function isTaskReady(state: UnitOfWorkState, task: TaskState, at: Instant): boolean {
  switch (task.execution.status) {
    case 'pending':
      return unmetDependencies(state, task).length === 0;
    case 'waiting_retry':
      return toMillis(task.execution.nextAttemptAt) <= toMillis(at);
    default:
      return false;
  }
}

/** The tasks that may start at `at`, in definition order; none unless the unit is running. */
export function readyTasks(state: UnitOfWorkState, at: Instant): TaskId[] {
  if (state.status !== 'running') {
    return [];
  }
  return state.tasks.filter((task) => isTaskReady(state, task, at)).map((task) => task.taskId);
}

/** The earliest instant a waiting retry becomes due, or `undefined` when none waits. */
export function nextWakeAt(state: UnitOfWorkState): Instant | undefined {
  if (state.status === 'none') {
    return undefined;
  }
  let earliest: Instant | undefined;
  for (const { execution } of state.tasks) {
    if (
      execution.status === 'waiting_retry' &&
      (earliest === undefined || toMillis(execution.nextAttemptAt) < toMillis(earliest))
    ) {
      earliest = execution.nextAttemptAt;
    }
  }
  return earliest;
}

/** Tasks whose retries ran out or whose failure was final. */
export function failedTasks(state: UnitOfWorkState): TaskId[] {
  return idsWhere(state, (task) => task.execution.status === 'failed');
}

/** Pending tasks that can never start because a task they depend on (directly or not) failed. */
export function blockedTasks(state: UnitOfWorkState): TaskId[] {
  if (state.status === 'none') {
    return [];
  }
  const failed = new Set(failedTasks(state));
  const blocked = new Set<TaskId>();
  // Definition order is not dependency order, so repeat until nothing new is blocked.
  for (let grew = true; grew;) {
    grew = false;
    for (const task of state.tasks) {
      if (task.execution.status !== 'pending' || blocked.has(task.taskId)) {
        continue;
      }
      if (task.dependsOn.some((id) => failed.has(id) || blocked.has(id))) {
        blocked.add(task.taskId);
        grew = true;
      }
    }
  }
  return idsWhere(state, (task) => blocked.has(task.taskId));
}

/** Attempts in flight, with the agent each went to (the configured one when none was recorded). */
export function runningAttempts(state: UnitOfWorkState): CancelledAttempt[] {
  if (state.status === 'none') {
    return [];
  }
  return state.tasks.flatMap(({ taskId, agentId: configured, execution }) => {
    if (execution.status !== 'running') {
      return [];
    }
    const agentId = execution.agentId ?? configured;
    return [
      {
        taskId,
        attempt: execution.attempt,
        ...(agentId === undefined ? {} : { agentId }),
        ...(execution.agentTaskId === undefined ? {} : { agentTaskId: execution.agentTaskId }),
      },
    ];
  });
}

/**
 * How the running unit's tasks have settled: `completed` when every task succeeded, `failed`
 * when some failed and nothing else can move (nothing running, waiting to retry or startable),
 * `undefined` while work remains. Independent branches thus finish before a unit fails.
 */
export function settledOutcome(state: UnitOfWorkState): 'completed' | 'failed' | undefined {
  if (state.status !== 'running') {
    return undefined;
  }
  if (state.tasks.every((task) => task.execution.status === 'succeeded')) {
    return 'completed';
  }
  const canMove = state.tasks.some((task) => {
    switch (task.execution.status) {
      case 'running':
      case 'waiting_retry':
        return true;
      case 'pending':
        return unmetDependencies(state, task).length === 0;
      default:
        return false;
    }
  });
  return canMove ? undefined : 'failed';
}

/** Whether `attempt` already succeeded: a second report of it is a harmless duplicate. */
export function isRecordedSuccess(task: TaskState, attempt: number): boolean {
  return task.execution.status === 'succeeded' && task.execution.attempt === attempt;
}

/**
 * Whether `attempt` is already recorded as failed. Attempts only follow failed ones, so every
 * started attempt failed except the one running, succeeded, or abandoned by a cancellation.
 */
export function isRecordedFailure(task: TaskState, attempt: number): boolean {
  if (attempt < 1 || attempt > task.attempts) {
    return false;
  }
  const { execution } = task;
  switch (execution.status) {
    case 'running':
    case 'succeeded':
      return attempt !== execution.attempt;
    case 'cancelled':
      return attempt !== execution.abandonedAttempt;
    default:
      return true;
  }
}

function idsWhere(state: UnitOfWorkState, keep: (task: TaskState) => boolean): TaskId[] {
  return state.status === 'none' ? [] : state.tasks.filter(keep).map((task) => task.taskId);
}
