import type { AgentId, ClientId, JourneyId, TaskId, WorkId } from '../ids.js';
import type { WorkingStage } from '../journey/stage.js';
import type { JsonValue } from '../json.js';
import type { Instant } from '../time.js';
import type { TaskFailure, WorkPurpose } from './events.js';
import type { TaskDefinition } from './task.js';

/** Creates the unit with its whole task graph, which must be a valid DAG. */
export interface CreateUnitOfWork {
  readonly type: 'create';
  readonly workId: WorkId;
  readonly journeyId: JourneyId;
  readonly clientId: ClientId;
  readonly stage: WorkingStage;
  readonly purpose: WorkPurpose;
  readonly tasks: readonly TaskDefinition[];
  readonly at: Instant;
}

/** Adds tasks before execution starts (the spec's `add_task` is a batch of one). */
export interface AddTasks {
  readonly type: 'addTasks';
  readonly tasks: readonly TaskDefinition[];
  readonly at: Instant;
}

/** Starts the unit: from now on its ready tasks may be dispatched. */
export interface ExecuteUnitOfWork {
  readonly type: 'execute';
  readonly at: Instant;
}

/** Records that the runtime dispatched the task's next attempt (to `agentId`, if known). */
export interface StartTask {
  readonly type: 'startTask';
  readonly taskId: TaskId;
  readonly agentId?: AgentId;
  /** The agent's own id for the work, so a restarted runtime polls instead of re-sending. */
  readonly agentTaskId?: string;
  readonly at: Instant;
}

/** An agent reported that an attempt succeeded. */
export interface CompleteTask {
  readonly type: 'completeTask';
  readonly taskId: TaskId;
  readonly attempt: number;
  readonly output: JsonValue;
  readonly at: Instant;
}

/** An attempt failed: the agent said so, or the runtime gave up waiting (timeout). */
export interface FailTask {
  readonly type: 'failTask';
  readonly taskId: TaskId;
  readonly attempt: number;
  readonly failure: TaskFailure;
  readonly at: Instant;
  /** A number in [0, 1) that spreads the retry delay (the domain reads no random source). */
  readonly random: number;
}

/** Gives every failed task a fresh round of attempts and resumes the failed unit. */
export interface RetryFailedTasks {
  readonly type: 'retryFailedTasks';
  readonly at: Instant;
}

/** Stops the unit; running attempts are listed so the runtime can cancel them at the agents. */
export interface CancelUnitOfWork {
  readonly type: 'cancel';
  readonly reason: string;
  readonly at: Instant;
}

/** Everything one can ask of a unit of work; `decideUnitOfWork` answers with events or a refusal. */
export type UnitOfWorkCommand =
  | CreateUnitOfWork
  | AddTasks
  | ExecuteUnitOfWork
  | StartTask
  | CompleteTask
  | FailTask
  | RetryFailedTasks
  | CancelUnitOfWork;

export type UnitOfWorkCommandType = UnitOfWorkCommand['type'];
