import { domainError, type DomainError, type DomainErrorCode } from '../errors.js';
import type { DagProblem } from './dag.js';
import { unmetDependencies } from './progress.js';
import type { TaskState, UnitOfWork } from './state.js';

/**
 * The unit of work's refusals, one function per kind, each naming the ids involved so the
 * message alone says what went wrong.
 */

/** Why a report that is not a duplicate cannot be applied, if it cannot. */
export function refuseReport(
  unit: UnitOfWork,
  task: TaskState,
  attempt: number,
): DomainError | undefined {
  const { workId } = unit;
  const { taskId, execution } = task;
  if (unit.status === 'completed') {
    return refuseIfTerminal(unit);
  }
  if (unit.status !== 'running') {
    // A late report after a cancellation lands here: the runtime drops it.
    return domainError(
      'UNIT_NOT_RUNNING',
      `unit of work "${workId}" is ${unit.status}, so task "${taskId}" cannot report attempt ${attempt}`,
      { workId, taskId, attempt, status: unit.status },
    );
  }
  if (execution.status === 'running' && execution.attempt === attempt) {
    return undefined;
  }
  const current = execution.status === 'running' ? execution.attempt : undefined;
  if (attempt < 1 || attempt > task.attempts) {
    return domainError(
      'TASK_NOT_RUNNING',
      `task "${taskId}" has no attempt ${attempt} (it is ${execution.status})`,
      { workId, taskId, attempt, status: execution.status },
    );
  }
  return domainError(
    'STALE_ATTEMPT',
    `attempt ${attempt} of task "${taskId}" is no longer current (the task is ${execution.status}${current === undefined ? '' : `, attempt ${current}`})`,
    {
      workId,
      taskId,
      attempt,
      status: execution.status,
      ...(current === undefined ? {} : { currentAttempt: current }),
    },
  );
}

export function notReady(unit: UnitOfWork, task: TaskState): DomainError {
  const { workId } = unit;
  const { taskId, execution } = task;
  if (execution.status === 'pending') {
    const unmet = unmetDependencies(unit, task);
    return domainError(
      'TASK_NOT_READY',
      `task "${taskId}" waits for ${unmet.map((id) => `"${id}"`).join(', ')}`,
      { workId, taskId, status: execution.status, unmetDependencies: unmet },
    );
  }
  if (execution.status === 'waiting_retry') {
    const { nextAttemptAt } = execution;
    return domainError('TASK_NOT_READY', `task "${taskId}" may retry at ${nextAttemptAt}`, {
      workId,
      taskId,
      status: execution.status,
      nextAttemptAt,
    });
  }
  return domainError('TASK_NOT_READY', `task "${taskId}" is ${execution.status}`, {
    workId,
    taskId,
    status: execution.status,
  });
}

export function taskNotFound(unit: UnitOfWork, taskId: string): DomainError {
  return domainError('TASK_NOT_FOUND', `unit of work "${unit.workId}" has no task "${taskId}"`, {
    workId: unit.workId,
    taskId,
  });
}

/** One refusal for a whole graph: the first problem's code, every problem in the message. */
export function dagError(problems: readonly DagProblem[]): DomainError {
  const code = problems[0]?.code ?? 'DAG_CYCLE';
  return domainError(
    code,
    `invalid task graph: ${problems.map((problem) => problem.message).join('; ')}`,
    { problems },
  );
}

export function refuseIfTerminal(unit: UnitOfWork): DomainError | undefined {
  if (unit.status === 'completed' || unit.status === 'cancelled') {
    return domainError(
      'UNIT_TERMINAL',
      `unit of work "${unit.workId}" is ${unit.status} and can no longer change`,
      { workId: unit.workId, status: unit.status },
    );
  }
  return undefined;
}

export function requireStatus(
  unit: UnitOfWork,
  wanted: UnitOfWork['status'],
  code: DomainErrorCode,
): DomainError | undefined {
  if (unit.status === wanted) {
    return undefined;
  }
  return (
    refuseIfTerminal(unit) ??
    domainError(code, `unit of work "${unit.workId}" is ${unit.status}, not ${wanted}`, {
      workId: unit.workId,
      status: unit.status,
    })
  );
}

export function unitNotFound(): DomainError {
  return domainError('UNIT_NOT_FOUND', 'the unit of work does not exist');
}
