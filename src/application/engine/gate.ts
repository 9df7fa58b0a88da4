import {
  addMillis,
  asWorkId,
  decideJourney,
  DomainError,
  evolveJourney,
  isWorkingStage,
  nextStage,
  type EvaluationTrigger,
  type ExitCriteriaEvaluation,
  type JourneyEvent,
  type JourneyState,
  type Stage,
  type StartedJourney,
  type WorkingStage,
} from '../../domain/index.js';
import { playbookFor } from '../playbook-catalog.js';
import type { WorkItem } from '../ports.js';
import { Changes, eventsOrThrow, retryOnConflict, type Cause } from './changes.js';
import type { EngineContext } from './context.js';
import { evaluateStage } from './exit-criteria-validator.js';
import { promotionControls, retryHeldPromotionAt } from './promotion-controls.js';
import { recheckItem } from './work-items.js';

/**
 * The promotion gate. Every evaluation is recorded (ExitCriteriaEvaluated), passed or not: the
 * pass rate and the audit trail need the failures too. Automatic runs (after setup, after an
 * approval, on a re-check) promote when every criterion passed and the stage auto-promotes,
 * and otherwise keep one re-check chain per stage visit. A manual promotion refuses with the
 * failing results.
 */

export interface GateResult {
  readonly journey: JourneyState;
  readonly evaluation: ExitCriteriaEvaluation | null;
  readonly promoted: boolean;
}

/** An automatic evaluation of the journey's current stage; `item` is finished with the commit. */
export async function evaluateAutomatically(
  ctx: EngineContext,
  journeyId: string,
  trigger: EvaluationTrigger,
  cause: Cause,
  item: WorkItem,
  visit?: { readonly enteredAt: string },
): Promise<GateResult> {
  return retryOnConflict(ctx, async () => {
    const loaded = await ctx.journeys.load(journeyId);
    const journey = loaded.state;
    const stage = gatedStage(journey);
    if (
      stage === undefined ||
      journey.status !== 'started' ||
      (visit !== undefined && visit.enteredAt !== journey.stageEnteredAt)
    ) {
      // The journey moved on, or its setup is not done: nothing to judge any more.
      await ctx.store.complete(item.id, item.leaseOwner);
      return { journey, evaluation: null, promoted: false };
    }
    const evaluation = await evaluateStage(ctx, journey, stage);
    const at = ctx.clock.now();
    const changes = new Changes(ctx, cause, at);
    const recorded = eventsOrThrow(
      decideJourney({ type: 'recordEvaluation', stage, evaluation, trigger, at }, journey),
    );
    const stagePlaybook = playbookFor(ctx.playbooks, journey.playbook).stages[stage];
    let events: readonly JourneyEvent[] = recorded;
    let promoted = false;
    // A promotion held back by a control (soak, freeze, stop, pause) is tried again later.
    let heldUntil: string | undefined;
    if (evaluation.allPassed && stagePlaybook.autoPromote) {
      const after = recorded.reduce(evolveJourney, journey);
      const controls = await promotionControls(ctx, journey, stage, at);
      const decision = decideJourney(
        { ...promoteCommand(ctx, stage, evaluation, 'system', at), controls },
        after,
      );
      if (decision instanceof DomainError) {
        heldUntil = retryHeldPromotionAt(decision, at, stagePlaybook.recheckInterval);
      } else {
        events = [...recorded, ...decision];
        promoted = true;
      }
    }
    const state = changes.journey(journeyId, loaded, events);
    const recheckDue = heldUntil ?? addMillis(at, stagePlaybook.recheckInterval);
    const keepChecking = !promoted && (!evaluation.allPassed || heldUntil !== undefined);
    if (trigger === 'recheck' && keepChecking) {
      // The chain's own item is re-dated rather than replaced: its key stays taken meanwhile.
      await changes.commit();
      await ctx.store.release(item.id, item.leaseOwner, recheckDue);
    } else {
      if (keepChecking) {
        changes.later(
          recheckItem(
            {
              journeyId,
              stage,
              enteredAt: journey.stageEnteredAt,
              correlationId: cause.correlationId,
            },
            recheckDue,
          ),
        );
      }
      await changes.commit(item);
    }
    return { journey: state, evaluation, promoted };
  });
}

