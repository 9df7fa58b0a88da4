import type { CriterionResult, ExitCriteriaEvaluation } from '../exit-criteria/criterion.js';
import type { ClientId, CriterionId, JourneyId, TaskId, WorkId } from '../ids.js';
import type { JsonValue } from '../json.js';
import type { Instant, Millis } from '../time.js';
import type { FreezeOverride } from './controls.js';
import type { Stage, WorkingStage } from './stage.js';

/** Which playbook (and which revision of it) a journey follows for its whole life. */
export interface PlaybookRef {
  readonly name: string;
  readonly version: number;
}

/** Who did something: a user id, a token's subject, or `system` for the engine itself. */
export type Actor = string;

export interface JourneyStarted {
  readonly type: 'JourneyStarted';
  readonly journeyId: JourneyId;
  readonly clientId: ClientId;
  readonly playbook: PlaybookRef;
  readonly stage: 'sandbox';
  /** The sandbox setup unit of work the engine creates in reaction. */
  readonly setupWorkId: WorkId;
  readonly startedBy: Actor;
  readonly at: Instant;
}

export interface StageSetupCompleted {
  readonly type: 'StageSetupCompleted';
  readonly stage: WorkingStage;
  readonly workId: WorkId;
  readonly at: Instant;
}

export interface StageSetupFailed {
  readonly type: 'StageSetupFailed';
  readonly stage: WorkingStage;
  readonly workId: WorkId;
  readonly failedTaskIds: readonly TaskId[];
  readonly at: Instant;
}

export interface StageSetupRetried {
  readonly type: 'StageSetupRetried';
  readonly stage: WorkingStage;
  readonly workId: WorkId;
  readonly retriedBy: Actor;
  readonly at: Instant;
}

/** What started an evaluation; kept so the audit trail says why it ran. */
export const EVALUATION_TRIGGERS = [
  'setup_completed',
  'recheck',
  'approval',
  'manual',
  'promotion',
  'inconclusive_resolved',
] as const;
export type EvaluationTrigger = (typeof EVALUATION_TRIGGERS)[number];

/** Every validation is recorded, passed or not: the pass rate and the audit trail need failures too. */
export interface ExitCriteriaEvaluated {
  readonly type: 'ExitCriteriaEvaluated';
  readonly stage: WorkingStage;
  readonly evaluation: ExitCriteriaEvaluation;
  readonly trigger: EvaluationTrigger;
  readonly at: Instant;
}

interface ApprovalEventBase {
  readonly stage: WorkingStage;
  readonly criterionId: CriterionId;
  readonly approverId: string;
  readonly role: string;
  readonly comment?: string;
  readonly at: Instant;
}

export interface ApprovalGranted extends ApprovalEventBase {
  readonly type: 'ApprovalGranted';
}

export interface ApprovalRejected extends ApprovalEventBase {
  readonly type: 'ApprovalRejected';
}

/** Withdraws an approver's decision (approval or rejection) on one criterion. */
export interface ApprovalRevoked {
  readonly type: 'ApprovalRevoked';
  readonly stage: WorkingStage;
  readonly criterionId: CriterionId;
  readonly approverId: string;
  readonly revokedBy: Actor;
  readonly reason?: string;
  readonly at: Instant;
}

/**
 * A person decided a criterion that is inconclusive now: `accept` counts it as passed, `reject`
 * as failed, for this stage visit and while it stays inconclusive (a definite result wins).
 */
export interface InconclusiveResolved {
  readonly type: 'InconclusiveResolved';
  readonly stage: WorkingStage;
  readonly criterionId: CriterionId;
  readonly decision: 'accept' | 'reject';
  readonly reason: string;
  readonly decidedBy: Actor;
  /** The inconclusive result's reason when it was decided: what the person was looking at. */
  readonly inconclusiveReason: string;
  readonly at: Instant;
}

/**
 * A reminder for the notification context: an approval criterion of this stage visit has been
 * waiting for approvals since `pendingSince` (the first evaluation that found it pending) longer
 * than the playbook's `remindAfter` (then every `remindEvery`). `reminder` counts from 1.
 */
export interface ApprovalReminderDue {
  readonly type: 'ApprovalReminderDue';
  readonly stage: WorkingStage;
  readonly criterionId: CriterionId;
  readonly pendingSince: Instant;
  /** How many more approvals are needed now. */
  readonly approvalsNeeded: number;
  /** Required approvers who have not approved yet. */
  readonly missingApprovers: readonly string[];
  /** Roles that may approve. */
  readonly allowedRoles: readonly string[];
  readonly reminder: number;
  readonly at: Instant;
}

/**
 * An alert for the notification context: a criterion has been inconclusive since
 * `inconclusiveSince` and nobody decided it within the playbook's `inconclusiveDeadline`
 * (`onDeadline: escalate`). Raised once per inconclusive streak; the gate keeps waiting.
 */
export interface InconclusiveEscalated {
  readonly type: 'InconclusiveEscalated';
  readonly stage: WorkingStage;
  readonly criterionId: CriterionId;
  readonly inconclusiveSince: Instant;
  /** The latest inconclusive result's reason. */
  readonly inconclusiveReason: string;
  /** The deadline that passed (`inconclusiveSince` + `inconclusiveDeadline`). */
  readonly deadline: Instant;
  readonly at: Instant;
}

