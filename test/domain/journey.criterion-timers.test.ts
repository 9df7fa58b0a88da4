import { describe, expect, it } from 'vitest';
import type {
  ApprovalCriterion,
  CriterionResult,
  MetricCriterion,
} from '../../src/domain/exit-criteria/criterion.js';
import { asCriterionId } from '../../src/domain/ids.js';
import { decideJourney } from '../../src/domain/journey/decide.js';
import type { JourneyEvent } from '../../src/domain/journey/events.js';
import { evolveJourney, initialJourneyState } from '../../src/domain/journey/state.js';
import { nextReminderAt } from '../../src/domain/journey/waits.js';
import { HOUR } from '../../src/domain/time.js';
import { deciderSpec } from '../support/decider-spec.js';
import {
  demoApproval,
  inSandboxReady,
  later,
  promoted,
  result,
  T0,
} from '../support/journey-fixtures.js';

const { given, fold } = deciderSpec({
  decide: decideJourney,
  evolve: evolveJourney,
  initialState: initialJourneyState,
});

const reminded: ApprovalCriterion = {
  ...demoApproval,
  policy: { ...demoApproval.policy, requiredApprovers: ['carol'] },
  reminder: { after: 24 * HOUR, every: 12 * HOUR },
};

const searchQuality = (onDeadline: 'escalate' | 'accept' | 'reject'): MetricCriterion => ({
  id: asCriterionId('search_quality'),
  description: 'Search quality > 80%',
  kind: 'metric',
  source: { type: 'agent', intent: 'measure_search_quality' },
  comparator: 'gt',
  threshold: 80,
  inconclusiveDeadline: { after: 4 * HOUR, onDeadline },
});

const approvalResult = (
  outcome: 'passed' | 'failed',
  rejectedBy: string[] = [],
): CriterionResult => ({
  ...result('demo_approved', outcome, outcome === 'passed' ? 'approved' : '0 of 1 approvals'),
  source: 'approval',
  approvedBy: outcome === 'passed' ? ['carol'] : [],
  rejectedBy,
});

/** An evaluation recorded `minutes` after T0 with these results. */
const evaluatedAt = (minutes: number, ...results: CriterionResult[]): JourneyEvent => ({
  type: 'ExitCriteriaEvaluated',
  stage: 'sandbox',
  evaluation: {
    evaluatedAt: later(minutes),
    results,
    allPassed: results.every((r) => r.outcome === 'passed'),
  },
  trigger: 'recheck',
  at: later(minutes),
});

const remind = (reminder: number, minutes: number, since = T0) =>
  ({
    type: 'remindApproval',
    enteredAt: T0,
    criterion: reminded,
    since,
    reminder,
    at: later(minutes),
  }) as const;

const reminderDue = (reminder: number, minutes: number): JourneyEvent => ({
  type: 'ApprovalReminderDue',
  stage: 'sandbox',
  criterionId: asCriterionId('demo_approved'),
  pendingSince: T0,
  approvalsNeeded: 1,
  missingApprovers: ['carol'],
  allowedRoles: ['client', 'admin'],
  reminder,
  at: later(minutes),
});

const pending = [...inSandboxReady, evaluatedAt(0, approvalResult('failed'))];

describe('criterion waits', () => {
  it('an approval wait starts at the first evaluation finding it pending and lasts through later ones', () => {
    const state = fold(...pending, evaluatedAt(5, approvalResult('failed')));
    expect(state.status === 'started' && state.waits).toEqual([
      { criterionId: 'demo_approved', kind: 'approval', since: T0 },
    ]);
  });

  it('an approval that passes or is rejected ends the wait; pending again starts a new one', () => {
    const passed = fold(...pending, evaluatedAt(5, approvalResult('passed')));
    expect(passed.status === 'started' && passed.waits).toEqual([]);
    const rejected = fold(...pending, evaluatedAt(5, approvalResult('failed', ['carol'])));
    expect(rejected.status === 'started' && rejected.waits).toEqual([]);
    const again = fold(
      ...pending,
      evaluatedAt(5, approvalResult('passed')),
      evaluatedAt(9, approvalResult('failed')),
    );
    expect(again.status === 'started' && again.waits?.[0]?.since).toBe(later(9));
  });

  it('a new stage visit starts with no waits', () => {
    const state = fold(...pending, promoted('sandbox', 'pilot'));
    expect(state.status === 'started' && state.waits).toEqual([]);
  });

  it('the next reminder is remindAfter after the wait began, then remindEvery after the last', () => {
    const wait = { criterionId: asCriterionId('x'), kind: 'approval', since: T0 } as const;
    expect(nextReminderAt(wait, { after: HOUR })).toBe(later(60));
    expect(
      nextReminderAt({ ...wait, reminders: 1, lastReminderAt: later(70) }, { after: HOUR }),
    ).toBe(null);
    expect(
      nextReminderAt(
        { ...wait, reminders: 1, lastReminderAt: later(70) },
        { after: HOUR, every: HOUR },
      ),
    ).toBe(later(130));
  });
});

