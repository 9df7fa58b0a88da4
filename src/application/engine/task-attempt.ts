import { v5 as uuidv5 } from 'uuid';
import {
  addMillis,
  asAgentId,
  decideUnitOfWork,
  DomainError,
  evolveUnitOfWork,
  findTask,
  isTaskReady,
  millisBetween,
  nextAttemptNumber,
  resolveInput,
  toMillis,
  type Decision,
  type Instant,
  type JsonValue,
  type SnapshotTaken,
  type TaskId,
  type TaskState,
  type TemplateContext,
  type UnitOfWork,
  type UnitOfWorkCommand,
  type UnitOfWorkEvent,
  type UnitOfWorkState,
} from '../../domain/index.js';
import { UnclearDispatchError, type AgentTaskRef, type AttemptOutcome } from '../agents.js';
import type { WorkItem } from '../ports.js';
import type { Loaded } from '../repositories.js';
import { Changes, retryOnConflict, type Cause } from './changes.js';
import type { EngineContext } from './context.js';
import { parkIfPaused } from './pause-hold.js';
import type { TaskAttemptPayload } from './work-items.js';

/**
 * The specification's UnitOfWorkExecutor, one task attempt at a time. A `task_attempt` item
 * names an attempt (work, task, attempt number) and carries it through two phases:
 * - dispatch: the task is ready and this is its next attempt. The input is resolved, the
 *   attempt sent (deterministic message id), and TaskExecutionStarted recorded with the agent's
 *   task id; an attempt that ended at once is recorded in the same commit.
 * - await: the attempt is running. The agent is asked how it stands, backing off between polls,
 *   until it ends or its deadline passes (then it is cancelled at the agent and fails TIMEOUT).
 * An item whose attempt is over (recorded, cancelled, superseded) finishes without doing anything,
 * which is what makes running an item twice harmless.
 */

/** Fixed namespace for attempt message ids: the same attempt always gets the same id. */
const MESSAGE_NAMESPACE = '1b5f3c52-8f0e-4b8e-9a53-4c1d1f0e7a21';

export function attemptMessageId(workId: string, taskId: string, attempt: number): string {
  return uuidv5(`${workId}:${taskId}:${attempt}`, MESSAGE_NAMESPACE);
}

export async function runTaskAttempt(
  ctx: EngineContext,
  item: WorkItem,
  payload: TaskAttemptPayload,
  signal: AbortSignal,
): Promise<void> {
  const loaded = await ctx.units.load(payload.workId);
  const unit = loaded.state;
  const task = unit.status === 'none' ? undefined : findTask(unit, payload.taskId as TaskId);
  if (unit.status !== 'running' || task === undefined) {
    await ctx.store.complete(item.id, item.leaseOwner);
    return;
  }
  const scope: AttemptScope = {
    ctx,
    item,
    cause: { causedBy: 'system', correlationId: payload.correlationId, causationId: item.key },
    loaded: { state: unit, version: loaded.version },
    task,
  };
  const { execution } = task;
  if (execution.status === 'running' && execution.attempt === payload.attempt) {
    await awaitAttempt(scope, execution, signal);
    return;
  }
  if (nextAttemptNumber(task) !== payload.attempt) {
    await ctx.store.complete(item.id, item.leaseOwner);
    return;
  }
  const now = ctx.clock.now();
  if (execution.status === 'waiting_retry' && !isTaskReady(unit, task, now)) {
    // Claimed before its retry time (a clock step between processes): wait for it.
    await ctx.store.release(item.id, item.leaseOwner, execution.nextAttemptAt);
    return;
  }
  if (!isTaskReady(unit, task, now)) {
    await ctx.store.complete(item.id, item.leaseOwner);
    return;
  }
  // A paused journey starts no new attempt; one already running is awaited to its end.
  if (await parkIfPaused(ctx, item)) {
    return;
  }
  await dispatchAttempt(scope, signal);
}

/** One attempt being worked on: the item that carries it and the unit as last loaded. */
interface AttemptScope {
  readonly ctx: EngineContext;
  readonly item: WorkItem;
  readonly cause: Cause;
  readonly loaded: Loaded<UnitOfWork>;
  readonly task: TaskState;
}