export interface StagePromoted {
  readonly type: 'StagePromoted';
  readonly fromStage: WorkingStage;
  readonly toStage: WorkingStage;
  readonly exitCriteriaResults: readonly CriterionResult[];
  /** The new stage's setup unit of work. */
  readonly setupWorkId: WorkId;
  readonly promotedBy: Actor;
  readonly reason: string;
  /** Present when an admin promoted during a freeze: who, why, and which freezes. */
  readonly freezeOverride?: FreezeOverride;
  readonly at: Instant;
}

export interface JourneyCompleted {
  readonly type: 'JourneyCompleted';
  readonly fromStage: 'production';
  readonly exitCriteriaResults: readonly CriterionResult[];
  readonly completedBy: Actor;
  /** Present when an admin completed the journey during a freeze. */
  readonly freezeOverride?: FreezeOverride;
  readonly at: Instant;
}

export interface RollbackInitiated {
  readonly type: 'RollbackInitiated';
  readonly fromStage: WorkingStage;
  readonly toStage: WorkingStage;
  readonly reason: string;
  /** `system` for an automatic rollback, else the person who asked. */
  readonly initiatedBy: Actor;
  readonly rollbackWorkId: WorkId;
  readonly at: Instant;
}

/** What the rollback needs of the stage being left: its setup tasks' outputs (e.g. a dataset id). */
export interface SnapshotTaken {
  readonly type: 'SnapshotTaken';
  readonly snapshotId: string;
  readonly stage: WorkingStage;
  readonly setupWorkId: WorkId | null;
  readonly outputs: Readonly<Record<string, JsonValue>>;
  readonly at: Instant;
}

export interface RollbackFailed {
  readonly type: 'RollbackFailed';
  readonly workId: WorkId;
  readonly error: string;
  readonly at: Instant;
}

export interface RollbackRetried {
  readonly type: 'RollbackRetried';
  readonly workId: WorkId;
  readonly retriedBy: Actor;
  readonly at: Instant;
}

export interface RollbackCompleted {
  readonly type: 'RollbackCompleted';
  readonly fromStage: WorkingStage;
  readonly toStage: WorkingStage;
  readonly workId: WorkId;
  readonly at: Instant;
}

/**
 * An alert: the stage transition that began at `enteredAt` (entering a stage and running its
 * setup, or a rollback) has not finished within its deadline. Raised once per stage visit.
 */
export interface StageTransitionOverdue {
  readonly type: 'StageTransitionOverdue';
  readonly stage: Stage;
  readonly enteredAt: Instant;
  readonly deadline: Millis;
  /** The unit of work still running, when there is one. */
  readonly workId: WorkId | null;
  readonly at: Instant;
}

/**
 * A person paused the journey: no reaction, re-check, promotion or new task attempt runs for
 * it until it is resumed (a rollback in progress still runs; see docs/controls.md).
 */
export interface JourneyPaused {
  readonly type: 'JourneyPaused';
  readonly stage: Stage;
  readonly reason: string;
  readonly pausedBy: Actor;
  readonly at: Instant;
}

/** The pause is lifted: the work that waited runs now. */
export interface JourneyResumed {
  readonly type: 'JourneyResumed';
  readonly stage: Stage;
  readonly reason?: string;
  readonly resumedBy: Actor;
  /** When the pause being lifted began. */
  readonly pausedAt: Instant;
  readonly at: Instant;
}

export interface JourneyCancelled {
  readonly type: 'JourneyCancelled';
  readonly fromStage: Stage;
  readonly reason: string;
  readonly cancelledBy: Actor;
  readonly at: Instant;
}

export type JourneyEvent =
  | JourneyStarted
  | StageSetupCompleted
  | StageSetupFailed
  | StageSetupRetried
  | ExitCriteriaEvaluated
  | ApprovalGranted
  | ApprovalRejected
  | ApprovalRevoked
  | InconclusiveResolved
  | ApprovalReminderDue
  | InconclusiveEscalated
  | StagePromoted
  | JourneyCompleted
  | RollbackInitiated
  | SnapshotTaken
  | RollbackFailed
  | RollbackRetried
  | RollbackCompleted
  | StageTransitionOverdue
  | JourneyPaused
  | JourneyResumed
  | JourneyCancelled;

export type JourneyEventType = JourneyEvent['type'];

export const JOURNEY_EVENT_TYPES = [
  'JourneyStarted',
  'StageSetupCompleted',
  'StageSetupFailed',
  'StageSetupRetried',
  'ExitCriteriaEvaluated',
  'ApprovalGranted',
  'ApprovalRejected',
  'ApprovalRevoked',
  'InconclusiveResolved',
  'ApprovalReminderDue',
  'InconclusiveEscalated',
  'StagePromoted',
  'JourneyCompleted',
  'RollbackInitiated',
  'SnapshotTaken',
  'RollbackFailed',
  'RollbackRetried',
  'RollbackCompleted',
  'StageTransitionOverdue',
  'JourneyPaused',
  'JourneyResumed',
  'JourneyCancelled',
] as const satisfies readonly JourneyEventType[];

// Compile-time check that the list above names every event type.
type MissingEventTypes = Exclude<JourneyEventType, (typeof JOURNEY_EVENT_TYPES)[number]>;
export const ALL_JOURNEY_EVENT_TYPES_LISTED: MissingEventTypes extends never ? true : never = true;
