import type { AgentId, ClientId, JourneyId, TaskId, WorkId } from '../ids.js';
import type { WorkingStage } from '../journey/stage.js';
import type { JsonValue } from '../json.js';
import type { Instant, Millis } from '../time.js';
import type { TaskDefinition } from './task.js';

/** Why a unit of work exists: to set a stage up, or to undo it during a rollback. */
export const WorkPurpose = {
  setup: 'setup',
  rollback: 'rollback',
} as const;
export type WorkPurpose = (typeof WorkPurpose)[keyof typeof WorkPurpose];

/**
 * What went wrong with one attempt, as data: whether it may be retried is the agent's (or the
 * runtime's) call, so a validation error is not retried three times for nothing.
 */
export interface TaskFailure {
  readonly message: string;
  /** A machine-readable reason, e.g. `TIMEOUT` or the agent's own error code. */
  readonly code?: string;
  readonly retryable: boolean;
  /** The agent asked us to wait at least this long before trying again. */
  readonly retryAfter?: Millis;
}

/** A task attempt that was running when its unit was cancelled: the runtime tells its agent. */
export interface CancelledAttempt {
  readonly taskId: TaskId;
  readonly attempt: number;
  readonly agentId?: AgentId;
  readonly agentTaskId?: string;
}

export interface UnitOfWorkCreated {
  readonly type: 'UnitOfWorkCreated';
  readonly workId: WorkId;
  readonly journeyId: JourneyId;
  readonly clientId: ClientId;
  readonly stage: WorkingStage;
  readonly purpose: WorkPurpose;
  readonly at: Instant;
}

export interface TaskAdded {
  readonly type: 'TaskAdded';
  readonly workId: WorkId;
  readonly task: TaskDefinition;
  readonly at: Instant;
}

export interface UnitOfWorkStarted {
  readonly type: 'UnitOfWorkStarted';
  readonly workId: WorkId;
  readonly at: Instant;
}

export interface TaskExecutionStarted {
  readonly type: 'TaskExecutionStarted';
  readonly workId: WorkId;
  readonly taskId: TaskId;
  /** 1, 2, 3... over the task's whole life, never reused: it keys the A2A message id. */
  readonly attempt: number;
  readonly agentId?: AgentId;
  readonly agentTaskId?: string;
  readonly at: Instant;
}

export interface TaskExecutionCompleted {
  readonly type: 'TaskExecutionCompleted';
  readonly workId: WorkId;
  readonly taskId: TaskId;
  readonly attempt: number;
  readonly output: JsonValue;
  readonly at: Instant;
}

export interface TaskExecutionFailed {
  readonly type: 'TaskExecutionFailed';
  readonly workId: WorkId;
  readonly taskId: TaskId;
  readonly attempt: number;
  readonly error: TaskFailure;
  readonly willRetry: boolean;
  /** Present exactly when `willRetry`. */
  readonly nextAttemptAt?: Instant;
  readonly at: Instant;
}

export interface UnitOfWorkCompleted {
  readonly type: 'UnitOfWorkCompleted';
  readonly workId: WorkId;
  readonly at: Instant;
}

export interface UnitOfWorkFailed {
  readonly type: 'UnitOfWorkFailed';
  readonly workId: WorkId;
  /** Tasks whose retries ran out (or whose failure was not retryable). */
  readonly failedTaskIds: readonly TaskId[];
  /** Tasks that never ran because a task they depend on failed. */
  readonly blockedTaskIds: readonly TaskId[];
  readonly at: Instant;
}

export interface UnitOfWorkRetried {
  readonly type: 'UnitOfWorkRetried';
  readonly workId: WorkId;
  /** The failed tasks, now pending again with a fresh retry budget. */
  readonly taskIds: readonly TaskId[];
  readonly at: Instant;
}

export interface UnitOfWorkCancelled {
  readonly type: 'UnitOfWorkCancelled';
  readonly workId: WorkId;
  readonly reason: string;
  /** Every task that had not finished (pending, running or waiting to retry). */
  readonly cancelledTaskIds: readonly TaskId[];
  readonly runningTasks: readonly CancelledAttempt[];
  readonly at: Instant;
}

/** Everything that can happen to a unit of work; `evolveUnitOfWork` folds these into its state. */
export type UnitOfWorkEvent =
  | UnitOfWorkCreated
  | TaskAdded
  | UnitOfWorkStarted
  | TaskExecutionStarted
  | TaskExecutionCompleted
  | TaskExecutionFailed
  | UnitOfWorkCompleted
  | UnitOfWorkFailed
  | UnitOfWorkRetried
  | UnitOfWorkCancelled;

export type UnitOfWorkEventType = UnitOfWorkEvent['type'];

export const UNIT_OF_WORK_EVENT_TYPES = [
  'UnitOfWorkCreated',
  'TaskAdded',
  'UnitOfWorkStarted',
  'TaskExecutionStarted',
  'TaskExecutionCompleted',
  'TaskExecutionFailed',
  'UnitOfWorkCompleted',
  'UnitOfWorkFailed',
  'UnitOfWorkRetried',
  'UnitOfWorkCancelled',
] as const satisfies readonly UnitOfWorkEventType[];

// Compile-time check that the list above names every event type.
type MissingEventTypes = Exclude<UnitOfWorkEventType, (typeof UNIT_OF_WORK_EVENT_TYPES)[number]>;
export const ALL_UNIT_OF_WORK_EVENT_TYPES_LISTED: MissingEventTypes extends never ? true : never =
  true;
