import type {
  Instant,
  JsonValue,
  RetryPolicy,
  TaskFailure,
  TaskState,
  TaskStatus,
  UnitOfWork,
  UnitOfWorkStatus,
  WorkingStage,
  WorkPurpose,
} from '../../domain/index.js';
import type { StoredEvent, UnitOfWorkRecord } from '../ports.js';

/**
 * A unit of work as people and clients read it: its tasks with every attempt and its outcome.
 * The unit's folded state knows only each task's latest attempt, so the attempt history is
 * read from the unit's own events (one stream, a few dozen events).
 */

/** One attempt of a task, from the unit's events. */
export interface TaskAttemptView {
  readonly attempt: number;
  readonly status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  readonly startedAt: Instant | null;
  readonly finishedAt: Instant | null;
  readonly agentId: string | null;
  readonly agentTaskId: string | null;
  readonly output: JsonValue | null;
  readonly error: TaskFailure | null;
  /** A failed attempt that will be followed by another one at `nextAttemptAt`. */
  readonly willRetry: boolean;
  readonly nextAttemptAt: Instant | null;
}

export interface TaskView {
  readonly taskId: string;
  readonly name: string;
  readonly intent: string;
  /** The configured agent; null when one is discovered by intent. */
  readonly agentId: string | null;
  readonly dependsOn: readonly string[];
  /** The input as defined, `${...}` references unresolved. */
  readonly input: JsonValue;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly status: TaskStatus;
  readonly attemptCount: number;
  /** The latest success's output, else null. */
  readonly output: JsonValue | null;
  /** The latest failure (final or waiting to retry), else null. */
  readonly error: TaskFailure | null;
  readonly nextAttemptAt: Instant | null;
  readonly attempts: readonly TaskAttemptView[];
}

export interface UnitOfWorkView {
  readonly workId: string;
  readonly journeyId: string;
  readonly clientId: string;
  readonly stage: WorkingStage;
  readonly purpose: WorkPurpose;
  readonly status: UnitOfWorkStatus;
  readonly createdAt: Instant;
  readonly startedAt: Instant | null;
  /** When it completed, failed or was cancelled; null while pending or running. */
  readonly endedAt: Instant | null;
  /** Why it was cancelled; null otherwise. */
  readonly cancelReason: string | null;
  readonly failedTaskIds: readonly string[];
  readonly blockedTaskIds: readonly string[];
  readonly tasks: readonly TaskView[];
  readonly updatedAt: Instant;
  readonly version: number;
}

/** The view of a unit from its read-model row and its stream's events (oldest first). */
export function unitOfWorkView(
  record: UnitOfWorkRecord,
  events: readonly StoredEvent[],
): UnitOfWorkView {
  const unit = record.state;
  const attempts = attemptsByTask(events);
  return {
    workId: record.workId,
    journeyId: record.journeyId,
    clientId: record.clientId,
    stage: record.stage,
    purpose: record.purpose,
    status: unit.status,
    createdAt: unit.createdAt,
    startedAt: 'startedAt' in unit ? unit.startedAt : null,
    endedAt: endedAt(unit),
    cancelReason: unit.status === 'cancelled' ? unit.reason : null,
    failedTaskIds: unit.status === 'failed' ? unit.failedTaskIds : [],
    blockedTaskIds: unit.status === 'failed' ? unit.blockedTaskIds : [],
    tasks: unit.tasks.map((task) => taskView(task, attempts.get(task.taskId) ?? [])),
    updatedAt: record.updatedAt,
    version: record.version,
  };
}

function endedAt(unit: UnitOfWork): Instant | null {
  switch (unit.status) {
    case 'completed':
      return unit.completedAt;
    case 'failed':
      return unit.failedAt;
    case 'cancelled':
      return unit.cancelledAt;
    default:
      return null;
  }
}

function taskView(task: TaskState, attempts: readonly TaskAttemptView[]): TaskView {
  const { execution } = task;
  return {
    taskId: task.taskId,
    name: task.name,
    intent: task.intent,
    agentId: task.agentId ?? null,
    dependsOn: task.dependsOn,
    input: task.input,
    timeoutMs: task.timeout,
    retry: task.retry,
    status: execution.status,
    attemptCount: task.attempts,
    output: execution.status === 'succeeded' ? execution.output : null,
    error:
      execution.status === 'failed'
        ? execution.error
        : execution.status === 'waiting_retry'
          ? execution.lastError
          : null,
    nextAttemptAt: execution.status === 'waiting_retry' ? execution.nextAttemptAt : null,
    attempts,
  };
}

type MutableAttempt = { -readonly [K in keyof TaskAttemptView]: TaskAttemptView[K] };

/** Folds the unit's task events into one list of attempts per task, in attempt order. */
function attemptsByTask(events: readonly StoredEvent[]): Map<string, TaskAttemptView[]> {
  const byTask = new Map<string, Map<number, MutableAttempt>>();
  const attemptOf = (taskId: string, attempt: number): MutableAttempt => {
    let attempts = byTask.get(taskId);
    if (attempts === undefined) {
      attempts = new Map();
      byTask.set(taskId, attempts);
    }
    let found = attempts.get(attempt);
    if (found === undefined) {
      found = {
        attempt,
        status: 'running',
        startedAt: null,
        finishedAt: null,
        agentId: null,
        agentTaskId: null,
        output: null,
        error: null,
        willRetry: false,
        nextAttemptAt: null,
      };
      attempts.set(attempt, found);
    }
    return found;
  };
  for (const { event } of events) {
    switch (event.type) {
      case 'TaskExecutionStarted': {
        const attempt = attemptOf(event.taskId, event.attempt);
        attempt.startedAt = event.at;
        attempt.agentId = event.agentId ?? null;
        attempt.agentTaskId = event.agentTaskId ?? null;
        break;
      }
      case 'TaskExecutionCompleted': {
        const attempt = attemptOf(event.taskId, event.attempt);
        attempt.status = 'succeeded';
        attempt.finishedAt = event.at;
        attempt.output = event.output;
        break;
      }
      case 'TaskExecutionFailed': {
        const attempt = attemptOf(event.taskId, event.attempt);
        attempt.status = 'failed';
        attempt.finishedAt = event.at;
        attempt.error = event.error;
        attempt.willRetry = event.willRetry;
        attempt.nextAttemptAt = event.nextAttemptAt ?? null;
        break;
      }
      case 'UnitOfWorkCancelled':
        for (const running of event.runningTasks) {
          const attempt = attemptOf(running.taskId, running.attempt);
          attempt.status = 'cancelled';
          attempt.finishedAt = event.at;
        }
        break;
      default:
        break;
    }
  }
  return new Map(
    [...byTask].map(([taskId, attempts]) => [
      taskId,
      [...attempts.values()].sort((a, b) => a.attempt - b.attempt),
    ]),
  );
}
