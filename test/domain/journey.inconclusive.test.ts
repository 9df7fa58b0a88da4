import { describe, expect, it } from 'vitest';
import type { MetricCriterion } from '../../src/domain/exit-criteria/criterion.js';
import { evaluateExitCriteria } from '../../src/domain/exit-criteria/evaluate.js';
import { asCriterionId } from '../../src/domain/ids.js';
import { decideJourney } from '../../src/domain/journey/decide.js';
import type { JourneyEvent } from '../../src/domain/journey/events.js';
import { evolveJourney, initialJourneyState } from '../../src/domain/journey/state.js';
import { journeyStatus } from '../../src/domain/journey/status.js';
import { deciderSpec } from '../support/decider-spec.js';
import {
  demoApproval,
  evaluation,
  inPilotReady,
  inSandboxReady,
  later,
  promoted,
  rollbackInitiated,
  setupWork,
  started,
  T0,
} from '../support/journey-fixtures.js';

const { given, fold } = deciderSpec({
  decide: decideJourney,
  evolve: evolveJourney,
  initialState: initialJourneyState,
});

const searchQuality: MetricCriterion = {
  id: asCriterionId('search_quality'),
  description: 'Search quality > 80%',
  kind: 'metric',
  source: { type: 'agent', intent: 'measure_search_quality' },
  comparator: 'gt',
  threshold: 80,
  greyBand: { from: 78, to: 82 },
};

const evaluated = (
  ...outcomes: Parameters<typeof evaluation>
): Extract<JourneyEvent, { type: 'ExitCriteriaEvaluated' }> => ({
  type: 'ExitCriteriaEvaluated',
  stage: 'sandbox',
  evaluation: evaluation(...outcomes),
  trigger: 'recheck',
  at: T0,
});

const inconclusiveGate = evaluated(['search_quality', 'inconclusive'], ['demo_approved', 'passed']);

const decide = (decision: 'accept' | 'reject', criterionId = 'search_quality') =>
  ({
    type: 'resolveInconclusive',
    criterionId: asCriterionId(criterionId),
    criterion: criterionId === 'demo_approved' ? demoApproval : searchQuality,
    decision,
    reason: 'the quality service is down; last week it read 91%',
    decidedBy: 'otto',
    at: later(5),
  }) as const;

const resolved = (
  decision: 'accept' | 'reject',
): Extract<JourneyEvent, { type: 'InconclusiveResolved' }> => ({
  type: 'InconclusiveResolved',
  stage: 'sandbox',
  criterionId: asCriterionId('search_quality'),
  decision,
  reason: 'the quality service is down; last week it read 91%',
  decidedBy: 'otto',
  inconclusiveReason: 'search_quality inconclusive',
  at: later(5),
});

