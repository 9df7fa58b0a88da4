import {
  asClientId,
  asCriterionId,
  asJourneyId,
  asWorkId,
  decideJourney,
  decideUnitOfWork,
  domainError,
  DomainError,
  isSlug,
  isWorkingStage,
  SLUG_RULE,
  type ExitCriteriaEvaluation,
  type JourneyCommand,
  type JourneyState,
  type Stage,
  type StartedJourney,
  type UnitOfWorkState,
  type WorkingStage,
} from '../../domain/index.js';
import { ActiveJourneyExistsError } from '../errors.js';
import { playbookFor } from '../playbook-catalog.js';
import type { JourneyRecord } from '../ports.js';
import type { Loaded } from '../repositories.js';
import { Changes, eventsOrThrow, retryOnConflict, type Cause } from './changes.js';
import type { EngineContext } from './context.js';
import { evaluateStage } from './exit-criteria-validator.js';
import { FleetControls } from './fleet-controls.js';
import { promoteManually, type GateResult } from './gate.js';

/** Who asks: recorded with every event the request causes. */
export interface Requester {
  readonly actor: string;
  /** Ties the events of one request together; a new one when absent. */
  readonly correlationId?: string;
  /**
   * The caller's role as the API's token says it, for the use cases that need one (a freeze
   * override needs `admin`). Absent (the engine, a client's sign-off link): no such privilege.
   */
  readonly role?: RequesterRole;
}

/** The API's roles, each allowed everything the previous one is. */
export type RequesterRole = 'viewer' | 'operator' | 'admin';

/**
 * The specification's JourneyOrchestrator: the use cases people and services call. Each loads
 * what it needs, lets the domain decide, and commits the events with the work they cause; the
 * rest happens in reactions. A refusal is thrown as the domain's DomainError (stable code); a
 * lost race is decided again on the new state, so of two conflicting commands exactly one wins.
 */
export class JourneyOrchestrator {
  /** Stop the line and fleet-wide freezes (docs/controls.md). */
  readonly controls: FleetControls;

  constructor(private readonly ctx: EngineContext) {
    this.controls = new FleetControls(ctx);
  }

  async startJourney(
    request: { readonly clientId: string; readonly playbook?: string },
    by: Requester,
  ): Promise<StartedJourney> {
    if (!isSlug(request.clientId)) {
      throw domainError('JOURNEY_NOT_STARTED', `clientId "${request.clientId}" ${SLUG_RULE}.`);
    }
    const playbook = playbookFor(this.ctx.playbooks, {
      name: request.playbook ?? this.ctx.playbooks.defaultName,
    });
    const journeyId = this.ctx.ids.next();
    const cause = this.cause(by);
    try {
      return await retryOnConflict(this.ctx, async () => {
        const existing = await this.ctx.store.findJourneyByClientId(request.clientId);
        const loaded = await this.ctx.journeys.load(journeyId);
        const changes = new Changes(this.ctx, cause, this.ctx.clock.now());
        const events = eventsOrThrow(
          decideJourney(
            {
              type: 'start',
              journeyId: asJourneyId(journeyId),
              clientId: asClientId(request.clientId),
              playbook: { name: playbook.name, version: playbook.version },
              setupWorkId: asWorkId(this.ctx.ids.next()),
              startedBy: by.actor,
              ...(existing?.active === true
                ? { activeJourneyId: asJourneyId(existing.journeyId) }
                : {}),
              at: changes.at,
            },
            loaded.state,
          ),
        );
        const state = changes.journey(journeyId, loaded, events);
        await changes.commit();
        return state as StartedJourney;
      });
    } catch (error) {
      // Two starts for one client raced past the check: the database let exactly one in.
      if (error instanceof ActiveJourneyExistsError) {
        throw domainError(
          'JOURNEY_ACTIVE',
          `Client ${request.clientId} already has an active journey; a client has one active journey at a time.`,
          { clientId: request.clientId },
        );
      }
      throw error;
    }
  }

