import type {
  ApprovalDecisionReadiness,
  ApprovalReadiness,
  CriterionReadiness,
  Readiness,
  WindowReadiness,
} from '../api/control-types.js';
import type { Role } from '../api/types.js';
import { formatDuration } from './format.js';

/** Reading a journey's readiness: who may decide an approval, what is left of a window. */

/** The approval policy of a criterion, when readiness knows it. */
export function approvalOf(
  readiness: Readiness | null,
  criterionId: string,
): ApprovalReadiness | null {
  return readiness?.criteria.find((c) => c.criterionId === criterionId)?.approval ?? null;
}

/**
 * Whether a role may approve or reject a criterion by its policy. Unknown (no readiness yet, or
 * a criterion it does not list) counts as allowed: the API decides and explains a refusal.
 */
export function mayDecideApproval(
  readiness: Readiness | null,
  criterionId: string,
  role: Role,
): boolean {
  const approval = approvalOf(readiness, criterionId);
  return approval === null || approval.policy.roles.includes(role);
}

/** The caller's own latest decision on a criterion (what they may withdraw), if any. */
export function ownDecision(
  approval: ApprovalReadiness,
  approverId: string,
): ApprovalDecisionReadiness | null {
  const own = approval.decisions.filter((d) => d.approverId === approverId);
  return own[own.length - 1] ?? null;
}

/** A sign-off link records the decision as role `client`: only a policy allowing it takes one. */
export function allowsSignOffLink(approval: ApprovalReadiness): boolean {
  return approval.policy.roles.includes('client');
}

/** Who may give the approvals still needed, in one line. */
export function approvalNeeds(approval: ApprovalReadiness): string {
  const { policy, approvalsNeeded, missingApprovers } = approval;
  const parts = [`${policy.roles.length === 0 ? 'no role' : policy.roles.join(', ')} may decide`];
  if (approvalsNeeded > 0) {
    parts.push(`${approvalsNeeded} more approval${approvalsNeeded === 1 ? '' : 's'} needed`);
  }
  if (missingApprovers.length > 0) {
    parts.push(`still needed from ${missingApprovers.join(', ')}`);
  }
  if (policy.expiresAfterMs !== null) {
    parts.push(`an approval counts for ${formatDuration(policy.expiresAfterMs)}`);
  }
  return parts.join(' · ');
}

/** `in 4m 12s` until an instant, or `now` once it has passed. */
export function timeLeft(until: string, now: number): string {
  const ms = Date.parse(until) - now;
  return Number.isNaN(ms) ? until : ms <= 0 ? 'now' : `in ${formatDuration(ms)}`;
}

/** What is left of a window that a condition must hold for. */
export function windowText(window: WindowReadiness, now: number): string {
  if (window.passesAt === null) {
    return `not holding; needs ${formatDuration(window.windowMs)}`;
  }
  return window.remainingMs <= 0 ? 'held long enough' : `passes ${timeLeft(window.passesAt, now)}`;
}

/** What an operator may do about one criterion now; each null/false when nothing. */
export interface CriterionControls {
  /** Decide an inconclusive reading: for the first time, or again (replacing the decision). */
  readonly decide: 'first' | 'again' | null;
  /** The caller's own decision, which they may withdraw. */
  readonly withdraw: 'approved' | 'rejected' | null;
  /** A sign-off link may be issued (the policy lets the client decide, not passed yet). */
  readonly signOffLink: boolean;
}

export function criterionControls(
  criterion: CriterionReadiness,
  approverId: string,
): CriterionControls {
  const metric = criterion.kind === 'metric';
  const approval = criterion.approval;
  return {
    decide: !metric
      ? null
      : criterion.resolution !== undefined
        ? 'again'
        : criterion.outcome === 'inconclusive'
          ? 'first'
          : null,
    withdraw: approval === null ? null : (ownDecision(approval, approverId)?.decision ?? null),
    signOffLink: approval !== null && allowsSignOffLink(approval) && criterion.outcome !== 'passed',
  };
}

/** Whether there is anything to do about the criterion. */
export function hasControls(controls: CriterionControls): boolean {
  return controls.decide !== null || controls.withdraw !== null || controls.signOffLink;
}