describe('remindApproval', () => {
  it('records the reminder with what is missing while the approval is pending', () => {
    given(...pending)
      .when(remind(1, 24 * 60))
      .thenEvents([reminderDue(1, 24 * 60)]);
  });

  it('records nothing when run again, for a stale wait or visit, or once approved', () => {
    given(...pending, reminderDue(1, 24 * 60))
      .when(remind(1, 24 * 60))
      .thenEvents([]);
    given(...pending)
      .when(remind(1, 24 * 60, later(-5)))
      .thenEvents([]);
    given(...pending, promoted('sandbox', 'pilot'))
      .when(remind(1, 24 * 60))
      .thenEvents([]);
    // Approved but not evaluated yet: the approvals as they stand count.
    given(...pending, {
      type: 'ApprovalGranted',
      stage: 'sandbox',
      criterionId: asCriterionId('demo_approved'),
      approverId: 'carol',
      role: 'client',
      at: later(60),
    })
      .when(remind(1, 24 * 60))
      .thenEvents([]);
  });

  it('the second reminder follows the first, and counts', () => {
    given(...pending, reminderDue(1, 24 * 60))
      .when(remind(2, 36 * 60))
      .thenEvents([reminderDue(2, 36 * 60)]);
    const state = fold(...pending, reminderDue(1, 24 * 60), reminderDue(2, 36 * 60));
    expect(state.status === 'started' && state.waits?.[0]).toMatchObject({
      reminders: 2,
      lastReminderAt: later(36 * 60),
    });
  });
});

describe('lapseInconclusive', () => {
  const inconclusive = [
    ...inSandboxReady,
    evaluatedAt(0, result('search_quality', 'inconclusive', 'source error: down')),
  ];
  const lapse = (onDeadline: 'escalate' | 'accept' | 'reject', since = T0) =>
    ({
      type: 'lapseInconclusive',
      enteredAt: T0,
      criterion: searchQuality(onDeadline),
      since,
      at: later(240),
    }) as const;

  it('escalates an undecided inconclusive criterion, once', () => {
    const escalated: JourneyEvent = {
      type: 'InconclusiveEscalated',
      stage: 'sandbox',
      criterionId: asCriterionId('search_quality'),
      inconclusiveSince: T0,
      inconclusiveReason: 'source error: down',
      deadline: later(240),
      at: later(240),
    };
    given(...inconclusive)
      .when(lapse('escalate'))
      .thenEvents([escalated]);
    given(...inconclusive, escalated)
      .when(lapse('escalate'))
      .thenEvents([]);
  });

  it('accepts or rejects it as system with the playbook default named', () => {
    const [event] = given(...inconclusive)
      .when(lapse('accept'))
      .thenEvents([
        expect.objectContaining({
          type: 'InconclusiveResolved',
          decision: 'accept',
          decidedBy: 'system',
          inconclusiveReason: 'source error: down',
        }),
      ]);
    expect(event?.type === 'InconclusiveResolved' && event.reason).toMatch(
      /inconclusiveDeadline of 4h.*onDeadline: accept/,
    );
    given(...inconclusive, event!)
      .when(lapse('accept'))
      .thenEvents([]);
  });

  it("a person's decision before the deadline wins", () => {
    given(...inconclusive, {
      type: 'InconclusiveResolved',
      stage: 'sandbox',
      criterionId: asCriterionId('search_quality'),
      decision: 'reject',
      reason: 'cannot promote blind',
      decidedBy: 'otto',
      inconclusiveReason: 'source error: down',
      at: later(30),
    })
      .when(lapse('accept'))
      .thenEvents([]);
  });

  it('a definite result ends the streak: the old deadline does nothing, a new one belongs to the next', () => {
    const restarted = [
      ...inconclusive,
      evaluatedAt(60, result('search_quality', 'passed')),
      evaluatedAt(120, result('search_quality', 'inconclusive', 'no data')),
    ];
    given(...restarted)
      .when(lapse('escalate'))
      .thenEvents([]);
    given(...restarted)
      .when(lapse('escalate', later(120)))
      .thenEvents([expect.objectContaining({ inconclusiveSince: later(120) })]);
  });
});
