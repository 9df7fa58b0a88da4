import type {
  ApprovalDecision,
  CriterionResult,
  ExitCriteriaEvaluation,
  InconclusiveResolution,
} from '../exit-criteria/criterion.js';
import type { ClientId, JourneyId, TaskId, WorkId } from '../ids.js';
import type { Instant } from '../time.js';
import type { JourneyPause } from './controls.js';
import type { Actor, JourneyEvent, PlaybookRef } from './events.js';
import type { Stage, WorkingStage } from './stage.js';
import { waitsAfter, type CriterionWait } from './waits.js';

/** One entry of the stage history, as the specification's StageTransition, plus its kind. */
export interface StageTransition {
  readonly kind:
    'promotion' | 'completion' | 'rollback_started' | 'rollback_completed' | 'cancellation';
  readonly fromStage: Stage;
  readonly toStage: Stage;
  readonly transitionedAt: Instant;
  readonly reason: string;
  readonly by: Actor;
  readonly exitCriteriaResults: readonly CriterionResult[];
  readonly workId?: WorkId;
}

/** The setup unit of work of one stage visit, as far as the journey knows it. */
export interface StageSetup {
  readonly workId: WorkId;
  readonly status: 'running' | 'completed' | 'failed';
  readonly failedTaskIds: readonly TaskId[];
}

export interface RollbackInProgress {
  readonly fromStage: WorkingStage;
  readonly toStage: WorkingStage;
  readonly reason: string;
  readonly initiatedBy: Actor;
  readonly workId: WorkId;
  readonly snapshotId: string | null;
  readonly status: 'running' | 'failed';
  readonly error: string | null;
}

export interface StartedJourney {
  readonly status: 'started';
  readonly journeyId: JourneyId;
  readonly clientId: ClientId;
  readonly playbook: PlaybookRef;
  readonly startedAt: Instant;
  readonly stage: Stage;
  readonly stageEnteredAt: Instant;
  readonly stageHistory: readonly StageTransition[];
  /**
   * The latest setup unit per working stage. A stage returned to by a rollback keeps the setup
   * it completed before it was promoted: the rollback undid only the later stage.
   */
  readonly setups: Readonly<Partial<Record<WorkingStage, StageSetup>>>;
  readonly rollback: RollbackInProgress | null;
  /** Approval decisions of the current stage visit; a new visit starts with none. */
  readonly approvals: readonly ApprovalDecision[];
  /** The latest evaluation of the current stage visit. */
  readonly lastEvaluation: ExitCriteriaEvaluation | null;
  /**
   * People's decisions on inconclusive criteria in the current stage visit (InconclusiveResolved);
   * a new visit starts with none, and a definite result drops its criterion's. Absent in states
   * stored before decisions existed.
   */
  readonly resolutions?: readonly InconclusiveResolution[];
  /**
   * Criteria of the current stage visit waiting for approvals or on an inconclusive reading,
   * with since when (waits.ts); a new visit starts with none. Absent in states stored before.
   */
  readonly waits?: readonly CriterionWait[];
  /** When the current stage visit was flagged overdue (StageTransitionOverdue), else null. */
  readonly overdueSince?: Instant | null;
  /** Set while a person has the journey paused (JourneyPaused); absent or null otherwise. */
  readonly pause?: JourneyPause | null;
  readonly endedAt: Instant | null;
}

export type JourneyState = { readonly status: 'none' } | StartedJourney;

export const initialJourneyState: JourneyState = Object.freeze({ status: 'none' });

/** Folds one event into the state. Pure, total, and never refuses: events are facts. */
export function evolveJourney(state: JourneyState, event: JourneyEvent): JourneyState {
  if (event.type === 'JourneyStarted') {
    return {
      status: 'started',
      journeyId: event.journeyId,
      clientId: event.clientId,
      playbook: event.playbook,
      startedAt: event.at,
      stage: event.stage,
      stageEnteredAt: event.at,
      stageHistory: [],
      setups: { sandbox: { workId: event.setupWorkId, status: 'running', failedTaskIds: [] } },
      rollback: null,
      approvals: [],
      lastEvaluation: null,
      endedAt: null,
    };
  }
  if (state.status === 'none') {
    return state;
  }
  return evolveStarted(state, event);
}

