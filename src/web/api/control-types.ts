import type { CriterionResult, Stage, WorkingStage } from './types.js';

/**
 * The API's JSON of readiness, sign-off links and the fleet controls (docs/evidence.md,
 * docs/controls.md), as the dashboard reads it.
 */

export interface WindowReadiness {
  readonly windowMs: number;
  /** Since when the condition has held; null when it does not hold now. */
  readonly holdingSince: string | null;
  readonly remainingMs: number;
  /** When it passes if it keeps holding; null while it does not hold. */
  readonly passesAt: string | null;
}

export interface ApprovalDecisionReadiness {
  readonly approverId: string;
  readonly role: string;
  readonly decision: 'approved' | 'rejected';
  readonly at: string;
  readonly comment?: string;
  readonly counts: boolean;
  readonly expired: boolean;
  readonly expiresAt: string | null;
}

/** An issued sign-off link that is unused and unexpired. */
export interface OpenSignOffLink {
  readonly linkId: string;
  readonly approverName: string | null;
  readonly issuedBy: string;
  readonly expiresAt: string;
}

export interface ApprovalReadiness {
  readonly policy: {
    readonly roles: readonly string[];
    readonly minApprovals: number;
    readonly requiredApprovers: readonly string[];
    readonly expiresAfterMs: number | null;
  };
  readonly approvedBy: readonly string[];
  readonly rejectedBy: readonly string[];
  readonly approvalsNeeded: number;
  readonly missingApprovers: readonly string[];
  readonly decisions: readonly ApprovalDecisionReadiness[];
  readonly openSignOffLinks: readonly OpenSignOffLink[];
}

export interface CriterionReadiness extends CriterionResult {
  readonly kind: 'metric' | 'approval';
  readonly unit?: string;
  readonly window: WindowReadiness | null;
  readonly approval: ApprovalReadiness | null;
}

export type BlockerCode =
  | 'ROLLING_BACK'
  | 'ROLLBACK_FAILED'
  | 'JOURNEY_ENDED'
  | 'SETUP_RUNNING'
  | 'SETUP_FAILED'
  | 'CRITERION_FAILED'
  | 'CRITERION_INCONCLUSIVE'
  | 'WINDOW_OPEN'
  | 'APPROVAL_PENDING'
  | 'APPROVAL_REJECTED'
  | 'JOURNEY_PAUSED'
  | 'PROMOTIONS_PAUSED'
  | 'FREEZE_IN_FORCE'
  | 'SOAK_TIME_NOT_ELAPSED';

export interface Blocker {
  readonly code: BlockerCode;
  readonly message: string;
  readonly criterionId?: string;
  /** When it lifts by itself, if it does. */
  readonly until?: string;
}

/** `GET /v1/journeys/{clientId}/readiness`: what blocks promotion right now. */
export interface Readiness {
  readonly journeyId: string;
  readonly clientId: string;
  readonly stage: Stage;
  readonly stageEnteredAt: string;
  readonly nextStage: WorkingStage | 'completed' | null;
  readonly evaluatedAt: string;
  readonly ready: boolean;
  readonly summary: string;
  readonly criteria: readonly CriterionReadiness[];
  readonly blockers: readonly Blocker[];
}

/** `POST /v1/journeys/{clientId}/sign-off-links` answers it; the URL is shown only then. */
export interface IssuedSignOffLink {
  readonly linkId: string;
  readonly url: string;
  readonly expiresAt: string;
  readonly criterion: string;
  readonly approverName: string | null;
}

export interface SignOffLinkRequest {
  readonly criterion: string;
  readonly expiresIn?: string;
  readonly approverName?: string;
  readonly note?: string;
}

/** What became of a sign-off link, judged by the API in this order: used, revoked, expired, stale. */
export type SignOffLinkStatus = 'open' | 'used' | 'expired' | 'revoked' | 'stale';

/** One link of `GET /v1/journeys/{clientId}/sign-off-links`: never its token or URL. */
export interface SignOffLink {
  readonly linkId: string;
  readonly journeyId: string;
  readonly stage: WorkingStage;
  /** The stage visit it belongs to; it is `stale` once the journey left it. */
  readonly stageEnteredAt: string;
  readonly criterion: string;
  readonly approverName: string | null;
  readonly note: string | null;
  readonly status: SignOffLinkStatus;
  readonly decision: 'approved' | 'rejected' | null;
  readonly usedAt: string | null;
  readonly issuedBy: string;
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly revokedBy: string | null;
  readonly revokedAt: string | null;
  readonly revokeReason: string | null;
}

export interface SignOffLinkList {
  /** Oldest first. */
  readonly items: readonly SignOffLink[];
}

export interface ActiveFreeze {
  readonly freezeId: string;
  readonly scope: 'playbook' | 'global';
  readonly description?: string;
  readonly from: string;
  readonly until: string;
}

export interface GlobalFreeze {
  /** The window as written: id, from/to or schedule/duration, timezone, description. */
  readonly freeze: Readonly<Record<string, string>>;
  readonly createdBy: string;
  readonly reason: string | null;
  readonly createdAt: string;
  /** The stretch in force now; null when it is not. */
  readonly activeNow: ActiveFreeze | null;
}

export type ControlAction =
  'promotions_paused' | 'promotions_resumed' | 'freeze_added' | 'freeze_removed';

export interface ControlChange {
  readonly action: ControlAction;
  readonly subject: string | null;
  readonly actor: string;
  readonly reason: string | null;
  readonly at: string;
}

/** `GET /v1/controls`: stop-the-line, the global freezes and the latest 50 changes. */
export interface Controls {
  readonly promotions: {
    readonly paused: boolean;
    readonly pausedBy: string | null;
    readonly reason: string | null;
    readonly pausedAt: string | null;
  };
  readonly freezes: readonly GlobalFreeze[];
  readonly changes: readonly ControlChange[];
}

/** `POST /v1/controls/freezes`: one-off (`from`, `to`) or recurring (`schedule`, `duration`). */
export interface FreezeRequest {
  readonly id: string;
  readonly description?: string;
  readonly from?: string;
  readonly to?: string;
  readonly schedule?: string;
  readonly duration?: string;
  readonly timezone?: string;
  readonly reason?: string;
}
