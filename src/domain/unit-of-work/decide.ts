import { domainError, type Decision } from '../errors.js';
import { nextAttemptAt } from '../retry-policy.js';
import type {
  AddTasks,
  CancelUnitOfWork,
  CompleteTask,
  CreateUnitOfWork,
  ExecuteUnitOfWork,
  FailTask,
  RetryFailedTasks,
  StartTask,
  UnitOfWorkCommand,
} from './commands.js';
import { validateDag } from './dag.js';
import type { UnitOfWorkEvent } from './events.js';
import {
  attemptInRound,
  blockedTasks,
  failedTasks,
  findTask,
  isRecordedFailure,
  isRecordedSuccess,
  isTaskReady,
  nextAttemptNumber,
  runningAttempts,
  settledOutcome,
} from './progress.js';
import {
  dagError,
  notReady,
  refuseIfTerminal,
  refuseReport,
  requireStatus,
  taskNotFound,
  unitNotFound,
} from './refusals.js';
import { evolveUnitOfWork, type UnitOfWork, type UnitOfWorkState } from './state.js';

type Events = readonly UnitOfWorkEvent[];

/**
 * The unit of work's rules: the events a command causes, or why it is refused. Task reports
 * arrive at least once, so a report that is already recorded yields no events, not an error.
 */
export function decideUnitOfWork(
  command: UnitOfWorkCommand,
  state: UnitOfWorkState,
): Decision<UnitOfWorkEvent> {
  if (command.type === 'create') {
    return create(command, state);
  }
  if (state.status === 'none') {
    return unitNotFound();
  }
  switch (command.type) {
    case 'addTasks':
      return addTasks(command, state);
    case 'execute':
      return execute(command, state);
    case 'startTask':
      return startTask(command, state);
    case 'completeTask':
      return completeTask(command, state);
    case 'failTask':
      return failTask(command, state);
    case 'retryFailedTasks':
      return retryFailedTasks(command, state);
    case 'cancel':
      return cancel(command, state);
  }
}

function create(command: CreateUnitOfWork, state: UnitOfWorkState): Decision<UnitOfWorkEvent> {
  if (state.status !== 'none') {
    return domainError('UNIT_ALREADY_CREATED', `unit of work "${state.workId}" already exists`, {
      workId: state.workId,
    });
  }
  const problems = validateDag(command.tasks);
  if (problems.length > 0) {
    return dagError(problems);
  }
  const { workId, journeyId, clientId, stage, purpose, tasks, at } = command;
  return emit(
    { type: 'UnitOfWorkCreated', workId, journeyId, clientId, stage, purpose, at },
    ...tasks.map((task) => ({ type: 'TaskAdded' as const, workId, task: { ...task }, at })),
  );
}

function addTasks(command: AddTasks, unit: UnitOfWork): Decision<UnitOfWorkEvent> {
  const refusal = requireStatus(unit, 'pending', 'UNIT_NOT_PENDING');
  if (refusal) {
    return refusal;
  }
  // Validate old and new together: a new task may close a cycle through existing ones.
  const problems = validateDag([...unit.tasks, ...command.tasks]);
  if (problems.length > 0) {
    return dagError(problems);
  }
  const { workId } = unit;
  return emit(
    ...command.tasks.map((task) => ({
      type: 'TaskAdded' as const,
      workId,
      task: { ...task },
      at: command.at,
    })),
  );
}

function execute(command: ExecuteUnitOfWork, unit: UnitOfWork): Decision<UnitOfWorkEvent> {
  const refusal = requireStatus(unit, 'pending', 'UNIT_NOT_PENDING');
  if (refusal) {
    return refusal;
  }
  const { workId } = unit;
  const { at } = command;
  // Nothing to wait for: an empty unit is done the moment it starts.
  return unit.tasks.length === 0
    ? emit({ type: 'UnitOfWorkStarted', workId, at }, { type: 'UnitOfWorkCompleted', workId, at })
    : emit({ type: 'UnitOfWorkStarted', workId, at });
}

