import type { AgentId, CriterionId } from '../ids.js';
import type { JsonValue } from '../json.js';
import type { Instant, Millis } from '../time.js';

export const COMPARATORS = ['gt', 'gte', 'lt', 'lte', 'eq'] as const;
export type Comparator = (typeof COMPARATORS)[number];

/** A measured value: a number (a rate, a score, a count) or a yes/no fact. */
export type MetricValue = number | boolean;

export type MetricSource =
  | {
      readonly type: 'http';
      readonly url: string;
      /** Where the value sits in the JSON reply, e.g. `$.search.quality`. */
      readonly jsonPath: string;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | {
      readonly type: 'agent';
      readonly agentId?: AgentId;
      readonly intent: string;
      readonly input?: JsonValue;
    }
  | {
      readonly type: 'prometheus';
      /** PromQL instant query; its single sample is the value. */
      readonly query: string;
      /** Base URL of the Prometheus-compatible API; the config's default when absent. */
      readonly url?: string;
    };

export type SourceType = MetricSource['type'] | 'approval';

/** Who may approve a criterion, how many of them, and for how long an approval counts. */
export interface ApprovalPolicy {
  /** Roles allowed to approve or reject (an approver holds one role per decision). */
  readonly roles: readonly string[];
  /** Distinct approvers needed. @default 1 */
  readonly minApprovals: number;
  /** Approver ids that must be among the approvers. @default [] */
  readonly requiredApprovers: readonly string[];
  /** An approval older than this no longer counts; absent: approvals never expire. */
  readonly expiresAfter?: Millis;
}

interface CriterionBase {
  readonly id: CriterionId;
  readonly description: string;
}

export interface MetricCriterion extends CriterionBase {
  readonly kind: 'metric';
  readonly source: MetricSource;
  readonly comparator: Comparator;
  readonly threshold: MetricValue;
  /** How the value reads to people, e.g. `%` or `/5`; display only. */
  readonly unit?: string;
  /**
   * Values inside this closed range are neither clearly good nor clearly bad: the outcome is
   * `inconclusive` and a person decides, instead of a rollback on a false alarm.
   */
  readonly greyBand?: { readonly from: number; readonly to: number };
  /** The condition must have held continuously this long; a breach restarts the clock. */
  readonly window?: Millis;
  /** What happens when an inconclusive reading stays undecided by a person this long. */
  readonly inconclusiveDeadline?: InconclusiveDeadlinePolicy;
}

/** What the engine does at an undecided inconclusive criterion's deadline (docs/controls.md). */
export const ON_DEADLINE = ['escalate', 'accept', 'reject'] as const;
export type OnDeadline = (typeof ON_DEADLINE)[number];

export interface InconclusiveDeadlinePolicy {
  /** How long an inconclusive streak may stay undecided, from its first inconclusive reading. */
  readonly after: Millis;
  /** `escalate` records InconclusiveEscalated; `accept`/`reject` decide it as `system`. @default 'escalate' */
  readonly onDeadline: OnDeadline;
}

/** When to remind people of an approval that is still pending (ApprovalReminderDue). */
export interface ApprovalReminderPolicy {
  /** The first reminder, this long after the approval was first found pending. */
  readonly after: Millis;
  /** Further reminders this long after the previous one; absent: one reminder only. */
  readonly every?: Millis;
}

export interface ApprovalCriterion extends CriterionBase {
  readonly kind: 'approval';
  readonly policy: ApprovalPolicy;
  readonly reminder?: ApprovalReminderPolicy;
}

export type ExitCriterion = MetricCriterion | ApprovalCriterion;

/** What a source reported for one metric criterion at one moment. */
export interface Observation {
  /** `null` or absent: the source answered but had no data. */
  readonly value?: MetricValue | null;
  readonly observedAt: Instant;
  /** Set when the source failed (unreachable, bad reply); the value is then ignored. */
  readonly error?: string;
  /**
   * For windowed criteria, a source that knows when the condition was last breached (e.g. the
   * time of the last critical bug) reports the instant it has held since.
   */
  readonly heldSince?: Instant;
}

/** One person's decision on an approval criterion. */
export interface ApprovalDecision {
  readonly criterionId: CriterionId;
  readonly approverId: string;
  readonly role: string;
  readonly decision: 'approved' | 'rejected';
  readonly at: Instant;
  readonly comment?: string;
}

/**
 * A person's decision on a criterion that came out `inconclusive` (its source erred, had no
 * data, or the value is in the grey band): accept counts it as passed, reject as failed, for the
 * rest of the stage visit while it stays inconclusive. A definite result wins over it.
 */
export interface InconclusiveResolution {
  readonly criterionId: CriterionId;
  readonly decision: 'accept' | 'reject';
  readonly reason: string;
  readonly decidedBy: string;
  readonly at: Instant;
}

export const OUTCOMES = ['passed', 'failed', 'inconclusive'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The evidence kept for one criterion at one evaluation. */
export interface CriterionResult {
  readonly criterionId: CriterionId;
  readonly description: string;
  readonly source: SourceType;
  readonly outcome: Outcome;
  /** Why, in words a person reads: "0.78 is not > 0.8", "1 of 2 approvals". */
  readonly reason: string;
  readonly evaluatedAt: Instant;
  readonly observed?: MetricValue | null;
  readonly observedAt?: Instant;
  readonly comparator?: Comparator;
  readonly threshold?: MetricValue;
  readonly error?: string;
  /** Windowed criteria: since when the condition has held (null: it does not hold now). */
  readonly holdingSince?: Instant | null;
  /** Windowed criteria: how long it must still hold before it passes. */
  readonly windowRemaining?: Millis;
  /** Approval criteria: the approver ids whose approvals counted. */
  readonly approvedBy?: readonly string[];
  /** Approval criteria: the approver ids whose rejection blocks. */
  readonly rejectedBy?: readonly string[];
  /**
   * Present when the reading was inconclusive and a person decided it: `outcome` is then
   * `passed` (accepted) or `failed` (rejected), and `reason` says both why and who.
   */
  readonly resolution?: Omit<InconclusiveResolution, 'criterionId'>;
}

export interface ExitCriteriaEvaluation {
  readonly evaluatedAt: Instant;
  readonly results: readonly CriterionResult[];
  /** True only when every result passed; inconclusive never counts as passed. */
  readonly allPassed: boolean;
}