async function dispatchAttempt(scope: AttemptScope, signal: AbortSignal): Promise<void> {
  const { ctx, item, task } = scope;
  const unit = scope.loaded.state;
  const attempt = nextAttemptNumber(task);
  const startedAt = ctx.clock.now();
  const input = resolveInput(task.input, await templateContext(ctx, unit));
  if (!input.ok) {
    // A reference that does not resolve will not resolve on a retry either.
    await record(scope, attempt, {
      startedAt,
      outcome: {
        status: 'failed',
        failure: { message: `input: ${input.error}`, code: 'INPUT_UNRESOLVED', retryable: false },
      },
    });
    return;
  }
  let result;
  try {
    result = await ctx.agents.dispatch(
      {
        journeyId: unit.journeyId,
        clientId: unit.clientId,
        stage: unit.stage,
        workId: unit.workId,
        taskId: task.taskId,
        attempt,
        ...(task.agentId === undefined ? {} : { agentId: task.agentId }),
        intent: task.intent,
        input: input.value,
        messageId: attemptMessageId(unit.workId, task.taskId, attempt),
        deadline: addMillis(startedAt, task.timeout),
        // Claimed before: an earlier claimer may have sent it and died before recording it.
        mayHaveBeenSent: item.attempts > 1,
      },
      signal,
    );
  } catch (error) {
    if (error instanceof UnclearDispatchError) {
      ctx.log.warn('dispatch outcome unclear; will look the attempt up and try again', {
        workId: unit.workId,
        taskId: task.taskId,
        attempt,
        error: error.message,
      });
      await ctx.store.release(
        item.id,
        item.leaseOwner,
        addMillis(ctx.clock.now(), ctx.settings.pollInitial),
        error.message,
      );
      return;
    }
    throw error;
  }
  if (result.status !== 'running') {
    await record(scope, attempt, { startedAt, agentId: result.agentId, outcome: result });
    return;
  }
  const ref = { agentId: result.agentId, agentTaskId: result.agentTaskId };
  const started = await commitOnUnit(scope, false, (state) =>
    decideUnitOfWork(
      { type: 'startTask', taskId: task.taskId, ...agentOf(ref), at: startedAt },
      state,
    ),
  );
  if (!started) {
    // The unit was cancelled (or the attempt superseded) while we sent it: stop it there too.
    await ctx.agents.cancel(ref);
    await ctx.store.complete(item.id, item.leaseOwner);
    return;
  }
  await ctx.store.release(item.id, item.leaseOwner, nextPoll(scope, startedAt));
}

async function awaitAttempt(
  scope: AttemptScope,
  execution: Extract<TaskState['execution'], { status: 'running' }>,
  signal: AbortSignal,
): Promise<void> {
  const { ctx, item, task } = scope;
  const { attempt, agentId, agentTaskId, startedAt } = execution;
  const finish = (outcome: AttemptOutcome) => record(scope, attempt, { outcome });
  if (agentId === undefined || agentTaskId === undefined) {
    await finish({
      status: 'failed',
      failure: {
        message: 'the attempt was started without an agent task to follow',
        code: 'AGENT_LOST_TASK',
        retryable: true,
      },
    });
    return;
  }
  const ref = { agentId, agentTaskId };
  if (toMillis(ctx.clock.now()) >= toMillis(addMillis(startedAt, task.timeout))) {
    await ctx.agents.cancel(ref);
    await finish({
      status: 'failed',
      failure: {
        message: `no result within the task's timeout of ${task.timeout} ms`,
        code: 'TIMEOUT',
        retryable: true,
      },
    });
    return;
  }
  const polled = await ctx.agents.poll(ref, signal);
  if (polled.status === 'running') {
    await ctx.store.release(item.id, item.leaseOwner, nextPoll(scope, startedAt));
    return;
  }
  await finish(polled);
}

/**
 * Records how an attempt ended (with its start, when the dispatch itself ended it) and finishes
 * the item in the same commit. A report the unit no longer accepts (it was cancelled meanwhile)
 * is dropped: the unit's own events already say what happened.
 */