function startTask(command: StartTask, unit: UnitOfWork): Decision<UnitOfWorkEvent> {
  const refusal = requireStatus(unit, 'running', 'UNIT_NOT_RUNNING');
  if (refusal) {
    return refusal;
  }
  const { taskId, agentId, agentTaskId, at } = command;
  const task = findTask(unit, taskId);
  if (!task) {
    return taskNotFound(unit, taskId);
  }
  if (!isTaskReady(unit, task, at)) {
    return notReady(unit, task);
  }
  return emit({
    type: 'TaskExecutionStarted',
    workId: unit.workId,
    taskId,
    attempt: nextAttemptNumber(task),
    ...(agentId === undefined ? {} : { agentId }),
    ...(agentTaskId === undefined ? {} : { agentTaskId }),
    at,
  });
}

function completeTask(command: CompleteTask, unit: UnitOfWork): Decision<UnitOfWorkEvent> {
  const { taskId, attempt, output, at } = command;
  const task = findTask(unit, taskId);
  if (!task) {
    return taskNotFound(unit, taskId);
  }
  if (isRecordedSuccess(task, attempt)) {
    return [];
  }
  return (
    refuseReport(unit, task, attempt) ??
    settle(unit, {
      type: 'TaskExecutionCompleted',
      workId: unit.workId,
      taskId,
      attempt,
      output,
      at,
    })
  );
}

function failTask(command: FailTask, unit: UnitOfWork): Decision<UnitOfWorkEvent> {
  const { taskId, attempt, failure, at, random } = command;
  const task = findTask(unit, taskId);
  if (!task) {
    return taskNotFound(unit, taskId);
  }
  if (isRecordedFailure(task, attempt)) {
    return [];
  }
  const refusal = refuseReport(unit, task, attempt);
  if (refusal) {
    return refusal;
  }
  // A failure that says it is final is final, whatever budget is left.
  const retryAt = failure.retryable
    ? nextAttemptAt(task.retry, attemptInRound(task, attempt), at, random, failure.retryAfter)
    : undefined;
  return settle(unit, {
    type: 'TaskExecutionFailed',
    workId: unit.workId,
    taskId,
    attempt,
    error: failure,
    willRetry: retryAt !== undefined,
    ...(retryAt === undefined ? {} : { nextAttemptAt: retryAt }),
    at,
  });
}

function retryFailedTasks(command: RetryFailedTasks, unit: UnitOfWork): Decision<UnitOfWorkEvent> {
  const refusal = requireStatus(unit, 'failed', 'UNIT_NOT_FAILED');
  if (refusal) {
    return refusal;
  }
  return emit({
    type: 'UnitOfWorkRetried',
    workId: unit.workId,
    taskIds: failedTasks(unit),
    at: command.at,
  });
}

function cancel(command: CancelUnitOfWork, unit: UnitOfWork): Decision<UnitOfWorkEvent> {
  const refusal = refuseIfTerminal(unit);
  if (refusal) {
    return refusal;
  }
  const unfinished = new Set(['pending', 'running', 'waiting_retry']);
  return emit({
    type: 'UnitOfWorkCancelled',
    workId: unit.workId,
    reason: command.reason,
    cancelledTaskIds: unit.tasks
      .filter((task) => unfinished.has(task.execution.status))
      .map((task) => task.taskId),
    runningTasks: runningAttempts(unit),
    at: command.at,
  });
}

/** Appends to a task event the unit's ending, if that event leaves nothing else to do. */
function settle(unit: UnitOfWork, event: UnitOfWorkEvent): Events {
  const next = evolveUnitOfWork(unit, event);
  const { workId } = unit;
  const { at } = event;
  switch (settledOutcome(next)) {
    case 'completed':
      return emit(event, { type: 'UnitOfWorkCompleted', workId, at });
    case 'failed':
      return emit(event, {
        type: 'UnitOfWorkFailed',
        workId,
        failedTaskIds: failedTasks(next),
        blockedTaskIds: blockedTasks(next),
        at,
      });
    case undefined:
      return emit(event);
  }
}

/** Events leave the decider frozen: nothing downstream may change the record of what happened. */
function emit(...events: UnitOfWorkEvent[]): Events {
  return Object.freeze(events.map((event) => Object.freeze(event)));
}
