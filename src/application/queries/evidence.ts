import type {
  CriterionResult,
  EvaluationTrigger,
  Instant,
  JourneyEvent,
  PlaybookRef,
  Stage,
  WorkingStage,
} from '../../domain/index.js';
import { StreamType, type StoredEvent } from '../ports.js';

/**
 * The evidence of a journey: every gate evaluation and every decision, grouped by stage visit,
 * read from the journey's own events (so it is kept exactly as long as the journey's history,
 * the retention period). "Why was this client promoted on that day?" is answered here.
 */

export type EvidenceRecord =
  | {
      readonly kind: 'evaluation';
      readonly at: Instant;
      readonly trigger: EvaluationTrigger;
      /** Who caused it (a token's name, `system` for the engine). */
      readonly by: string;
      readonly allPassed: boolean;
      readonly results: readonly CriterionResult[];
    }
  | {
      readonly kind: 'approval';
      readonly at: Instant;
      readonly decision: 'approved' | 'rejected' | 'revoked';
      readonly criterionId: string;
      readonly approverId: string;
      /** The approver's role; null for a revocation. */
      readonly role: string | null;
      readonly by: string;
      readonly comment: string | null;
    }
  | {
      /** A person decided a criterion that was inconclusive (InconclusiveResolved). */
      readonly kind: 'inconclusive_resolved';
      readonly at: Instant;
      readonly criterionId: string;
      /** accept counts the criterion as passed, reject as failed, while it stays inconclusive. */
      readonly decision: 'accept' | 'reject';
      readonly reason: string;
      /** Who decided (the token's name). */
      readonly by: string;
      /** What the criterion showed when it was decided: the inconclusive result's reason. */
      readonly inconclusiveReason: string;
    }
  | {
      /**
       * Nobody decided an inconclusive criterion within its `inconclusiveDeadline` and the
       * playbook says escalate (InconclusiveEscalated); a default decision is an
       * `inconclusive_resolved` by `system` instead.
       */
      readonly kind: 'inconclusive_escalated';
      readonly at: Instant;
      readonly criterionId: string;
      readonly inconclusiveSince: Instant;
      readonly deadline: Instant;
      readonly inconclusiveReason: string;
    }
  | {
      readonly kind: 'promotion' | 'completion';
      readonly at: Instant;
      readonly fromStage: WorkingStage;
      readonly toStage: WorkingStage | 'completed';
      readonly by: string;
      readonly reason: string;
      /** The results the promotion was made on. */
      readonly results: readonly CriterionResult[];
    }
  | {
      readonly kind: 'rollback_initiated' | 'rollback_completed' | 'rollback_failed';
      readonly at: Instant;
      readonly fromStage: Stage;
      readonly toStage: Stage;
      readonly by: string;
      readonly reason: string;
    }
  | {
      readonly kind: 'cancellation';
      readonly at: Instant;
      readonly fromStage: Stage;
      readonly by: string;
      readonly reason: string;
    };

export interface StageVisitEvidence {
  readonly stage: Stage;
  /** 1 for the first visit of this stage, 2 after returning to it, and so on. */
  readonly visit: number;
  readonly enteredAt: Instant;
  /** Null while the journey is still in it. */
  readonly leftAt: Instant | null;
  readonly records: readonly EvidenceRecord[];
}

export interface JourneyEvidence {
  readonly journeyId: string;
  readonly clientId: string;
  readonly playbook: PlaybookRef;
  readonly startedAt: Instant;
  readonly startedBy: string;
  readonly currentStage: Stage;
  readonly generatedAt: Instant;
  readonly visits: readonly StageVisitEvidence[];
}

interface OpenVisit {
  stage: Stage;
  visit: number;
  enteredAt: Instant;
  leftAt: Instant | null;
  records: EvidenceRecord[];
}

