import type { TaskId } from '../../src/domain/ids.js';
import { asAgentId, asClientId, asJourneyId, asTaskId, asWorkId } from '../../src/domain/ids.js';
import type { JsonValue } from '../../src/domain/json.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../src/domain/retry-policy.js';
import { addMillis, SECOND, type Instant } from '../../src/domain/time.js';
import type { UnitOfWorkCommand } from '../../src/domain/unit-of-work/commands.js';
import { decideUnitOfWork } from '../../src/domain/unit-of-work/decide.js';
import type {
  CancelledAttempt,
  TaskFailure,
  UnitOfWorkEvent,
} from '../../src/domain/unit-of-work/events.js';
import {
  evolveUnitOfWork,
  initialUnitOfWorkState,
  type UnitOfWorkState,
} from '../../src/domain/unit-of-work/state.js';
import type { TaskDefinition } from '../../src/domain/unit-of-work/task.js';
import { deciderSpec } from './decider-spec.js';

/** Builders for unit-of-work tests: short to write, complete enough to compare with toEqual. */

export const WORK = asWorkId('work-1');
export const JOURNEY = asJourneyId('journey-1');
export const CLIENT = asClientId('acme');
export const T0: Instant = '2026-01-01T00:00:00.000Z';

/** `T0` plus some seconds: tests read `at(5)` as "five seconds in". */
export const at = (seconds: number): Instant => addMillis(T0, seconds * SECOND);

/** No jitter, so retry times in expected events are exact. */
export const POLICY: RetryPolicy = { ...DEFAULT_RETRY_POLICY, jitter: 0 };

export const unitSpec = deciderSpec({
  decide: decideUnitOfWork,
  evolve: evolveUnitOfWork,
  initialState: initialUnitOfWorkState,
});

export function fold(events: readonly UnitOfWorkEvent[]): UnitOfWorkState {
  return events.reduce(evolveUnitOfWork, initialUnitOfWorkState);
}

export function task(
  id: string,
  dependsOn: readonly string[] = [],
  overrides: Partial<TaskDefinition> = {},
): TaskDefinition {
  return {
    taskId: asTaskId(id),
    name: `Task ${id}`,
    intent: `do_${id}`,
    input: { id },
    dependsOn: dependsOn.map(asTaskId),
    retry: POLICY,
    timeout: 60 * SECOND,
    ...overrides,
  };
}

export const retryable = (message = 'agent unavailable', retryAfter?: number): TaskFailure => ({
  message,
  retryable: true,
  ...(retryAfter === undefined ? {} : { retryAfter }),
});

export const terminal = (message = 'invalid input'): TaskFailure => ({
  message,
  code: 'INVALID_INPUT',
  retryable: false,
});

const id = asTaskId;