/**
 * A person asks to promote (or, from production, to complete). Structural refusals (wrong
 * stage, a skip, setup not done) come first and cost no source reads; then the criteria are
 * evaluated, the evaluation recorded, and the promotion made or refused with the failing results.
 */
export async function promoteManually(
  ctx: EngineContext,
  journeyId: string,
  request: {
    readonly to?: Stage;
    readonly reason?: string;
    /** An admin promotes through any freeze in force; recorded on the promotion. */
    readonly overrideFreeze?: { readonly reason: string };
  },
  cause: Cause,
): Promise<GateResult> {
  return retryOnConflict(ctx, async () => {
    const loaded = await ctx.journeys.load(journeyId);
    const journey = loaded.state;
    const at = ctx.clock.now();
    const stage = journey.status === 'started' ? journey.stage : 'sandbox';
    const to = request.to ?? (isWorkingStage(stage) ? nextStage(stage) : stage);
    const override =
      request.overrideFreeze === undefined
        ? undefined
        : { reason: request.overrideFreeze.reason, overriddenBy: cause.causedBy };
    const controls =
      journey.status === 'started' && isWorkingStage(journey.stage)
        ? await promotionControls(ctx, journey, journey.stage, at, override)
        : undefined;
    const withControls = <C extends object>(command: C) =>
      controls === undefined ? command : { ...command, controls };
    const precheck = decideJourney(
      withControls(
        promoteCommand(
          ctx,
          stage as WorkingStage,
          PRECHECK,
          cause.causedBy,
          at,
          to,
          request.reason,
        ),
      ),
      journey,
    );
    if (precheck instanceof DomainError && precheck.code !== 'EXIT_CRITERIA_NOT_MET') {
      throw precheck;
    }
    const started = journey as StartedJourney;
    const working = started.stage as WorkingStage;
    const evaluation = await evaluateStage(ctx, started, working);
    const evaluatedAt = ctx.clock.now();
    const changes = new Changes(ctx, cause, evaluatedAt);
    const recorded = eventsOrThrow(
      decideJourney(
        {
          type: 'recordEvaluation',
          stage: working,
          evaluation,
          trigger: 'promotion',
          at: evaluatedAt,
        },
        started,
      ),
    );
    const decision = decideJourney(
      withControls(
        promoteCommand(ctx, working, evaluation, cause.causedBy, evaluatedAt, to, request.reason),
      ),
      recorded.reduce(evolveJourney, journey),
    );
    if (decision instanceof DomainError) {
      // The refusal is the answer, but the evaluation behind it is evidence: keep it.
      changes.journey(journeyId, loaded, recorded);
      await changes.commit();
      throw decision;
    }
    const state = changes.journey(journeyId, loaded, [...recorded, ...decision]);
    await changes.commit();
    return { journey: state, evaluation, promoted: true };
  });
}

/** An evaluation that passes, to ask the domain whether anything but the criteria refuses. */
const PRECHECK: ExitCriteriaEvaluation = { evaluatedAt: '', results: [], allPassed: true };

function promoteCommand(
  ctx: EngineContext,
  stage: WorkingStage,
  evaluation: ExitCriteriaEvaluation,
  actor: string,
  at: string,
  to: Stage = nextStage(stage),
  reason?: string,
) {
  return {
    type: 'promote',
    to,
    evaluation,
    setupWorkId: asWorkId(ctx.ids.next()),
    promotedBy: actor,
    ...(reason === undefined ? {} : { reason }),
    at,
  } as const;
}

/** The stage whose gate can be judged now: a working stage whose setup completed. */
function gatedStage(journey: JourneyState): WorkingStage | undefined {
  if (journey.status !== 'started' || !isWorkingStage(journey.stage)) {
    return undefined;
  }
  return journey.setups[journey.stage]?.status === 'completed' ? journey.stage : undefined;
}