async function record(
  scope: AttemptScope,
  attempt: number,
  report: {
    readonly outcome: AttemptOutcome;
    /** Present when the dispatch itself ended the attempt: its start is recorded too. */
    readonly startedAt?: Instant;
    readonly agentId?: string;
  },
): Promise<void> {
  const { ctx, task } = scope;
  const { taskId } = task;
  await commitOnUnit(scope, true, (state) => {
    const at = ctx.clock.now();
    const commands: UnitOfWorkCommand[] = [];
    if (report.startedAt !== undefined) {
      commands.push({
        type: 'startTask',
        taskId,
        ...(report.agentId === undefined ? {} : { agentId: asAgentId(report.agentId) }),
        at: report.startedAt,
      });
    }
    const { outcome } = report;
    commands.push(
      outcome.status === 'succeeded'
        ? { type: 'completeTask', taskId, attempt, output: outcome.output, at }
        : { type: 'failTask', taskId, attempt, failure: outcome.failure, at, random: ctx.random() },
    );
    return decideAll(state, commands);
  });
}

/**
 * Decides on the unit and commits, finishing the item when `finishItem`. The first try uses the
 * state loaded at the start of the item; a lost race reloads. Returns false when the unit
 * refused (nothing written but the item's completion).
 */
async function commitOnUnit(
  scope: AttemptScope,
  finishItem: boolean,
  decide: (state: UnitOfWorkState) => Decision<UnitOfWorkEvent>,
): Promise<boolean> {
  const { ctx, item, cause } = scope;
  const { workId, journeyId } = scope.loaded.state;
  let loaded: Loaded<UnitOfWorkState> | undefined = scope.loaded;
  return retryOnConflict(ctx, async () => {
    const current = loaded ?? (await ctx.units.load(workId));
    loaded = undefined;
    const decision = decide(current.state);
    const changes = new Changes(ctx, cause, ctx.clock.now());
    if (!(decision instanceof DomainError)) {
      changes.unit(workId, journeyId, current, decision);
    }
    await changes.commit(finishItem ? item : undefined);
    return !(decision instanceof DomainError);
  });
}

function agentOf(ref: AgentTaskRef) {
  return { agentId: asAgentId(ref.agentId), agentTaskId: ref.agentTaskId };
}

/** Decides commands in turn on the evolving state; the first refusal refuses them all. */
function decideAll(
  state: UnitOfWorkState,
  commands: readonly UnitOfWorkCommand[],
): Decision<UnitOfWorkEvent> {
  const events: UnitOfWorkEvent[] = [];
  let current = state;
  for (const command of commands) {
    const decision = decideUnitOfWork(command, current);
    if (decision instanceof DomainError) {
      return decision;
    }
    events.push(...decision);
    current = decision.reduce(evolveUnitOfWork, current);
  }
  return events;
}

/** Polls back off (first after `pollInitial`, doubling to `pollMax`) and never pass the deadline. */
function nextPoll({ ctx, item, task }: AttemptScope, startedAt: Instant): Instant {
  const { pollInitial, pollMax } = ctx.settings;
  const now = ctx.clock.now();
  const delay = Math.min(pollMax, pollInitial * 2 ** Math.max(0, item.attempts - 1));
  const untilDeadline = Math.max(0, task.timeout - millisBetween(startedAt, now));
  return addMillis(now, Math.min(delay, untilDeadline));
}

/** What `${...}` references in a task's input resolve against. */
async function templateContext(ctx: EngineContext, unit: UnitOfWork): Promise<TemplateContext> {
  const tasks: Record<string, { output?: JsonValue }> = {};
  for (const other of unit.tasks) {
    if (other.execution.status === 'succeeded') {
      tasks[other.taskId] = { output: other.execution.output };
    }
  }
  const context: TemplateContext = {
    journey: { journeyId: unit.journeyId, clientId: unit.clientId, stage: unit.stage },
    tasks,
  };
  if (unit.purpose !== 'rollback') {
    return context;
  }
  // A rollback's tasks read the setup outputs captured when the rollback began.
  const snapshot = await latestSnapshot(ctx, unit.journeyId, unit.stage);
  const outputs = Object.fromEntries(
    Object.entries(snapshot?.outputs ?? {}).map(([taskId, output]) => [taskId, { output }]),
  );
  return { ...context, snapshot: { tasks: outputs } };
}

async function latestSnapshot(
  ctx: EngineContext,
  journeyId: string,
  stage: string,
): Promise<SnapshotTaken | undefined> {
  const events = await ctx.store.readStream(journeyId);
  let found: SnapshotTaken | undefined;
  for (const { event } of events) {
    if (event.type === 'SnapshotTaken' && event.stage === stage) {
      found = event;
    }
  }
  return found;
}
