import { describe, expect, it } from 'vitest';
import type {
  ApprovalReadiness,
  CriterionReadiness,
  Readiness,
} from '../../src/web/api/control-types.js';
import {
  allowsSignOffLink,
  approvalNeeds,
  criterionControls,
  hasControls,
  mayDecideApproval,
  ownDecision,
  timeLeft,
  windowText,
} from '../../src/web/model/readiness.js';

const approval = (extra: Partial<ApprovalReadiness> = {}): ApprovalReadiness => ({
  policy: {
    roles: ['client', 'operator'],
    minApprovals: 2,
    requiredApprovers: [],
    expiresAfterMs: null,
  },
  approvedBy: [],
  rejectedBy: [],
  approvalsNeeded: 2,
  missingApprovers: [],
  decisions: [],
  openSignOffLinks: [],
  ...extra,
});

const readiness = (a: ApprovalReadiness): Readiness =>
  ({
    criteria: [{ criterionId: 'demo', approval: a }],
  }) as unknown as Readiness;

describe('approval readiness', () => {
  it("follows the criterion's policy, and leaves an unknown one to the API", () => {
    const r = readiness(approval());
    expect(mayDecideApproval(r, 'demo', 'operator')).toBe(true);
    expect(mayDecideApproval(r, 'demo', 'admin')).toBe(false);
    expect(mayDecideApproval(r, 'other', 'admin')).toBe(true);
    expect(mayDecideApproval(null, 'demo', 'admin')).toBe(true);
  });

  it("finds the caller's latest own decision", () => {
    const decision = (approverId: string, d: 'approved' | 'rejected', at: string) => ({
      approverId,
      role: 'operator',
      decision: d,
      at,
      counts: true,
      expired: false,
      expiresAt: null,
    });
    const a = approval({
      decisions: [
        decision('otto', 'rejected', '2026-01-01T00:00:00Z'),
        decision('ada', 'approved', '2026-01-01T00:01:00Z'),
        decision('otto', 'approved', '2026-01-01T00:02:00Z'),
      ],
    });
    expect(ownDecision(a, 'otto')?.decision).toBe('approved');
    expect(ownDecision(a, 'vera')).toBeNull();
  });

  it('offers a sign-off link only when the policy lets the client decide', () => {
    expect(allowsSignOffLink(approval())).toBe(true);
    expect(
      allowsSignOffLink(
        approval({
          policy: {
            roles: ['admin'],
            minApprovals: 1,
            requiredApprovers: [],
            expiresAfterMs: null,
          },
        }),
      ),
    ).toBe(false);
  });

  it('says who may decide and what is still needed', () => {
    expect(approvalNeeds(approval({ missingApprovers: ['cfo'], approvalsNeeded: 1 }))).toBe(
      'client, operator may decide · 1 more approval needed · still needed from cfo',
    );
    expect(approvalNeeds(approval({ approvalsNeeded: 0 }))).toBe('client, operator may decide');
  });
});

describe('time left', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('counts down to an instant, and says now once it passed', () => {
    expect(timeLeft('2026-01-01T00:04:12Z', now)).toBe('in 4m 12s');
    expect(timeLeft('2025-12-31T23:00:00Z', now)).toBe('now');
  });

  it('reads a window: not holding, passing at, or held', () => {
    expect(
      windowText(
        { windowMs: 600_000, holdingSince: null, remainingMs: 600_000, passesAt: null },
        now,
      ),
    ).toBe('not holding; needs 10m');
    expect(
      windowText(
        {
          windowMs: 600_000,
          holdingSince: '2025-12-31T23:55:00Z',
          remainingMs: 300_000,
          passesAt: '2026-01-01T00:05:00Z',
        },
        now,
      ),
    ).toBe('passes in 5m');
  });
});

describe('criterionControls', () => {
  const criterion = (extra: Partial<CriterionReadiness>): CriterionReadiness => ({
    criterionId: 'c',
    description: 'C',
    source: 'agent',
    outcome: 'passed',
    reason: '',
    evaluatedAt: '2026-01-01T00:00:00Z',
    kind: 'metric',
    window: null,
    approval: null,
    ...extra,
  });

  it('offers a decision on an inconclusive reading, and again once decided', () => {
    expect(criterionControls(criterion({ outcome: 'inconclusive' }), 'otto').decide).toBe('first');
    const resolution = { decision: 'accept', reason: 'r', decidedBy: 'otto', at: 'x' } as const;
    expect(criterionControls(criterion({ resolution }), 'otto').decide).toBe('again');
    expect(hasControls(criterionControls(criterion({}), 'otto'))).toBe(false);
  });

  it('offers withdrawing one’s own decision and a sign-off link on an approval criterion', () => {
    const decided = approval({
      decisions: [
        {
          approverId: 'otto',
          role: 'operator',
          decision: 'rejected',
          at: 'x',
          counts: true,
          expired: false,
          expiresAt: null,
        },
      ],
    });
    const controls = criterionControls(
      criterion({ kind: 'approval', source: 'approval', outcome: 'failed', approval: decided }),
      'otto',
    );
    expect(controls).toEqual({ decide: null, withdraw: 'rejected', signOffLink: true });
    expect(
      criterionControls(
        criterion({ kind: 'approval', source: 'approval', outcome: 'passed', approval: decided }),
        'ada',
      ),
    ).toEqual({ decide: null, withdraw: null, signOffLink: false });
  });
});
