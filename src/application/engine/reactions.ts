import {
  asWorkId,
  decideJourney,
  decideUnitOfWork,
  DomainError,
  evolveUnitOfWork,
  type JourneyCommand,
  type JourneyState,
  type JsonValue,
  type StartedJourney,
  type UnitOfWork,
  type WorkingStage,
  type WorkPurpose,
} from '../../domain/index.js';
import { playbookFor } from '../playbook-catalog.js';
import type { WorkItem } from '../ports.js';
import { Changes, retryOnConflict, type Cause } from './changes.js';
import type { EngineContext } from './context.js';
import { evaluateAutomatically } from './gate.js';
import type { ReactionPayload } from './work-items.js';

/**
 * The reactions of DESIGN.md section 2, each run from a `reaction` item queued with the event
 * that calls for it. Each finishes its item in the commit that carries its effect, so a reaction
 * takes effect once; run again (a lost lease), it finds its effect already there and does
 * nothing: a unit that exists is not created twice, a recorded outcome is not recorded twice.
 */
export async function runReaction(
  ctx: EngineContext,
  item: WorkItem,
  payload: ReactionPayload,
): Promise<void> {
  const cause: Cause = {
    causedBy: 'system',
    correlationId: payload.correlationId,
    causationId: payload.eventId,
  };
  const journeyId = item.journeyId ?? '';
  const { event } = payload;
  switch (event.type) {
    case 'JourneyStarted':
      return createUnit(ctx, item, cause, journeyId, event.setupWorkId, event.stage, 'setup');
    case 'StagePromoted':
      return createUnit(ctx, item, cause, journeyId, event.setupWorkId, event.toStage, 'setup');
    case 'StageSetupCompleted':
      await evaluateAutomatically(ctx, journeyId, 'setup_completed', cause, item);
      return;
    case 'ApprovalGranted':
    case 'ApprovalRevoked':
      await evaluateAutomatically(ctx, journeyId, 'approval', cause, item);
      return;
    case 'InconclusiveResolved':
      await evaluateAutomatically(ctx, journeyId, 'inconclusive_resolved', cause, item);
      return;
    case 'StageSetupFailed':
      return rollBackAutomatically(ctx, item, cause, journeyId, event.stage, event.failedTaskIds);
    case 'RollbackInitiated':
      return takeSnapshot(ctx, item, cause, journeyId);
    case 'SnapshotTaken':
      return createRollbackUnit(ctx, item, cause, journeyId);
    case 'UnitOfWorkCompleted':
    case 'UnitOfWorkFailed':
      return reportUnitToJourney(ctx, item, cause, journeyId, event.workId);
    case 'JourneyResumed':
    case 'JourneyCancelled':
      // Parked work runs now: after a resume it goes on, after a cancellation it finds the
      // journey ended and finishes without effect.
      if ((await ctx.store.wakeParkedWork(journeyId, ctx.clock.now())) > 0) {
        ctx.workQueued();
      }
      await ctx.store.complete(item.id, item.leaseOwner);
      return;
    case 'UnitOfWorkCancelled':
      await Promise.all(
        event.runningTasks.map(async ({ agentId, agentTaskId }) => {
          if (agentId !== undefined && agentTaskId !== undefined) {
            await ctx.agents.cancel({ agentId, agentTaskId });
          }
        }),
      );
      await ctx.store.complete(item.id, item.leaseOwner);
      return;
    default:
      ctx.log.warn('no reaction for this event; dropping the item', { type: event.type });
      await ctx.store.complete(item.id, item.leaseOwner);
  }
}

/** Creates a stage's setup or rollback unit with the playbook's tasks and starts it. */
async function createUnit(
  ctx: EngineContext,
  item: WorkItem,
  cause: Cause,
  journeyId: string,
  workId: string,
  stage: WorkingStage,
  purpose: WorkPurpose,
): Promise<void> {
  await retryOnConflict(ctx, async () => {
    const [journey, unit] = await Promise.all([
      ctx.journeys.load(journeyId),
      ctx.units.load(workId),
    ]);
    const changes = new Changes(ctx, cause, ctx.clock.now());
    if (unit.state.status === 'none' && journey.state.status === 'started') {
      const plan = playbookFor(ctx.playbooks, journey.state.playbook).stages[stage][purpose];
      const created = decideUnitOfWork(
        {
          type: 'create',
          workId: asWorkId(workId),
          journeyId: journey.state.journeyId,
          clientId: journey.state.clientId,
          stage,
          purpose,
          tasks: plan.tasks,
          at: changes.at,
        },
        unit.state,
      );
      if (created instanceof DomainError) {
        // The playbook was validated at load, so this is a bug worth seeing, not retrying.
        ctx.log.warn('could not create the unit of work', { workId, error: created.message });
      } else {
        const pending = created.reduce(evolveUnitOfWork, unit.state);
        const started = decideUnitOfWork({ type: 'execute', at: changes.at }, pending);
        changes.unit(workId, journeyId, unit, [
          ...created,
          ...(started instanceof DomainError ? [] : started),
        ]);
      }
    }
    await changes.commit(item);
  });
}

