import type {
  ApprovalCriterion,
  ExitCriteriaEvaluation,
  ExitCriterion,
  MetricCriterion,
} from '../exit-criteria/criterion.js';
import type { ClientId, CriterionId, JourneyId, TaskId, WorkId } from '../ids.js';
import type { JsonValue } from '../json.js';
import type { Instant, Millis } from '../time.js';
import type { PromotionControls } from './controls.js';
import type { Actor, EvaluationTrigger, PlaybookRef } from './events.js';
import type { Stage, WorkingStage } from './stage.js';

/**
 * Commands carry every fact the decision needs that the journey cannot know by itself: the time,
 * new ids, the exit-criteria evaluation, whether the client already has another active journey.
 * The application gathers those facts; the decider only judges them.
 */
export type JourneyCommand =
  | {
      readonly type: 'start';
      readonly journeyId: JourneyId;
      readonly clientId: ClientId;
      readonly playbook: PlaybookRef;
      readonly setupWorkId: WorkId;
      readonly startedBy: Actor;
      /** The client's other active journey, if any: there may be only one. */
      readonly activeJourneyId?: JourneyId;
      readonly at: Instant;
    }
  | { readonly type: 'recordSetupCompleted'; readonly workId: WorkId; readonly at: Instant }
  | {
      readonly type: 'recordSetupFailed';
      readonly workId: WorkId;
      readonly failedTaskIds: readonly TaskId[];
      readonly at: Instant;
    }
  | {
      readonly type: 'recordSetupRetried';
      readonly workId: WorkId;
      readonly retriedBy: Actor;
      readonly at: Instant;
    }
  | {
      readonly type: 'recordEvaluation';
      readonly stage: WorkingStage;
      readonly evaluation: ExitCriteriaEvaluation;
      readonly trigger: EvaluationTrigger;
      readonly at: Instant;
    }
  | {
      readonly type: 'decideApproval';
      readonly criterionId: CriterionId;
      /** The current stage's definition of that criterion, looked up in the playbook. */
      readonly criterion: ExitCriterion | undefined;
      /** The stage the approver was looking at; refused if the journey has moved on. */
      readonly expectedStage?: WorkingStage;
      readonly approverId: string;
      readonly role: string;
      readonly decision: 'approved' | 'rejected';
      readonly comment?: string;
      readonly at: Instant;
    }
  | {
      readonly type: 'revokeApproval';
      readonly criterionId: CriterionId;
      readonly approverId: string;
      readonly revokedBy: Actor;
      readonly reason?: string;
      readonly at: Instant;
    }
  | {
      /** A person decides a criterion that is inconclusive now (docs/controls.md). */
      readonly type: 'resolveInconclusive';
      readonly criterionId: CriterionId;
      /** The current stage's definition of that criterion, looked up in the playbook. */
      readonly criterion: ExitCriterion | undefined;
      readonly decision: 'accept' | 'reject';
      readonly reason: string;
      readonly decidedBy: Actor;
      readonly at: Instant;
    }
  | {
      readonly type: 'promote';
      readonly to: Stage;
      /** The current stage's exit criteria, evaluated just now. */
      readonly evaluation: ExitCriteriaEvaluation;
      /** The id the new stage's setup unit of work will have. */
      readonly setupWorkId: WorkId;
      readonly promotedBy: Actor;
      readonly reason?: string;
      /** The fleet stop, freezes in force and soak time; none hold it back when absent. */
      readonly controls?: PromotionControls;
      readonly at: Instant;
    }
  | {
      readonly type: 'complete';
      /** Production's success criteria, evaluated just now. */
      readonly evaluation: ExitCriteriaEvaluation;
      readonly completedBy: Actor;
      readonly controls?: PromotionControls;
      readonly at: Instant;
    }
  | {
      readonly type: 'initiateRollback';
      readonly reason: string;
      readonly initiatedBy: Actor;
      /** When given, must be the immediately previous stage. */
      readonly to?: Stage;
      readonly rollbackWorkId: WorkId;
      readonly at: Instant;
    }
  | {
      readonly type: 'takeSnapshot';
      readonly snapshotId: string;
      readonly outputs: Readonly<Record<string, JsonValue>>;
      readonly at: Instant;
    }
  | {
      readonly type: 'failRollback';
      readonly workId: WorkId;
      readonly error: string;
      readonly at: Instant;
    }
  | { readonly type: 'retryRollback'; readonly retriedBy: Actor; readonly at: Instant }
  | { readonly type: 'completeRollback'; readonly workId: WorkId; readonly at: Instant }
  | {
      /** A timer fired: raise the alert if the stage visit it watches is still unfinished. */
      readonly type: 'flagOverdue';
      readonly stage: Stage;
      /** When the watched visit began; a timer of an earlier visit changes nothing. */
      readonly enteredAt: Instant;
      readonly deadline: Millis;
      readonly at: Instant;
    }
  | {
      /**
       * A reminder timer fired: record ApprovalReminderDue if the approval wait it belongs to
       * (visit `enteredAt`, wait `since`) is still on and this reminder was not recorded yet.
       */
      readonly type: 'remindApproval';
      readonly enteredAt: Instant;
      readonly criterion: ApprovalCriterion;
      readonly since: Instant;
      readonly reminder: number;
      readonly at: Instant;
    }
  | {
      /**
       * An inconclusive deadline fired: escalate, or decide as `system`, if the inconclusive
       * wait it belongs to is still on and nobody decided the criterion.
       */
      readonly type: 'lapseInconclusive';
      readonly enteredAt: Instant;
      readonly criterion: MetricCriterion;
      readonly since: Instant;
      readonly at: Instant;
    }
  | {
      readonly type: 'pause';
      readonly reason: string;
      readonly pausedBy: Actor;
      readonly at: Instant;
    }
  | {
      readonly type: 'resume';
      readonly reason?: string;
      readonly resumedBy: Actor;
      readonly at: Instant;
    }
  | {
      readonly type: 'cancel';
      readonly reason: string;
      readonly cancelledBy: Actor;
      readonly at: Instant;
    };

export type JourneyCommandType = JourneyCommand['type'];
