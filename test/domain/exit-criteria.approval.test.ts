import { describe, expect, it } from 'vitest';
import { evaluateApproval } from '../../src/domain/exit-criteria/approval.js';
import type {
  ApprovalCriterion,
  ApprovalDecision,
  ApprovalPolicy,
} from '../../src/domain/exit-criteria/criterion.js';
import { asCriterionId } from '../../src/domain/ids.js';
import type { Instant } from '../../src/domain/time.js';
import { addMillis, DAY, HOUR } from '../../src/domain/time.js';

const NOW = '2025-03-10T12:00:00.000Z';
const ago = (millis: number): Instant => addMillis(NOW, -millis);

function criterion(policy: Partial<ApprovalPolicy> = {}): ApprovalCriterion {
  return {
    kind: 'approval',
    id: asCriterionId('demo-approved'),
    description: 'Demo approved by the customer team',
    policy: { roles: ['admin', 'csm'], minApprovals: 1, requiredApprovers: [], ...policy },
  };
}

function decision(
  approverId: string,
  kind: ApprovalDecision['decision'],
  at: Instant,
  extra: Partial<ApprovalDecision> = {},
): ApprovalDecision {
  return {
    criterionId: asCriterionId('demo-approved'),
    approverId,
    role: 'admin',
    decision: kind,
    at,
    ...extra,
  };
}

