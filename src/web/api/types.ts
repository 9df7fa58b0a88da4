/**
 * The API's JSON as the dashboard reads it (docs/api.md): the fields it shows, typed as the
 * OpenAPI document describes them. The API is the boundary, so these mirror its contract
 * rather than import the server's types.
 */

export const STAGES = [
  'sandbox',
  'pilot',
  'production',
  'rollback',
  'completed',
  'cancelled',
] as const;
export type Stage = (typeof STAGES)[number];

export const WORKING_STAGES = ['sandbox', 'pilot', 'production'] as const;
export type WorkingStage = (typeof WORKING_STAGES)[number];

export type StatusKind =
  | 'not_started'
  | 'setting_up'
  | 'validating'
  | 'ready_to_promote'
  | 'blocked'
  | 'rolling_back'
  | 'completed'
  | 'cancelled';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Caller {
  readonly name: string;
  readonly role: Role;
}

/** RFC 9457 problem details, as every refusal carries them. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly results?: readonly CriterionResult[];
  readonly errors?: readonly { readonly path: string; readonly message: string }[];
  /** A domain refusal's ids and facts (e.g. FREEZE_INVALID's `problems`, a freeze's `until`). */
  readonly details?: Readonly<Record<string, unknown>>;
}

export type Outcome = 'passed' | 'failed' | 'inconclusive';
export type Comparator = 'gt' | 'gte' | 'lt' | 'lte' | 'eq';
export type MetricValue = number | boolean;

export interface CriterionResult {
  readonly criterionId: string;
  readonly description: string;
  readonly source: 'http' | 'agent' | 'prometheus' | 'approval';
  readonly outcome: Outcome;
  readonly reason: string;
  readonly evaluatedAt: string;
  readonly observed?: MetricValue | null;
  readonly comparator?: Comparator;
  readonly threshold?: MetricValue;
  readonly error?: string;
  readonly windowRemaining?: number;
  readonly approvedBy?: readonly string[];
  readonly rejectedBy?: readonly string[];
  /** A person's decision on an inconclusive reading (accept counts as passed). */
  readonly resolution?: {
    readonly decision: 'accept' | 'reject';
    readonly reason: string;
    readonly decidedBy: string;
    readonly at: string;
  };
}

export interface ExitCriteriaEvaluation {
  readonly stage: WorkingStage;
  readonly evaluatedAt: string;
  readonly allPassed: boolean;
  readonly results: readonly CriterionResult[];
}

export type JourneyStatus =
  | { readonly kind: 'blocked'; readonly summary: string }
  | { readonly kind: Exclude<StatusKind, 'blocked'> };

export interface StageTransition {
  readonly kind:
    'promotion' | 'completion' | 'rollback_started' | 'rollback_completed' | 'cancellation';
  readonly fromStage: Stage;
  readonly toStage: Stage;
  readonly transitionedAt: string;
  readonly reason: string;
  readonly by: string;
}

export interface ApprovalDecision {
  readonly criterionId: string;
  readonly approverId: string;
  readonly role: string;
  readonly decision: 'approved' | 'rejected';
  readonly at: string;
  readonly comment?: string;
}

export interface JourneyPause {
  readonly pausedBy: string;
  readonly reason: string;
  readonly at: string;
}

export interface JourneySummary {
  readonly journeyId: string;
  readonly clientId: string;
  readonly playbook: { readonly name: string; readonly version: number };
  readonly currentStage: Stage;
  readonly status: StatusKind;
  readonly statusDetail: JourneyStatus;
  readonly active: boolean;
  readonly startedAt: string;
  readonly stageEnteredAt: string;
  readonly endedAt: string | null;
  readonly overdueSince: string | null;
  /** Who paused the journey, when and why; null unless paused. */
  readonly paused: JourneyPause | null;
  readonly stageHistory: readonly StageTransition[];
  readonly exitCriteria: ExitCriteriaEvaluation | null;
  readonly approvals: readonly ApprovalDecision[];
  readonly currentWorkId: string | null;
}

export interface Journey extends JourneySummary {
  readonly currentUnitOfWork: UnitOfWork | null;
}

export interface JourneyPage {
  readonly items: readonly JourneySummary[];
  readonly nextCursor: string | null;
}

export type TaskStatus =
  'pending' | 'running' | 'waiting_retry' | 'succeeded' | 'failed' | 'cancelled';

export interface TaskFailure {
  readonly message: string;
  readonly code?: string;
  readonly retryable: boolean;
}

export interface TaskAttempt {
  readonly attempt: number;
  readonly status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly agentId: string | null;
  readonly output: unknown;
  readonly error: TaskFailure | null;
  readonly willRetry: boolean;
  readonly nextAttemptAt: string | null;
}

export interface Task {
  readonly taskId: string;
  readonly name: string;
  readonly intent: string;
  readonly agentId: string | null;
  readonly dependsOn: readonly string[];
  readonly status: TaskStatus;
  readonly attemptCount: number;
  readonly output: unknown;
  readonly error: TaskFailure | null;
  readonly nextAttemptAt: string | null;
  readonly attempts: readonly TaskAttempt[];
}

export interface UnitOfWork {
  readonly workId: string;
  readonly stage: WorkingStage;
  readonly purpose: 'setup' | 'rollback';
  readonly status: 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly cancelReason: string | null;
  readonly failedTaskIds: readonly string[];
  readonly blockedTaskIds: readonly string[];
  readonly tasks: readonly Task[];
}

/** A stored event as `GET /v1/journeys/{clientId}/events` lists it. */
export interface StoredEventView {
  readonly position: string;
  readonly eventId: string;
  readonly streamType: 'journey' | 'unit-of-work';
  readonly type: string;
  readonly occurredAt: string;
  readonly metadata: { readonly causedBy: string };
  readonly data: Readonly<Record<string, unknown>>;
}

export interface EventList {
  readonly journeyId: string;
  readonly clientId: string;
  readonly items: readonly StoredEventView[];
}

export interface DurationSummary {
  readonly count: number;
  readonly medianMs: number | null;
  readonly p90Ms: number | null;
}

export interface SuccessMetrics {
  readonly generatedAt: string;
  readonly journeys: {
    readonly total: number;
    readonly active: number;
    readonly byStage: Readonly<Record<Stage, number>>;
  };
  readonly timeToProduction: DurationSummary;
  readonly rollbacks: {
    readonly count: number;
    readonly promotions: number;
    readonly rate: number | null;
  };
  readonly exitCriteria: {
    readonly evaluations: number;
    readonly passed: number;
    readonly passRate: number | null;
  };
}

export interface SeriesBucket {
  readonly start: string;
  readonly end: string;
  readonly journeysStarted: number;
  readonly promotions: number;
  readonly rollbacks: number;
  readonly evaluations: number;
  readonly cumulative: {
    readonly timeToProductionMedianMs: number | null;
    readonly rollbackRate: number | null;
    readonly passRate: number | null;
  };
}

export interface SuccessMetricsSeries {
  readonly from: string;
  readonly to: string;
  readonly bucketMs: number;
  readonly buckets: readonly SeriesBucket[];
}