function evolveStarted(state: StartedJourney, event: JourneyEvent): StartedJourney {
  switch (event.type) {
    case 'JourneyStarted':
      return state;
    case 'StageSetupCompleted':
      return withSetup(state, event.stage, {
        workId: event.workId,
        status: 'completed',
        failedTaskIds: [],
      });
    case 'StageSetupFailed':
      return withSetup(state, event.stage, {
        workId: event.workId,
        status: 'failed',
        failedTaskIds: event.failedTaskIds,
      });
    case 'StageSetupRetried':
      return withSetup(state, event.stage, {
        workId: event.workId,
        status: 'running',
        failedTaskIds: [],
      });
    case 'ExitCriteriaEvaluated':
      return {
        ...state,
        lastEvaluation: event.evaluation,
        ...keptResolutions(state, event.evaluation),
        ...keptWaits(state, event.evaluation, event.at),
      };
    case 'ApprovalReminderDue':
      return withWait(state, event.criterionId, 'approval', event.pendingSince, {
        reminders: event.reminder,
        lastReminderAt: event.at,
      });
    case 'InconclusiveEscalated':
      return withWait(state, event.criterionId, 'inconclusive', event.inconclusiveSince, {
        escalatedAt: event.at,
      });
    case 'InconclusiveResolved':
      return {
        ...state,
        resolutions: [
          ...(state.resolutions ?? []).filter((r) => r.criterionId !== event.criterionId),
          {
            criterionId: event.criterionId,
            decision: event.decision,
            reason: event.reason,
            decidedBy: event.decidedBy,
            at: event.at,
          },
        ],
      };
    case 'ApprovalGranted':
    case 'ApprovalRejected':
      return {
        ...state,
        approvals: [
          ...state.approvals,
          {
            criterionId: event.criterionId,
            approverId: event.approverId,
            role: event.role,
            decision: event.type === 'ApprovalGranted' ? 'approved' : 'rejected',
            at: event.at,
            ...(event.comment === undefined ? {} : { comment: event.comment }),
          },
        ],
      };
    case 'ApprovalRevoked':
      return {
        ...state,
        approvals: state.approvals.filter(
          (a) => !(a.criterionId === event.criterionId && a.approverId === event.approverId),
        ),
      };
    case 'StagePromoted':
      return {
        ...enterStage(state, event.toStage, event.at, {
          kind: 'promotion',
          fromStage: event.fromStage,
          toStage: event.toStage,
          transitionedAt: event.at,
          reason: event.reason,
          by: event.promotedBy,
          exitCriteriaResults: event.exitCriteriaResults,
        }),
        setups: {
          ...state.setups,
          [event.toStage]: { workId: event.setupWorkId, status: 'running', failedTaskIds: [] },
        },
      };
    case 'JourneyCompleted':
      return {
        ...enterStage(state, 'completed', event.at, {
          kind: 'completion',
          fromStage: event.fromStage,
          toStage: 'completed',
          transitionedAt: event.at,
          reason: 'production success criteria met',
          by: event.completedBy,
          exitCriteriaResults: event.exitCriteriaResults,
        }),
        endedAt: event.at,
      };
    case 'RollbackInitiated':
      return {
        ...enterStage(state, 'rollback', event.at, {
          kind: 'rollback_started',
          fromStage: event.fromStage,
          toStage: 'rollback',
          transitionedAt: event.at,
          reason: event.reason,
          by: event.initiatedBy,
          exitCriteriaResults: [],
          workId: event.rollbackWorkId,
        }),
        rollback: {
          fromStage: event.fromStage,
          toStage: event.toStage,
          reason: event.reason,
          initiatedBy: event.initiatedBy,
          workId: event.rollbackWorkId,
          snapshotId: null,
          status: 'running',
          error: null,
        },
      };
    case 'SnapshotTaken':
      return state.rollback
        ? { ...state, rollback: { ...state.rollback, snapshotId: event.snapshotId } }
        : state;
    case 'RollbackFailed':
      return state.rollback
        ? { ...state, rollback: { ...state.rollback, status: 'failed', error: event.error } }
        : state;
    case 'RollbackRetried':
      return state.rollback
        ? { ...state, rollback: { ...state.rollback, status: 'running', error: null } }
        : state;
    case 'RollbackCompleted':
      return {
        ...enterStage(state, event.toStage, event.at, {
          kind: 'rollback_completed',
          fromStage: 'rollback',
          toStage: event.toStage,
          transitionedAt: event.at,
          reason: state.rollback?.reason ?? 'rollback completed',
          by: state.rollback?.initiatedBy ?? 'system',
          exitCriteriaResults: [],
          workId: event.workId,
        }),
        rollback: null,
      };
    case 'StageTransitionOverdue':
      return event.enteredAt === state.stageEnteredAt
        ? { ...state, overdueSince: event.at }
        : state;
    case 'JourneyPaused':
      return { ...state, pause: { pausedBy: event.pausedBy, reason: event.reason, at: event.at } };
    case 'JourneyResumed':
      return { ...state, pause: null };
    case 'JourneyCancelled':
      return {
        ...enterStage(state, 'cancelled', event.at, {
          kind: 'cancellation',
          fromStage: event.fromStage,
          toStage: 'cancelled',
          transitionedAt: event.at,
          reason: event.reason,
          by: event.cancelledBy,
          exitCriteriaResults: [],
        }),
        endedAt: event.at,
        // An ended journey has nothing left to hold back.
        ...(state.pause == null ? {} : { pause: null }),
      };
  }
}