/** A unit settled: its journey records it (setup done or failed; rollback done or failed). */
async function reportUnitToJourney(
  ctx: EngineContext,
  item: WorkItem,
  cause: Cause,
  journeyId: string,
  workId: string,
): Promise<void> {
  const unit = await ctx.units.load(workId);
  const state = unit.state;
  if (state.status !== 'completed' && state.status !== 'failed') {
    await ctx.store.complete(item.id, item.leaseOwner);
    return;
  }
  const at = ctx.clock.now();
  const command: JourneyCommand =
    state.purpose === 'setup'
      ? state.status === 'completed'
        ? { type: 'recordSetupCompleted', workId: state.workId, at }
        : {
            type: 'recordSetupFailed',
            workId: state.workId,
            failedTaskIds: state.failedTaskIds,
            at,
          }
      : state.status === 'completed'
        ? { type: 'completeRollback', workId: state.workId, at }
        : { type: 'failRollback', workId: state.workId, error: describeFailure(state), at };
  await decideOnJourney(ctx, item, cause, journeyId, () => command);
}

/** A pilot or production setup failed and its playbook asks to roll back: do so. */
async function rollBackAutomatically(
  ctx: EngineContext,
  item: WorkItem,
  cause: Cause,
  journeyId: string,
  stage: WorkingStage,
  failedTaskIds: readonly string[],
): Promise<void> {
  await decideOnJourney(ctx, item, cause, journeyId, (journey) => {
    const stagePlaybook = playbookFor(ctx.playbooks, journey.playbook).stages[stage];
    if (!stagePlaybook.rollbackOnFailure || stage === 'sandbox') {
      return undefined;
    }
    return {
      type: 'initiateRollback',
      reason: `the ${stage} setup failed (${failedTaskIds.join(', ')})`,
      initiatedBy: 'system',
      rollbackWorkId: asWorkId(ctx.ids.next()),
      at: ctx.clock.now(),
    };
  });
}

/** Captures the outputs of the stage being left, for the rollback's tasks to undo them. */
async function takeSnapshot(
  ctx: EngineContext,
  item: WorkItem,
  cause: Cause,
  journeyId: string,
): Promise<void> {
  const journey = await ctx.journeys.load(journeyId);
  const rollback = journey.state.status === 'started' ? journey.state.rollback : null;
  const setupWorkId =
    rollback === null || journey.state.status !== 'started'
      ? undefined
      : journey.state.setups[rollback.fromStage]?.workId;
  const outputs: Record<string, JsonValue> = {};
  if (setupWorkId !== undefined) {
    const setup = await ctx.units.load(setupWorkId);
    for (const task of setup.state.status === 'none' ? [] : setup.state.tasks) {
      if (task.execution.status === 'succeeded') {
        outputs[task.taskId] = task.execution.output;
      }
    }
  }
  await decideOnJourney(ctx, item, cause, journeyId, () => ({
    type: 'takeSnapshot',
    snapshotId: ctx.ids.next(),
    outputs,
    at: ctx.clock.now(),
  }));
}

async function createRollbackUnit(
  ctx: EngineContext,
  item: WorkItem,
  cause: Cause,
  journeyId: string,
): Promise<void> {
  const journey = await ctx.journeys.load(journeyId);
  const rollback = journey.state.status === 'started' ? journey.state.rollback : null;
  if (rollback === null) {
    await ctx.store.complete(item.id, item.leaseOwner);
    return;
  }
  await createUnit(ctx, item, cause, journeyId, rollback.workId, rollback.fromStage, 'rollback');
}

/**
 * Decides one command on the journey and commits it with the item. A refusal means the journey
 * has moved on (cancelled, rolled back, already recorded): the reaction has nothing left to do.
 */
async function decideOnJourney(
  ctx: EngineContext,
  item: WorkItem,
  cause: Cause,
  journeyId: string,
  command: (journey: StartedJourney) => JourneyCommand | undefined,
): Promise<JourneyState> {
  return retryOnConflict(ctx, async () => {
    const loaded = await ctx.journeys.load(journeyId);
    const changes = new Changes(ctx, cause, ctx.clock.now());
    let state = loaded.state;
    const wanted = state.status === 'started' ? command(state) : undefined;
    if (wanted !== undefined) {
      const decision = decideJourney(wanted, loaded.state);
      if (decision instanceof DomainError) {
        ctx.log.info('reaction refused: the journey has moved on', {
          journeyId,
          command: wanted.type,
          code: decision.code,
        });
      } else {
        state = changes.journey(journeyId, loaded, decision);
      }
    }
    await changes.commit(item);
    return state;
  });
}

function describeFailure(unit: UnitOfWork): string {
  const reasons = unit.tasks.flatMap((task) =>
    task.execution.status === 'failed' ? [`${task.taskId}: ${task.execution.error.message}`] : [],
  );
  return `rollback tasks failed: ${reasons.join('; ')}`;
}