/** Events, with `workId` filled in. */
export const ev = {
  created: (when = T0): UnitOfWorkEvent => ({
    type: 'UnitOfWorkCreated',
    workId: WORK,
    journeyId: JOURNEY,
    clientId: CLIENT,
    stage: 'sandbox',
    purpose: 'setup',
    at: when,
  }),
  added: (definition: TaskDefinition, when = T0): UnitOfWorkEvent => ({
    type: 'TaskAdded',
    workId: WORK,
    task: definition,
    at: when,
  }),
  started: (when = T0): UnitOfWorkEvent => ({ type: 'UnitOfWorkStarted', workId: WORK, at: when }),
  taskStarted: (
    taskId: string,
    attempt: number,
    when: Instant,
    agent: { agentId?: string; agentTaskId?: string } = {},
  ): UnitOfWorkEvent => ({
    type: 'TaskExecutionStarted',
    workId: WORK,
    taskId: id(taskId),
    attempt,
    ...(agent.agentId === undefined ? {} : { agentId: asAgentId(agent.agentId) }),
    ...(agent.agentTaskId === undefined ? {} : { agentTaskId: agent.agentTaskId }),
    at: when,
  }),
  taskCompleted: (
    taskId: string,
    attempt: number,
    when: Instant,
    output: JsonValue = { ok: taskId },
  ): UnitOfWorkEvent => ({
    type: 'TaskExecutionCompleted',
    workId: WORK,
    taskId: id(taskId),
    attempt,
    output,
    at: when,
  }),
  taskFailed: (
    taskId: string,
    attempt: number,
    when: Instant,
    error: TaskFailure,
    nextAttemptAt?: Instant,
  ): UnitOfWorkEvent => ({
    type: 'TaskExecutionFailed',
    workId: WORK,
    taskId: id(taskId),
    attempt,
    error,
    willRetry: nextAttemptAt !== undefined,
    ...(nextAttemptAt === undefined ? {} : { nextAttemptAt }),
    at: when,
  }),
  completed: (when: Instant): UnitOfWorkEvent => ({
    type: 'UnitOfWorkCompleted',
    workId: WORK,
    at: when,
  }),
  failed: (failed: string[], blocked: string[], when: Instant): UnitOfWorkEvent => ({
    type: 'UnitOfWorkFailed',
    workId: WORK,
    failedTaskIds: failed.map(id),
    blockedTaskIds: blocked.map(id),
    at: when,
  }),
  retried: (taskIds: string[], when: Instant): UnitOfWorkEvent => ({
    type: 'UnitOfWorkRetried',
    workId: WORK,
    taskIds: taskIds.map(id),
    at: when,
  }),
  cancelled: (
    reason: string,
    cancelled: string[],
    running: CancelledAttempt[],
    when: Instant,
  ): UnitOfWorkEvent => ({
    type: 'UnitOfWorkCancelled',
    workId: WORK,
    reason,
    cancelledTaskIds: cancelled.map(id),
    runningTasks: running,
    at: when,
  }),
};

/** Commands. */
export const cmd = {
  create: (tasks: readonly TaskDefinition[], when = T0): UnitOfWorkCommand => ({
    type: 'create',
    workId: WORK,
    journeyId: JOURNEY,
    clientId: CLIENT,
    stage: 'sandbox',
    purpose: 'setup',
    tasks,
    at: when,
  }),
  addTasks: (tasks: readonly TaskDefinition[], when = T0): UnitOfWorkCommand => ({
    type: 'addTasks',
    tasks,
    at: when,
  }),
  execute: (when = T0): UnitOfWorkCommand => ({ type: 'execute', at: when }),
  startTask: (
    taskId: string,
    when: Instant,
    agent: { agentId?: string; agentTaskId?: string } = {},
  ): UnitOfWorkCommand => ({
    type: 'startTask',
    taskId: id(taskId),
    ...(agent.agentId === undefined ? {} : { agentId: asAgentId(agent.agentId) }),
    ...(agent.agentTaskId === undefined ? {} : { agentTaskId: agent.agentTaskId }),
    at: when,
  }),
  completeTask: (
    taskId: string,
    attempt: number,
    when: Instant,
    output: JsonValue = { ok: taskId },
  ): UnitOfWorkCommand => ({ type: 'completeTask', taskId: id(taskId), attempt, output, at: when }),
  failTask: (
    taskId: string,
    attempt: number,
    when: Instant,
    failure: TaskFailure = retryable(),
    random = 0.5,
  ): UnitOfWorkCommand => ({
    type: 'failTask',
    taskId: id(taskId),
    attempt,
    failure,
    at: when,
    random,
  }),
  retryFailedTasks: (when: Instant): UnitOfWorkCommand => ({ type: 'retryFailedTasks', at: when }),
  cancel: (reason: string, when: Instant): UnitOfWorkCommand => ({
    type: 'cancel',
    reason,
    at: when,
  }),
};

/** A created unit holding `tasks`, not started yet. */
export function pendingUnit(...tasks: TaskDefinition[]): UnitOfWorkEvent[] {
  return [ev.created(), ...tasks.map((definition) => ev.added(definition))];
}

/** A created and started unit holding `tasks`. */
export function runningUnit(...tasks: TaskDefinition[]): UnitOfWorkEvent[] {
  return [...pendingUnit(...tasks), ev.started()];
}

/** Ids as the domain types them, for comparing with derived lists. */
export const ids = (...values: string[]): TaskId[] => values.map(asTaskId);