  /** Evaluates the current stage's exit criteria now; records nothing, changes nothing. */
  async validateExitCriteria(
    clientId: string,
  ): Promise<{ stage: WorkingStage; evaluation: ExitCriteriaEvaluation }> {
    const journey = await this.requireJourney(clientId);
    if (!isWorkingStage(journey.state.stage)) {
      throw domainError(
        journey.state.stage === 'rollback' ? 'ROLLBACK_IN_PROGRESS' : 'JOURNEY_TERMINAL',
        `Journey ${journey.journeyId} is ${journey.state.stage}: it has no exit criteria to evaluate now.`,
        { journeyId: journey.journeyId, stage: journey.state.stage },
      );
    }
    const stage = journey.state.stage;
    return { stage, evaluation: await evaluateStage(this.ctx, journey.state, stage) };
  }

  /** Manual promotion (or completion, from production): validates first, refuses with the failing results. */
  async executeStageTransition(
    clientId: string,
    request: {
      readonly to?: Stage;
      readonly reason?: string;
      /** Promote through the freezes in force: an admin's decision (`by.role`). */
      readonly overrideFreeze?: { readonly reason: string };
    },
    by: Requester,
  ): Promise<GateResult> {
    if (request.overrideFreeze !== undefined && by.role !== 'admin') {
      throw domainError(
        'FREEZE_OVERRIDE_NOT_ALLOWED',
        `Only an admin may override a freeze; "${by.actor}" is ${by.role ?? 'not an admin'}.`,
        { actor: by.actor, role: by.role ?? null },
      );
    }
    const journey = await this.requireJourney(clientId);
    return promoteManually(this.ctx, journey.journeyId, request, this.cause(by));
  }

  /** Rolls back to the previous stage; an unfinished setup of the stage being left is cancelled. */
  async initiateRollback(
    clientId: string,
    request: { readonly reason: string; readonly to?: Stage },
    by: Requester,
  ): Promise<JourneyState> {
    return this.onJourney(
      clientId,
      by,
      (journey, at) => ({
        type: 'initiateRollback',
        reason: request.reason,
        initiatedBy: by.actor,
        ...(request.to === undefined ? {} : { to: request.to }),
        rollbackWorkId: asWorkId(this.ctx.ids.next()),
        at,
      }),
      { cancelRunningWork: `rollback: ${request.reason}` },
    );
  }

  /**
   * Pauses the journey: no reaction, re-check, promotion or new task attempt runs for it until
   * it is resumed; attempts already running are awaited and recorded (docs/controls.md).
   */
  async pauseJourney(
    clientId: string,
    request: { readonly reason: string },
    by: Requester,
  ): Promise<JourneyState> {
    return this.onJourney(clientId, by, (_journey, at) => ({
      type: 'pause',
      reason: request.reason,
      pausedBy: by.actor,
      at,
    }));
  }

  /** Lifts the pause; the work that waited runs now (the JourneyResumed reaction). */
  async resumeJourney(
    clientId: string,
    request: { readonly reason?: string },
    by: Requester,
  ): Promise<JourneyState> {
    return this.onJourney(clientId, by, (_journey, at) => ({
      type: 'resume',
      ...(request.reason === undefined ? {} : { reason: request.reason }),
      resumedBy: by.actor,
      at,
    }));
  }

  /** Ends the journey; its running unit of work is cancelled in the same commit. */
  async cancelJourney(
    clientId: string,
    request: { readonly reason: string },
    by: Requester,
  ): Promise<JourneyState> {
    return this.onJourney(
      clientId,
      by,
      (_journey, at) => ({ type: 'cancel', reason: request.reason, cancelledBy: by.actor, at }),
      { cancelRunningWork: `journey cancelled: ${request.reason}` },
    );
  }

  /** Records an approval (or rejection) of an approval criterion of the current stage. */
  async approve(
    clientId: string,
    request: {
      readonly criterionId: string;
      readonly decision?: 'approved' | 'rejected';
      readonly role: string;
      readonly comment?: string;
      readonly expectedStage?: WorkingStage;
    },
    by: Requester,
  ): Promise<JourneyState> {
    return this.onJourney(clientId, by, (journey, at) => {
      const stage = journey.stage;
      const criterion = isWorkingStage(stage)
        ? playbookFor(this.ctx.playbooks, journey.playbook).stages[stage].exitCriteria.find(
            (c) => c.id === request.criterionId,
          )
        : undefined;
      return {
        type: 'decideApproval',
        criterionId: asCriterionId(request.criterionId),
        criterion,
        ...(request.expectedStage === undefined ? {} : { expectedStage: request.expectedStage }),
        approverId: by.actor,
        role: request.role,
        decision: request.decision ?? 'approved',
        ...(request.comment === undefined ? {} : { comment: request.comment }),
        at,
      };
    });
  }