describe('evaluateApproval', () => {
  it('passes with one approval from an allowed role and says who approved', () => {
    const result = evaluateApproval(criterion(), [decision('alice', 'approved', ago(HOUR))], NOW);
    expect(result).toEqual({
      criterionId: 'demo-approved',
      description: 'Demo approved by the customer team',
      source: 'approval',
      outcome: 'passed',
      reason: 'approved by alice (1 of 1 approvals)',
      evaluatedAt: NOW,
      approvedBy: ['alice'],
      rejectedBy: [],
    });
  });

  it('fails without decisions', () => {
    const result = evaluateApproval(criterion(), [], NOW);
    expect(result.outcome).toBe('failed');
    expect(result.reason).toBe('0 of 1 approvals');
  });

  it('counts only decisions for this criterion', () => {
    const elsewhere = decision('alice', 'approved', ago(HOUR), {
      criterionId: asCriterionId('other'),
    });
    expect(evaluateApproval(criterion(), [elsewhere], NOW).outcome).toBe('failed');
  });

  it('ignores decisions by roles the policy does not allow, and says so', () => {
    const viewer = decision('eve', 'approved', ago(HOUR), { role: 'viewer' });
    const viewerRejects = decision('mallory', 'rejected', ago(HOUR), { role: 'viewer' });
    const result = evaluateApproval(criterion(), [viewer, viewerRejects], NOW);
    expect(result).toMatchObject({ outcome: 'failed', approvedBy: [], rejectedBy: [] });
    expect(result.reason).toBe(
      '0 of 1 approvals; not counted (role not allowed): eve as viewer, mallory as viewer',
    );
  });

  it('needs minApprovals distinct approvers; duplicates by one approver count once', () => {
    const policy = { minApprovals: 2 };
    const twiceByAlice = [
      decision('alice', 'approved', ago(2 * HOUR)),
      decision('alice', 'approved', ago(HOUR)),
    ];
    const once = evaluateApproval(criterion(policy), twiceByAlice, NOW);
    expect(once).toMatchObject({ outcome: 'failed', reason: '1 of 2 approvals' });
    expect(once.approvedBy).toEqual(['alice']);
    const withBob = [...twiceByAlice, decision('bob', 'approved', ago(HOUR), { role: 'csm' })];
    expect(evaluateApproval(criterion(policy), withBob, NOW)).toMatchObject({
      outcome: 'passed',
      approvedBy: ['alice', 'bob'],
    });
  });

  it('waits for every required approver', () => {
    const policy = { minApprovals: 2, requiredApprovers: ['alice'] };
    const bobOnly = [decision('bob', 'approved', ago(HOUR))];
    expect(evaluateApproval(criterion(policy), bobOnly, NOW).reason).toBe(
      '1 of 2 approvals; waiting for required approver alice',
    );
    const bobAndCarol = [...bobOnly, decision('carol', 'approved', ago(HOUR))];
    expect(evaluateApproval(criterion(policy), bobAndCarol, NOW)).toMatchObject({
      outcome: 'failed',
      reason: '2 of 2 approvals; waiting for required approver alice',
    });
    const all = [...bobAndCarol, decision('alice', 'approved', ago(HOUR))];
    expect(evaluateApproval(criterion(policy), all, NOW).outcome).toBe('passed');
  });

  it('does not count approvals older than expiresAfter, and says they expired', () => {
    const policy = { expiresAfter: DAY };
    const stale = [decision('alice', 'approved', ago(DAY + 1))];
    const result = evaluateApproval(criterion(policy), stale, NOW);
    expect(result).toMatchObject({ outcome: 'failed', approvedBy: [] });
    expect(result.reason).toBe(
      '0 of 1 approvals; the approval by alice expired (given 1d1ms ago, valid for 1d)',
    );
    const exactlyAtLimit = [decision('alice', 'approved', ago(DAY))];
    expect(evaluateApproval(criterion(policy), exactlyAtLimit, NOW).outcome).toBe('passed');
  });

  it('blocks on a rejection, naming who and why, even when enough approved', () => {
    const decisions = [
      decision('alice', 'approved', ago(HOUR)),
      decision('bob', 'rejected', ago(HOUR), { comment: 'demo data is wrong' }),
    ];
    expect(evaluateApproval(criterion(), decisions, NOW)).toMatchObject({
      outcome: 'failed',
      reason: 'rejected by bob: demo data is wrong',
      approvedBy: ['alice'],
      rejectedBy: ['bob'],
    });
  });

  it('lifts a rejection when the same approver later approves', () => {
    const decisions = [
      decision('bob', 'rejected', ago(2 * HOUR), { comment: 'not yet' }),
      decision('bob', 'approved', ago(HOUR)),
    ];
    expect(evaluateApproval(criterion(), decisions, NOW)).toMatchObject({
      outcome: 'passed',
      approvedBy: ['bob'],
      rejectedBy: [],
    });
  });

  it('takes the latest decision by time, not by list order', () => {
    const decisions = [
      decision('bob', 'approved', ago(HOUR)),
      decision('bob', 'rejected', ago(2 * HOUR), { comment: 'not yet' }),
    ];
    expect(evaluateApproval(criterion(), decisions, NOW).outcome).toBe('passed');
  });

  it('lets a later rejection withdraw an approval', () => {
    const decisions = [
      decision('bob', 'approved', ago(2 * HOUR)),
      decision('bob', 'rejected', ago(HOUR)),
    ];
    expect(evaluateApproval(criterion(), decisions, NOW)).toMatchObject({
      outcome: 'failed',
      reason: 'rejected by bob',
      approvedBy: [],
    });
  });

  it('does not block on an expired rejection or one by a role not allowed', () => {
    const policy = { expiresAfter: DAY };
    const decisions = [
      decision('alice', 'approved', ago(HOUR)),
      decision('bob', 'rejected', ago(2 * DAY)),
      decision('eve', 'rejected', ago(HOUR), { role: 'viewer' }),
    ];
    expect(evaluateApproval(criterion(policy), decisions, NOW)).toMatchObject({
      outcome: 'passed',
      rejectedBy: [],
    });
  });

  it('lets a later decision in a role not allowed withdraw, but not replace, an approval', () => {
    // The latest decision is the approver's current position; one that cannot count leaves
    // them counting for nothing rather than reviving the decision it replaced.
    const decisions = [
      decision('alice', 'approved', ago(2 * HOUR)),
      decision('alice', 'approved', ago(HOUR), { role: 'viewer' }),
    ];
    expect(evaluateApproval(criterion(), decisions, NOW)).toMatchObject({
      outcome: 'failed',
      approvedBy: [],
    });
  });

  it('passes a policy that needs no approvals', () => {
    expect(evaluateApproval(criterion({ minApprovals: 0 }), [], NOW)).toMatchObject({
      outcome: 'passed',
      reason: '0 of 0 approvals; none needed',
    });
  });
});
