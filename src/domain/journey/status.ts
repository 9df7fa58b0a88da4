import type { CriterionId, TaskId, WorkId } from '../ids.js';
import type { Instant } from '../time.js';
import { isWorkingStage, nextStage, type WorkingStage } from './stage.js';
import type { JourneyState } from './state.js';

/** Why a journey cannot move on by itself; each says what a person could do about it. */
export type BlockedReason =
  | {
      readonly kind: 'setup_failed';
      readonly workId: WorkId;
      readonly failedTaskIds: readonly TaskId[];
    }
  | { readonly kind: 'rollback_failed'; readonly workId: WorkId; readonly error: string }
  | {
      readonly kind: 'criterion';
      readonly criterionId: CriterionId;
      readonly outcome: 'failed' | 'inconclusive';
      readonly reason: string;
    };

/** The journey's status as people read it, derived from its state alone. */
export type JourneyStatus =
  | { readonly kind: 'not_started' }
  | { readonly kind: 'setting_up'; readonly stage: WorkingStage; readonly workId: WorkId }
  | { readonly kind: 'validating'; readonly stage: WorkingStage }
  | {
      readonly kind: 'ready_to_promote';
      readonly stage: WorkingStage;
      readonly to: WorkingStage | 'completed';
    }
  | {
      readonly kind: 'blocked';
      readonly stage: WorkingStage | 'rollback';
      readonly reasons: readonly BlockedReason[];
      /** One line for tables and notifications. */
      readonly summary: string;
    }
  | {
      readonly kind: 'rolling_back';
      readonly from: WorkingStage;
      readonly to: WorkingStage;
      readonly workId: WorkId;
    }
  | { readonly kind: 'completed'; readonly at: Instant }
  | { readonly kind: 'cancelled'; readonly at: Instant };

export type JourneyStatusKind = JourneyStatus['kind'];

export const JOURNEY_STATUS_KINDS = [
  'not_started',
  'setting_up',
  'validating',
  'ready_to_promote',
  'blocked',
  'rolling_back',
  'completed',
  'cancelled',
] as const satisfies readonly JourneyStatusKind[];

export function journeyStatus(state: JourneyState): JourneyStatus {
  if (state.status === 'none') {
    return { kind: 'not_started' };
  }
  const { stage } = state;
  if (stage === 'completed' || stage === 'cancelled') {
    return { kind: stage, at: state.endedAt ?? state.stageEnteredAt };
  }
  if (!isWorkingStage(stage)) {
    const rollback = state.rollback;
    if (rollback === null) {
      return blocked('rollback', []);
    }
    return rollback.status === 'failed'
      ? blocked('rollback', [
          { kind: 'rollback_failed', workId: rollback.workId, error: rollback.error ?? 'unknown' },
        ])
      : {
          kind: 'rolling_back',
          from: rollback.fromStage,
          to: rollback.toStage,
          workId: rollback.workId,
        };
  }
  const setup = state.setups[stage];
  if (setup === undefined || setup.status === 'running') {
    return setup === undefined
      ? { kind: 'validating', stage }
      : { kind: 'setting_up', stage, workId: setup.workId };
  }
  if (setup.status === 'failed') {
    return blocked(stage, [
      { kind: 'setup_failed', workId: setup.workId, failedTaskIds: setup.failedTaskIds },
    ]);
  }
  const evaluation = state.lastEvaluation;
  if (evaluation === null) {
    return { kind: 'validating', stage };
  }
  if (evaluation.allPassed) {
    return { kind: 'ready_to_promote', stage, to: nextStage(stage) };
  }
  return blocked(
    stage,
    evaluation.results.flatMap((r): BlockedReason[] =>
      r.outcome === 'passed'
        ? []
        : [{ kind: 'criterion', criterionId: r.criterionId, outcome: r.outcome, reason: r.reason }],
    ),
  );
}

function blocked(
  stage: WorkingStage | 'rollback',
  reasons: readonly BlockedReason[],
): JourneyStatus {
  return { kind: 'blocked', stage, reasons, summary: reasons.map(describeReason).join('; ') };
}

export function describeReason(reason: BlockedReason): string {
  switch (reason.kind) {
    case 'setup_failed':
      return `setup ${reason.workId} failed (${reason.failedTaskIds.join(', ') || 'no task named'}): retry its failed tasks or cancel`;
    case 'rollback_failed':
      return `rollback ${reason.workId} failed: ${reason.error}; retry it or cancel the journey`;
    case 'criterion':
      // An inconclusive criterion waits for a person rather than rolling back on a false alarm.
      return reason.outcome === 'inconclusive'
        ? `${reason.criterionId} inconclusive: ${reason.reason}; waiting for an operator to accept or reject it`
        : `${reason.criterionId} ${reason.outcome}: ${reason.reason}`;
  }
}