  /**
   * The caller withdraws their own decision (approval or rejection) on an approval criterion of
   * the current stage; a withdrawn rejection no longer blocks, and the gate is judged again.
   */
  async revokeApproval(
    clientId: string,
    request: { readonly criterionId: string; readonly reason?: string },
    by: Requester,
  ): Promise<JourneyState> {
    return this.onJourney(clientId, by, (_journey, at) => ({
      type: 'revokeApproval',
      criterionId: asCriterionId(request.criterionId),
      approverId: by.actor,
      revokedBy: by.actor,
      ...(request.reason === undefined ? {} : { reason: request.reason }),
      at,
    }));
  }

  /**
   * A person accepts (counts as passed) or rejects (counts as failed) a criterion of the current
   * stage that is inconclusive now; the gate is judged again with the decision (the
   * InconclusiveResolved reaction), so an accepted criterion promotes an auto-promoting stage.
   */
  async resolveInconclusive(
    clientId: string,
    request: {
      readonly criterionId: string;
      readonly decision: 'accept' | 'reject';
      readonly reason: string;
    },
    by: Requester,
  ): Promise<JourneyState> {
    return this.onJourney(clientId, by, (journey, at) => ({
      type: 'resolveInconclusive',
      criterionId: asCriterionId(request.criterionId),
      criterion: isWorkingStage(journey.stage)
        ? playbookFor(this.ctx.playbooks, journey.playbook).stages[journey.stage].exitCriteria.find(
            (c) => c.id === request.criterionId,
          )
        : undefined,
      decision: request.decision,
      reason: request.reason,
      decidedBy: by.actor,
      at,
    }));
  }

  /**
   * Gives a failed unit's failed tasks a new round of attempts. The journey records it in the
   * same commit (StageSetupRetried for a setup, RollbackRetried for a rollback).
   */
  async retryFailedTasks(workId: string, by: Requester): Promise<UnitOfWorkState> {
    const cause = this.cause(by);
    return retryOnConflict(this.ctx, async () => {
      const { unit, journey, journeyId, purpose } = await this.loadUnitWithJourney(workId);
      const changes = new Changes(this.ctx, cause, this.ctx.clock.now());
      const unitEvents = eventsOrThrow(
        decideUnitOfWork({ type: 'retryFailedTasks', at: changes.at }, unit.state),
      );
      const journeyCommand: JourneyCommand =
        purpose === 'setup'
          ? {
              type: 'recordSetupRetried',
              workId: asWorkId(workId),
              retriedBy: by.actor,
              at: changes.at,
            }
          : { type: 'retryRollback', retriedBy: by.actor, at: changes.at };
      const journeyEvents = eventsOrThrow(decideJourney(journeyCommand, journey.state));
      const after = changes.unit(workId, journeyId, unit, unitEvents);
      changes.journey(journeyId, journey, journeyEvents);
      await changes.commit();
      return after;
    });
  }