/** A new stage visit: its own approvals and evaluations start empty. */
function enterStage(
  state: StartedJourney,
  stage: Stage,
  at: Instant,
  transition: StageTransition,
): StartedJourney {
  return {
    ...state,
    stage,
    stageEnteredAt: at,
    stageHistory: [...state.stageHistory, transition],
    approvals: [],
    lastEvaluation: null,
    overdueSince: null,
    ...(state.resolutions === undefined ? {} : { resolutions: [] }),
    ...(state.waits === undefined ? {} : { waits: [] }),
  };
}

/** Only written once a wait exists, so states stored before waits fold to what they were. */
function keptWaits(
  state: StartedJourney,
  evaluation: ExitCriteriaEvaluation,
  at: Instant,
): Partial<StartedJourney> {
  const waits = waitsAfter(state.waits ?? [], evaluation, at);
  return waits.length === 0 && state.waits === undefined ? {} : { waits };
}

/** Updates the wait an event is about; an event of an ended wait changes nothing. */
function withWait(
  state: StartedJourney,
  criterionId: string,
  kind: CriterionWait['kind'],
  since: Instant,
  changes: Partial<CriterionWait>,
): StartedJourney {
  const waits = state.waits ?? [];
  const matches = (w: CriterionWait) =>
    w.criterionId === criterionId && w.kind === kind && w.since === since;
  return waits.some(matches)
    ? { ...state, waits: waits.map((w) => (matches(w) ? { ...w, ...changes } : w)) }
    : state;
}

/**
 * A decision lasts while its criterion stays inconclusive: an evaluation that applied it keeps
 * it, one with a definite result (or without the criterion) drops it.
 */
function keptResolutions(
  state: StartedJourney,
  evaluation: ExitCriteriaEvaluation,
): Partial<StartedJourney> {
  if (state.resolutions === undefined || state.resolutions.length === 0) {
    return {};
  }
  const applied = new Set(
    evaluation.results.filter((r) => r.resolution !== undefined).map((r) => r.criterionId),
  );
  return { resolutions: state.resolutions.filter((r) => applied.has(r.criterionId)) };
}

function withSetup(state: StartedJourney, stage: WorkingStage, setup: StageSetup): StartedJourney {
  return { ...state, setups: { ...state.setups, [stage]: setup } };
}
