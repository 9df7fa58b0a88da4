import {
  isWorkingStage,
  journeyStatus,
  type ApprovalDecision,
  type CriterionResult,
  type Instant,
  type JourneyPause,
  type JourneyStatus,
  type JourneyStatusKind,
  type PlaybookRef,
  type RollbackInProgress,
  type Stage,
  type StageTransition,
  type StartedJourney,
  type WorkingStage,
} from '../../domain/index.js';
import type { JourneyRecord, ReadModels, StoredEvent } from '../ports.js';
import { unitOfWorkView, type UnitOfWorkView } from './unit-view.js';

/**
 * A journey as the API and the CLI show it, built from its read-model row (which holds the
 * folded state), so listing many journeys reads no events.
 */

export interface StageTransitionView {
  readonly kind: StageTransition['kind'];
  readonly fromStage: Stage;
  readonly toStage: Stage;
  readonly transitionedAt: Instant;
  readonly reason: string;
  /** Who made it: a token's name, or `system`. */
  readonly by: string;
  readonly exitCriteriaResults: readonly CriterionResult[];
  /** The rollback unit of a rollback transition; null otherwise. */
  readonly workId: string | null;
}

/** The latest exit-criteria evaluation of the current stage visit. */
export interface ExitCriteriaView {
  readonly stage: WorkingStage;
  readonly evaluatedAt: Instant;
  readonly allPassed: boolean;
  readonly results: readonly CriterionResult[];
}

/** What a list shows of each journey: everything but the current unit's tasks. */
export interface JourneySummary {
  readonly journeyId: string;
  readonly clientId: string;
  readonly playbook: PlaybookRef;
  readonly currentStage: Stage;
  readonly status: JourneyStatusKind;
  /** The status with what it depends on (blocked reasons and a summary line, the running unit). */
  readonly statusDetail: JourneyStatus;
  readonly active: boolean;
  readonly startedAt: Instant;
  readonly stageEnteredAt: Instant;
  readonly endedAt: Instant | null;
  readonly updatedAt: Instant;
  /** When the current stage visit was flagged overdue (StageTransitionOverdue). */
  readonly overdueSince: Instant | null;
  /** Who paused the journey, when and why, while it is paused (docs/controls.md); else null. */
  readonly paused: JourneyPause | null;
  readonly stageHistory: readonly StageTransitionView[];
  readonly exitCriteria: ExitCriteriaView | null;
  /** Approval decisions of the current stage visit. */
  readonly approvals: readonly ApprovalDecision[];
  readonly rollback: RollbackInProgress | null;
  /** The unit of work of the current stage (see `currentWorkId`). */
  readonly currentWorkId: string | null;
  /** The journey stream's version: how many events it holds. */
  readonly version: number;
}

export interface JourneyView extends JourneySummary {
  readonly currentUnitOfWork: UnitOfWorkView | null;
}

export function journeySummary(record: JourneyRecord): JourneySummary {
  const { state } = record;
  const evaluation = state.lastEvaluation;
  return {
    journeyId: record.journeyId,
    clientId: record.clientId,
    playbook: record.playbook,
    currentStage: state.stage,
    status: record.status,
    statusDetail: journeyStatus(state),
    active: record.active,
    startedAt: record.startedAt,
    stageEnteredAt: state.stageEnteredAt,
    endedAt: record.endedAt,
    updatedAt: record.updatedAt,
    overdueSince: state.overdueSince ?? null,
    paused: state.pause ?? null,
    stageHistory: state.stageHistory.map((transition) => ({
      kind: transition.kind,
      fromStage: transition.fromStage,
      toStage: transition.toStage,
      transitionedAt: transition.transitionedAt,
      reason: transition.reason,
      by: transition.by,
      exitCriteriaResults: transition.exitCriteriaResults,
      workId: transition.workId ?? null,
    })),
    exitCriteria:
      evaluation !== null && isWorkingStage(state.stage)
        ? {
            stage: state.stage,
            evaluatedAt: evaluation.evaluatedAt,
            allPassed: evaluation.allPassed,
            results: evaluation.results,
          }
        : null,
    approvals: state.approvals,
    rollback: state.rollback,
    currentWorkId: currentWorkId(state),
    version: record.version,
  };
}

/**
 * The unit of work of the stage the journey is in: a working stage's setup, the rollback's
 * unit while rolling back; for a cancelled journey, the unit of the stage it was cancelled in
 * (what the cancellation stopped); none for a completed one.
 */
export function currentWorkId(state: StartedJourney): string | null {
  const stage = stageOfCurrentWork(state);
  if (stage === 'rollback') {
    return state.rollback?.workId ?? null;
  }
  return stage === undefined ? null : (state.setups[stage]?.workId ?? null);
}

function stageOfCurrentWork(state: StartedJourney): WorkingStage | 'rollback' | undefined {
  const stage = state.stage === 'cancelled' ? state.stageHistory.at(-1)?.fromStage : state.stage;
  if (stage === undefined) {
    return undefined;
  }
  return stage === 'rollback' || isWorkingStage(stage) ? stage : undefined;
}

/** What a journey view reads besides the journey's row. */
export type JourneyViewReader = Pick<ReadModels, 'findUnitOfWork'> & {
  readStream(streamId: string): Promise<StoredEvent[]>;
};

/** The full view: the summary plus the current unit of work with its tasks and attempts. */
export async function journeyView(
  reader: JourneyViewReader,
  record: JourneyRecord,
): Promise<JourneyView> {
  const summary = journeySummary(record);
  const workId = summary.currentWorkId;
  const [unit, events] =
    workId === null
      ? [null, []]
      : await Promise.all([reader.findUnitOfWork(workId), reader.readStream(workId)]);
  return { ...summary, currentUnitOfWork: unit === null ? null : unitOfWorkView(unit, events) };
}