  /**
   * Cancels a unit of work (its running attempts are cancelled at their agents by the
   * UnitOfWorkCancelled reaction). When its journey is waiting for it, the journey records the
   * outcome in the same commit, as a failure: a setup as StageSetupFailed (so a pilot or
   * production stage whose playbook says `rollbackOnFailure` rolls back, and any stage shows
   * `blocked`), a rollback as RollbackFailed. A cancelled unit cannot be retried: the way on is
   * a rollback or cancelling the journey.
   */
  async cancelUnitOfWork(
    workId: string,
    request: { readonly reason: string },
    by: Requester,
  ): Promise<UnitOfWorkState> {
    const cause = this.cause(by);
    return retryOnConflict(this.ctx, async () => {
      const { unit, journey, journeyId, purpose } = await this.loadUnitWithJourney(workId);
      const changes = new Changes(this.ctx, cause, this.ctx.clock.now());
      const reason = `cancelled by ${by.actor}: ${request.reason}`;
      const unitEvents = eventsOrThrow(
        decideUnitOfWork({ type: 'cancel', reason: request.reason, at: changes.at }, unit.state),
      );
      const after = changes.unit(workId, journeyId, unit, unitEvents);
      const cancelledTaskIds = unitEvents.flatMap((event) =>
        event.type === 'UnitOfWorkCancelled' ? event.cancelledTaskIds : [],
      );
      const journeyCommand: JourneyCommand =
        purpose === 'setup'
          ? {
              type: 'recordSetupFailed',
              workId: asWorkId(workId),
              failedTaskIds: cancelledTaskIds,
              at: changes.at,
            }
          : { type: 'failRollback', workId: asWorkId(workId), error: reason, at: changes.at };
      // A refusal means the journey is not waiting for this unit (it moved on): the unit alone ends.
      const decision = decideJourney(journeyCommand, journey.state);
      if (!(decision instanceof DomainError)) {
        changes.journey(journeyId, journey, decision);
      }
      await changes.commit();
      return after;
    });
  }

  /** A unit of work and the journey it belongs to; refused when the unit does not exist. */
  private async loadUnitWithJourney(workId: string) {
    const unit = await this.ctx.units.load(workId);
    if (unit.state.status === 'none') {
      throw domainError('UNIT_NOT_FOUND', `There is no unit of work ${workId}.`, { workId });
    }
    const { journeyId, purpose } = unit.state;
    return { unit, journey: await this.ctx.journeys.load(journeyId), journeyId, purpose };
  }

  /** The client's active journey, else its latest; refused when the client has none. */
  async requireJourney(clientId: string): Promise<JourneyRecord> {
    const record = await this.ctx.store.findJourneyByClientId(clientId);
    if (record === null) {
      throw domainError('JOURNEY_NOT_STARTED', `Client ${clientId} has no journey.`, { clientId });
    }
    return record;
  }

  private async onJourney(
    clientId: string,
    by: Requester,
    command: (journey: StartedJourney, at: string) => JourneyCommand,
    options: { readonly cancelRunningWork?: string } = {},
  ): Promise<JourneyState> {
    const { journeyId } = await this.requireJourney(clientId);
    const cause = this.cause(by);
    return retryOnConflict(this.ctx, async () => {
      const loaded = await this.ctx.journeys.load(journeyId);
      if (loaded.state.status !== 'started') {
        throw domainError('JOURNEY_NOT_STARTED', `Journey ${journeyId} has not started.`);
      }
      const changes = new Changes(this.ctx, cause, this.ctx.clock.now());
      const events = eventsOrThrow(decideJourney(command(loaded.state, changes.at), loaded.state));
      const state = changes.journey(journeyId, loaded, events);
      if (options.cancelRunningWork !== undefined && events.length > 0) {
        await this.cancelRunningWork(changes, loaded, options.cancelRunningWork);
      }
      await changes.commit();
      return state;
    });
  }

  /** Cancels the unit the journey was running before this change (a setup or a rollback). */
  private async cancelRunningWork(
    changes: Changes,
    before: Loaded<JourneyState>,
    reason: string,
  ): Promise<void> {
    const journey = before.state;
    if (journey.status !== 'started') {
      return;
    }
    const workId =
      journey.stage === 'rollback'
        ? journey.rollback?.workId
        : isWorkingStage(journey.stage)
          ? journey.setups[journey.stage]?.workId
          : undefined;
    if (workId === undefined) {
      return;
    }
    const unit = await this.ctx.units.load(workId);
    const decision = decideUnitOfWork({ type: 'cancel', reason, at: changes.at }, unit.state);
    if (!(decision instanceof DomainError)) {
      changes.unit(workId, journey.journeyId, unit, decision);
    }
  }

  private cause(by: Requester): Cause {
    return {
      causedBy: by.actor,
      correlationId: by.correlationId ?? this.ctx.ids.next(),
      causationId: null,
    };
  }
}