/** Folds the journey's stream (oldest first) into its evidence; null before JourneyStarted. */
export function journeyEvidence(
  events: readonly StoredEvent[],
  generatedAt: Instant,
): JourneyEvidence | null {
  const first = events.find((e) => e.streamType === StreamType.journey)?.event;
  if (first?.type !== 'JourneyStarted') {
    return null;
  }
  const visits: OpenVisit[] = [];
  const counts = new Map<Stage, number>();
  const enter = (stage: Stage, at: Instant): void => {
    const previous = visits.at(-1);
    if (previous !== undefined) {
      previous.leftAt = at;
    }
    const visit = (counts.get(stage) ?? 0) + 1;
    counts.set(stage, visit);
    visits.push({ stage, visit, enteredAt: at, leftAt: null, records: [] });
  };
  let current: Stage = first.stage;
  enter(current, first.at);
  for (const stored of events) {
    if (stored.streamType !== StreamType.journey) {
      continue;
    }
    const event = stored.event as JourneyEvent;
    const record = recordOf(event, stored.metadata.causedBy);
    if (record !== null) {
      visits.at(-1)?.records.push(record);
    }
    const entered = stageEntered(event);
    if (entered !== null) {
      current = entered;
      enter(current, event.at);
    }
  }
  return {
    journeyId: first.journeyId,
    clientId: first.clientId,
    playbook: first.playbook,
    startedAt: first.at,
    startedBy: first.startedBy,
    currentStage: current,
    generatedAt,
    visits,
  };
}

/** The stage an event moves the journey into, if it moves it. */
function stageEntered(event: JourneyEvent): Stage | null {
  switch (event.type) {
    case 'StagePromoted':
      return event.toStage;
    case 'JourneyCompleted':
      return 'completed';
    case 'RollbackInitiated':
      return 'rollback';
    case 'RollbackCompleted':
      return event.toStage;
    case 'JourneyCancelled':
      return 'cancelled';
    default:
      return null;
  }
}

function recordOf(event: JourneyEvent, causedBy: string): EvidenceRecord | null {
  switch (event.type) {
    case 'ExitCriteriaEvaluated':
      return {
        kind: 'evaluation',
        at: event.at,
        trigger: event.trigger,
        by: causedBy,
        allPassed: event.evaluation.allPassed,
        results: event.evaluation.results,
      };
    case 'ApprovalGranted':
    case 'ApprovalRejected':
      return {
        kind: 'approval',
        at: event.at,
        decision: event.type === 'ApprovalGranted' ? 'approved' : 'rejected',
        criterionId: event.criterionId,
        approverId: event.approverId,
        role: event.role,
        by: causedBy,
        comment: event.comment ?? null,
      };
    case 'ApprovalRevoked':
      return {
        kind: 'approval',
        at: event.at,
        decision: 'revoked',
        criterionId: event.criterionId,
        approverId: event.approverId,
        role: null,
        by: event.revokedBy,
        comment: event.reason ?? null,
      };
    case 'InconclusiveResolved':
      return {
        kind: 'inconclusive_resolved',
        at: event.at,
        criterionId: event.criterionId,
        decision: event.decision,
        reason: event.reason,
        by: event.decidedBy,
        inconclusiveReason: event.inconclusiveReason,
      };
    case 'InconclusiveEscalated':
      return {
        kind: 'inconclusive_escalated',
        at: event.at,
        criterionId: event.criterionId,
        inconclusiveSince: event.inconclusiveSince,
        deadline: event.deadline,
        inconclusiveReason: event.inconclusiveReason,
      };
    case 'StagePromoted':
      return {
        kind: 'promotion',
        at: event.at,
        fromStage: event.fromStage,
        toStage: event.toStage,
        by: event.promotedBy,
        reason: event.reason,
        results: event.exitCriteriaResults,
      };
    case 'JourneyCompleted':
      return {
        kind: 'completion',
        at: event.at,
        fromStage: event.fromStage,
        toStage: 'completed',
        by: event.completedBy,
        reason: 'production success criteria met',
        results: event.exitCriteriaResults,
      };
    case 'RollbackInitiated':
      return {
        kind: 'rollback_initiated',
        at: event.at,
        fromStage: event.fromStage,
        toStage: event.toStage,
        by: event.initiatedBy,
        reason: event.reason,
      };
    case 'RollbackCompleted':
      return {
        kind: 'rollback_completed',
        at: event.at,
        fromStage: event.fromStage,
        toStage: event.toStage,
        by: causedBy,
        reason: 'the rollback unit of work completed',
      };
    case 'RollbackFailed':
      return {
        kind: 'rollback_failed',
        at: event.at,
        fromStage: 'rollback',
        toStage: 'rollback',
        by: causedBy,
        reason: event.error,
      };
    case 'JourneyCancelled':
      return {
        kind: 'cancellation',
        at: event.at,
        fromStage: event.fromStage,
        by: event.cancelledBy,
        reason: event.reason,
      };
    default:
      return null;
  }
}
