import type { AgentId, ClientId, JourneyId, TaskId, WorkId } from '../ids.js';
import type { WorkingStage } from '../journey/stage.js';
import type { JsonValue } from '../json.js';
import type { Instant } from '../time.js';
import type { TaskFailure, UnitOfWorkEvent, WorkPurpose } from './events.js';
import type { TaskDefinition } from './task.js';

export const TASK_STATUSES = [
  'pending',
  'running',
  'waiting_retry',
  'succeeded',
  'failed',
  'cancelled',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Where a task stands. Only `running` has an attempt in flight. */
export type TaskExecution =
  | { readonly status: 'pending' }
  | {
      readonly status: 'running';
      readonly attempt: number;
      readonly startedAt: Instant;
      readonly agentId?: AgentId;
      readonly agentTaskId?: string;
    }
  | {
      readonly status: 'waiting_retry';
      readonly lastAttempt: number;
      readonly nextAttemptAt: Instant;
      readonly lastError: TaskFailure;
    }
  | {
      readonly status: 'succeeded';
      readonly attempt: number;
      readonly output: JsonValue;
      readonly finishedAt: Instant;
    }
  | {
      readonly status: 'failed';
      readonly attempt: number;
      readonly error: TaskFailure;
      readonly finishedAt: Instant;
    }
  | {
      readonly status: 'cancelled';
      readonly cancelledAt: Instant;
      /** The attempt that was running when the unit was cancelled: its outcome is unknown. */
      readonly abandonedAttempt?: number;
    };

/**
 * A task of a unit: its definition plus how far it got. The status sits in `execution` rather
 * than beside the definition because both have an `agentId`: the configured one and the one
 * the attempt actually went to (possibly discovered by intent).
 */
export interface TaskState extends TaskDefinition {
  /** Attempts started so far over all rounds; the next attempt is number `attempts + 1`. */
  readonly attempts: number;
  /** Attempts started before the current round (`retryFailedTasks` opens a new round). */
  readonly attemptsBeforeRound: number;
  readonly execution: TaskExecution;
}

export const UNIT_OF_WORK_STATUSES = [
  'pending',
  'running',
  'completed',
  'failed',
  'cancelled',
] as const;
export type UnitOfWorkStatus = (typeof UNIT_OF_WORK_STATUSES)[number];

interface UnitOfWorkFacts {
  readonly workId: WorkId;
  readonly journeyId: JourneyId;
  readonly clientId: ClientId;
  readonly stage: WorkingStage;
  readonly purpose: WorkPurpose;
  readonly createdAt: Instant;
  /** In definition order. */
  readonly tasks: readonly TaskState[];
}

/** A unit of work that exists. Plain data: it survives a JSON round trip unchanged. */
export type UnitOfWork = UnitOfWorkFacts &
  (
    | { readonly status: 'pending' }
    | { readonly status: 'running'; readonly startedAt: Instant }
    | { readonly status: 'completed'; readonly startedAt: Instant; readonly completedAt: Instant }
    | {
        readonly status: 'failed';
        readonly startedAt: Instant;
        readonly failedAt: Instant;
        readonly failedTaskIds: readonly TaskId[];
        readonly blockedTaskIds: readonly TaskId[];
      }
    | { readonly status: 'cancelled'; readonly cancelledAt: Instant; readonly reason: string }
  );

/** The state of a unit of work stream: `none` until `UnitOfWorkCreated`. */
export type UnitOfWorkState = { readonly status: 'none' } | UnitOfWork;

export const initialUnitOfWorkState: UnitOfWorkState = Object.freeze({ status: 'none' });

/** Folds one event into the state. Total: an event that cannot apply leaves the state as is. */
export function evolveUnitOfWork(state: UnitOfWorkState, event: UnitOfWorkEvent): UnitOfWorkState {
  if (event.type === 'UnitOfWorkCreated') {
    const { workId, journeyId, clientId, stage, purpose, at } = event;
    return {
      status: 'pending',
      workId,
      journeyId,
      clientId,
      stage,
      purpose,
      createdAt: at,
      tasks: [],
    };
  }
  if (state.status === 'none') {
    return state;
  }
  const facts = factsOf(state);
  switch (event.type) {
    case 'TaskAdded':
      return {
        ...state,
        tasks: [
          ...state.tasks,
          { ...event.task, attempts: 0, attemptsBeforeRound: 0, execution: { status: 'pending' } },
        ],
      };
    case 'UnitOfWorkStarted':
      return { ...facts, status: 'running', startedAt: event.at };
    case 'TaskExecutionStarted': {
      const { attempt, at, agentId, agentTaskId } = event;
      return updateTask(state, event.taskId, (task) => ({
        ...task,
        attempts: Math.max(task.attempts, attempt),
        execution: {
          status: 'running',
          attempt,
          startedAt: at,
          ...(agentId === undefined ? {} : { agentId }),
          ...(agentTaskId === undefined ? {} : { agentTaskId }),
        },
      }));
    }
    case 'TaskExecutionCompleted':
      return updateTask(state, event.taskId, (task) => ({
        ...task,
        execution: {
          status: 'succeeded',
          attempt: event.attempt,
          output: event.output,
          finishedAt: event.at,
        },
      }));
    case 'TaskExecutionFailed':
      return updateTask(state, event.taskId, (task) => ({
        ...task,
        execution:
          event.willRetry && event.nextAttemptAt !== undefined
            ? {
                status: 'waiting_retry',
                lastAttempt: event.attempt,
                nextAttemptAt: event.nextAttemptAt,
                lastError: event.error,
              }
            : {
                status: 'failed',
                attempt: event.attempt,
                error: event.error,
                finishedAt: event.at,
              },
      }));
    case 'UnitOfWorkCompleted':
      return {
        ...facts,
        status: 'completed',
        startedAt: startedAtOf(state, event.at),
        completedAt: event.at,
      };
    case 'UnitOfWorkFailed':
      return {
        ...facts,
        status: 'failed',
        startedAt: startedAtOf(state, event.at),
        failedAt: event.at,
        failedTaskIds: event.failedTaskIds,
        blockedTaskIds: event.blockedTaskIds,
      };
    case 'UnitOfWorkRetried': {
      const retried = new Set(event.taskIds);
      return {
        ...facts,
        status: 'running',
        startedAt: startedAtOf(state, event.at),
        tasks: state.tasks.map((task) =>
          retried.has(task.taskId)
            ? { ...task, attemptsBeforeRound: task.attempts, execution: { status: 'pending' } }
            : task,
        ),
      };
    }
    case 'UnitOfWorkCancelled': {
      const cancelled = new Set(event.cancelledTaskIds);
      return {
        ...facts,
        status: 'cancelled',
        cancelledAt: event.at,
        reason: event.reason,
        tasks: state.tasks.map((task) =>
          cancelled.has(task.taskId)
            ? { ...task, execution: cancelledExecution(task, event.at) }
            : task,
        ),
      };
    }
  }
}

function factsOf(unit: UnitOfWork): UnitOfWorkFacts {
  const { workId, journeyId, clientId, stage, purpose, createdAt, tasks } = unit;
  return { workId, journeyId, clientId, stage, purpose, createdAt, tasks };
}

/** A unit that ends keeps the instant it first started; `fallback` only for impossible folds. */
function startedAtOf(unit: UnitOfWork, fallback: Instant): Instant {
  return 'startedAt' in unit ? unit.startedAt : fallback;
}

function cancelledExecution(task: TaskState, at: Instant): TaskExecution {
  const { execution } = task;
  return execution.status === 'running'
    ? { status: 'cancelled', cancelledAt: at, abandonedAttempt: execution.attempt }
    : { status: 'cancelled', cancelledAt: at };
}

function updateTask(
  unit: UnitOfWork,
  taskId: TaskId,
  change: (task: TaskState) => TaskState,
): UnitOfWork {
  return {
    ...unit,
    tasks: unit.tasks.map((task) => (task.taskId === taskId ? change(task) : task)),
  };
}