describe('journey: resolveInconclusive', () => {
  it('given an inconclusive criterion, when an operator accepts it, then InconclusiveResolved is recorded', () => {
    given(...inSandboxReady, inconclusiveGate)
      .when(decide('accept'))
      .thenEvents([resolved('accept')]);
  });

  it('given an inconclusive criterion, when an operator rejects it, then the rejection is recorded', () => {
    given(...inSandboxReady, inconclusiveGate)
      .when(decide('reject'))
      .thenEvents([resolved('reject')]);
  });

  it('given a criterion decided earlier and still inconclusive, when decided again, then the new decision is recorded', () => {
    const state = fold(...inSandboxReady, inconclusiveGate, resolved('accept'));
    expect(state.status === 'started' && state.resolutions).toEqual([
      expect.objectContaining({ criterionId: 'search_quality', decision: 'accept' }),
    ]);
    const reEvaluated = evaluateExitCriteria({
      criteria: [searchQuality],
      observations: { search_quality: { observedAt: T0, error: 'timeout' } },
      approvals: [],
      resolutions: state.status === 'started' ? (state.resolutions ?? []) : [],
      now: later(6),
    });
    const event: JourneyEvent = {
      type: 'ExitCriteriaEvaluated',
      stage: 'sandbox',
      evaluation: reEvaluated,
      trigger: 'inconclusive_resolved',
      at: later(6),
    };
    given(...inSandboxReady, inconclusiveGate, resolved('accept'), event)
      .when(decide('reject'))
      .thenEvents([
        {
          ...resolved('reject'),
          inconclusiveReason:
            'source error: timeout; accepted by otto: the quality service is down; last week it read 91%',
        },
      ]);
  });

  it('refuses a criterion that passed or failed: CRITERION_NOT_INCONCLUSIVE', () => {
    given(...inSandboxReady, evaluated(['search_quality', 'failed']))
      .when(decide('accept'))
      .thenError('CRITERION_NOT_INCONCLUSIVE');
    given(...inSandboxReady, evaluated(['search_quality', 'passed'], ['demo_approved', 'failed']))
      .when(decide('accept', 'demo_approved'))
      .thenError('CRITERION_NOT_INCONCLUSIVE');
  });

  it('refuses a criterion the stage does not have: UNKNOWN_CRITERION', () => {
    given(...inSandboxReady, inconclusiveGate)
      .when({ ...decide('accept'), criterionId: asCriterionId('nope'), criterion: undefined })
      .thenError('UNKNOWN_CRITERION');
  });

  it('refuses when the journey is not waiting on its gate: GATE_NOT_WAITING', () => {
    // Setup still running.
    given(started).when(decide('accept')).thenError('GATE_NOT_WAITING');
    // Not evaluated in this visit yet.
    given(...inSandboxReady)
      .when(decide('accept'))
      .thenError('GATE_NOT_WAITING');
    // Rolling back.
    given(...inPilotReady, rollbackInitiated('pilot', 'sandbox'))
      .when(decide('accept'))
      .thenError('GATE_NOT_WAITING');
  });

  it('refuses on an ended journey: JOURNEY_TERMINAL', () => {
    const cancelled: JourneyEvent = {
      type: 'JourneyCancelled',
      fromStage: 'sandbox',
      reason: 'client left',
      cancelledBy: 'otto',
      at: T0,
    };
    given(...inSandboxReady, inconclusiveGate, cancelled)
      .when(decide('accept'))
      .thenError('JOURNEY_TERMINAL');
  });

  it('a new stage visit starts without decisions, like approvals', () => {
    const state = fold(
      ...inSandboxReady,
      inconclusiveGate,
      resolved('accept'),
      promoted('sandbox', 'pilot'),
    );
    expect(state.status === 'started' && state.resolutions).toEqual([]);
    expect(state.status === 'started' && state.setups.pilot?.workId).toBe(setupWork('pilot'));
  });

  it('a definite result drops the decision; an evaluation that applied it keeps it', () => {
    const withDecision = [...inSandboxReady, inconclusiveGate, resolved('accept')];
    const definite = fold(...withDecision, evaluated(['search_quality', 'passed']));
    expect(definite.status === 'started' && definite.resolutions).toEqual([]);
  });

  it('the status says which criterion blocks and that a person must decide', () => {
    const status = journeyStatus(fold(...inSandboxReady, inconclusiveGate));
    expect(status).toMatchObject({
      kind: 'blocked',
      reasons: [{ kind: 'criterion', criterionId: 'search_quality', outcome: 'inconclusive' }],
    });
    expect(status.kind === 'blocked' && status.summary).toMatch(
      /^search_quality inconclusive: .*waiting for an operator to accept or reject it$/,
    );
  });
});

describe('exit criteria with decisions on inconclusive readings', () => {
  const input = (value: number | null, error?: string) => ({
    criteria: [searchQuality],
    observations: {
      search_quality: { observedAt: T0, value, ...(error === undefined ? {} : { error }) },
    },
    approvals: [],
    now: later(10),
  });
  const accepted = {
    criterionId: asCriterionId('search_quality'),
    decision: 'accept',
    reason: 'known outage',
    decidedBy: 'otto',
    at: later(5),
  } as const;

  it('an accepted inconclusive criterion passes while it stays inconclusive', () => {
    for (const observation of [input(null), input(80), input(90, 'HTTP 503')]) {
      const result = evaluateExitCriteria({ ...observation, resolutions: [accepted] });
      expect(result.allPassed).toBe(true);
      expect(result.results[0]).toMatchObject({
        outcome: 'passed',
        resolution: { decision: 'accept', reason: 'known outage', decidedBy: 'otto' },
      });
      expect(result.results[0]?.reason).toMatch(/; accepted by otto: known outage$/);
    }
  });

  it('a rejected one fails', () => {
    const result = evaluateExitCriteria({
      ...input(80),
      resolutions: [{ ...accepted, decision: 'reject' }],
    });
    expect(result.allPassed).toBe(false);
    expect(result.results[0]).toMatchObject({
      outcome: 'failed',
      resolution: { decision: 'reject' },
    });
  });

  it('a definite result wins over the decision', () => {
    const failed = evaluateExitCriteria({ ...input(50), resolutions: [accepted] });
    expect(failed.results[0]).toMatchObject({ outcome: 'failed' });
    expect(failed.results[0]?.resolution).toBeUndefined();
    const passed = evaluateExitCriteria({
      ...input(95),
      resolutions: [{ ...accepted, decision: 'reject' }],
    });
    expect(passed.results[0]).toMatchObject({ outcome: 'passed' });
    expect(passed.results[0]?.resolution).toBeUndefined();
  });

  it('the latest decision counts', () => {
    const result = evaluateExitCriteria({
      ...input(null),
      resolutions: [accepted, { ...accepted, decision: 'reject', at: later(7) }],
    });
    expect(result.results[0]?.outcome).toBe('failed');
  });
});
