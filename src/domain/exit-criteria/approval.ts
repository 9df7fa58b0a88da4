import type { Instant } from '../time.js';
import { formatDuration, millisBetween, toMillis } from '../time.js';
import type {
  ApprovalCriterion,
  ApprovalDecision,
  ApprovalPolicy,
  CriterionResult,
  Outcome,
} from './criterion.js';

/**
 * The approver's current position: their latest decision on this criterion. Ties on `at` go to
 * the one recorded later, since decisions arrive in the order they were made.
 */
function latestPerApprover(
  criterion: ApprovalCriterion,
  decisions: readonly ApprovalDecision[],
): ApprovalDecision[] {
  const latest = new Map<string, ApprovalDecision>();
  for (const decision of decisions) {
    if (decision.criterionId !== criterion.id) {
      continue;
    }
    const seen = latest.get(decision.approverId);
    if (seen === undefined || toMillis(decision.at) >= toMillis(seen.at)) {
      latest.set(decision.approverId, decision);
    }
  }
  return [...latest.values()];
}

function isExpired(policy: ApprovalPolicy, decision: ApprovalDecision, now: Instant): boolean {
  return policy.expiresAfter !== undefined && millisBetween(decision.at, now) > policy.expiresAfter;
}

function rejectionText(decision: ApprovalDecision): string {
  return decision.comment === undefined || decision.comment === ''
    ? `rejected by ${decision.approverId}`
    : `rejected by ${decision.approverId}: ${decision.comment}`;
}

function listing(ids: readonly string[]): string {
  return ids.join(', ');
}

/**
 * Evaluates an approval criterion from the recorded decisions.
 *
 * Only the latest decision per approver counts, so a later approval lifts that approver's
 * rejection and duplicates count once. That latest decision is then checked: taken in a role
 * the policy does not allow, or older than `expiresAfter`, it counts for nothing (an earlier
 * decision it replaced does not come back). Any counting rejection fails the criterion; otherwise
 * it passes once `minApprovals` distinct approvers approved and every required approver is among
 * them.
 */
export function evaluateApproval(
  criterion: ApprovalCriterion,
  decisions: readonly ApprovalDecision[],
  now: Instant,
): CriterionResult {
  const { policy } = criterion;
  const approvedBy: string[] = [];
  const rejections: ApprovalDecision[] = [];
  const expired: ApprovalDecision[] = [];
  const wrongRole: ApprovalDecision[] = [];
  for (const decision of latestPerApprover(criterion, decisions)) {
    if (!policy.roles.includes(decision.role)) {
      wrongRole.push(decision);
    } else if (isExpired(policy, decision, now)) {
      expired.push(decision);
    } else if (decision.decision === 'approved') {
      approvedBy.push(decision.approverId);
    } else {
      rejections.push(decision);
    }
  }
  const missing = policy.requiredApprovers.filter((id) => !approvedBy.includes(id));
  const enough = approvedBy.length >= policy.minApprovals;
  const count = `${approvedBy.length} of ${policy.minApprovals} approvals`;

  let outcome: Outcome;
  let reason: string;
  if (rejections.length > 0) {
    outcome = 'failed';
    reason = rejections.map(rejectionText).join('; ');
  } else if (enough && missing.length === 0) {
    outcome = 'passed';
    reason =
      approvedBy.length === 0
        ? `${count}; none needed`
        : `approved by ${listing(approvedBy)} (${count})`;
  } else {
    outcome = 'failed';
    const clauses = [count];
    if (missing.length > 0) {
      const noun = missing.length === 1 ? 'approver' : 'approvers';
      clauses.push(`waiting for required ${noun} ${listing(missing)}`);
    }
    for (const decision of expired.filter((d) => d.decision === 'approved')) {
      // Say "expired" so nobody hunts for an approval that was given and simply ran out.
      const age = formatDuration(millisBetween(decision.at, now));
      const validity = formatDuration(policy.expiresAfter ?? 0);
      clauses.push(
        `the approval by ${decision.approverId} expired (given ${age} ago, valid for ${validity})`,
      );
    }
    if (wrongRole.length > 0) {
      const who = wrongRole.map((d) => `${d.approverId} as ${d.role}`);
      clauses.push(`not counted (role not allowed): ${listing(who)}`);
    }
    reason = clauses.join('; ');
  }

  return Object.freeze({
    criterionId: criterion.id,
    description: criterion.description,
    source: 'approval',
    outcome,
    reason,
    evaluatedAt: now,
    approvedBy: Object.freeze(approvedBy),
    rejectedBy: Object.freeze(rejections.map((d) => d.approverId)),
  });
}
