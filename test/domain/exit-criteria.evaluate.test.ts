import { describe, expect, it } from 'vitest';
import type {
  ApprovalCriterion,
  MetricCriterion,
  Observation,
} from '../../src/domain/exit-criteria/criterion.js';
import {
  evaluateExitCriteria,
  failingResults,
  summarizeEvaluation,
} from '../../src/domain/exit-criteria/evaluate.js';
import { asCriterionId } from '../../src/domain/ids.js';

const NOW = '2025-03-10T12:00:00.000Z';
const EARLIER = '2025-03-10T11:59:00.000Z';

function metric(overrides: Partial<MetricCriterion> = {}): MetricCriterion {
  return {
    kind: 'metric',
    id: asCriterionId('search-quality'),
    description: 'Search quality above 80%',
    source: { type: 'http', url: 'https://metrics.example/q', jsonPath: '$.quality' },
    comparator: 'gt',
    threshold: 80,
    unit: '%',
    ...overrides,
  };
}

function evaluateOne(criterion: MetricCriterion, observation?: Observation) {
  const evaluation = evaluateExitCriteria({
    criteria: [criterion],
    observations: observation === undefined ? {} : { [criterion.id]: observation },
    approvals: [],
    now: NOW,
  });
  const [result] = evaluation.results;
  if (result === undefined) {
    throw new Error('expected one result');
  }
  return result;
}

describe('evaluateExitCriteria: metric thresholds', () => {
  it('passes a value on the right side and keeps the evidence', () => {
    expect(evaluateOne(metric(), { value: 85, observedAt: EARLIER })).toEqual({
      criterionId: 'search-quality',
      description: 'Search quality above 80%',
      source: 'http',
      outcome: 'passed',
      reason: '85 is > 80 (%)',
      evaluatedAt: NOW,
      observed: 85,
      observedAt: EARLIER,
      comparator: 'gt',
      threshold: 80,
    });
  });

  it('fails a value on the wrong side, naming both values', () => {
    const result = evaluateOne(metric(), { value: 78, observedAt: EARLIER });
    expect(result.outcome).toBe('failed');
    expect(result.reason).toBe('78 is not > 80 (%)');
  });

  it('fails at the boundary of a strict comparator and passes a non-strict one', () => {
    expect(evaluateOne(metric(), { value: 80, observedAt: EARLIER }).outcome).toBe('failed');
    const gte = metric({ comparator: 'gte' });
    expect(evaluateOne(gte, { value: 80, observedAt: EARLIER }).outcome).toBe('passed');
  });

  it('leaves the unit out of the reason when there is none', () => {
    const { unit: _unit, ...noUnit } = metric();
    expect(evaluateOne(noUnit, { value: 78, observedAt: EARLIER }).reason).toBe('78 is not > 80');
  });

  it('compares yes/no facts with eq', () => {
    const { unit: _unit, ...criterion } = metric({ comparator: 'eq', threshold: true });
    expect(evaluateOne(criterion, { value: true, observedAt: EARLIER }).outcome).toBe('passed');
    const failed = evaluateOne(criterion, { value: false, observedAt: EARLIER });
    expect(failed.outcome).toBe('failed');
    expect(failed.reason).toBe('false is not = true');
  });
});

describe('evaluateExitCriteria: grey band', () => {
  const banded = metric({ greyBand: { from: 78, to: 82 } });

  it('is inconclusive inside the closed band, whatever the comparator says', () => {
    for (const value of [78, 80, 81, 82]) {
      const result = evaluateOne(banded, { value, observedAt: EARLIER });
      expect(result.outcome).toBe('inconclusive');
      expect(result.reason).toBe(`${value} is inside the grey band [78, 82] (%): a person decides`);
    }
  });

  it('lets the comparator decide outside the band', () => {
    expect(evaluateOne(banded, { value: 77.9, observedAt: EARLIER }).outcome).toBe('failed');
    expect(evaluateOne(banded, { value: 82.1, observedAt: EARLIER }).outcome).toBe('passed');
  });
});

describe('evaluateExitCriteria: no usable reading is inconclusive', () => {
  it('a source error, ignoring any value it carried', () => {
    const result = evaluateOne(metric(), { value: 99, error: 'timeout', observedAt: EARLIER });
    expect(result).toMatchObject({
      outcome: 'inconclusive',
      reason: 'source error: timeout',
      error: 'timeout',
      observedAt: EARLIER,
    });
    expect(result).not.toHaveProperty('observed');
  });

  it('no observation at all', () => {
    const result = evaluateOne(metric());
    expect(result.outcome).toBe('inconclusive');
    expect(result.reason).toMatch(/^not observed/);
    expect(result).not.toHaveProperty('observedAt');
  });

  it('a null or absent value', () => {
    for (const observation of [{ value: null, observedAt: EARLIER }, { observedAt: EARLIER }]) {
      const result = evaluateOne(metric(), observation);
      expect(result.outcome).toBe('inconclusive');
      expect(result.reason).toMatch(/^no data/);
      expect(result.observed).toBeNull();
    }
  });

  it('a boolean where a number is expected, and the reverse', () => {
    const numeric = evaluateOne(metric(), { value: true, observedAt: EARLIER });
    expect(numeric.outcome).toBe('inconclusive');
    expect(numeric.reason).toBe('unusable value: expected a number, got true');
    const yesNo = metric({ comparator: 'eq', threshold: true });
    const flipped = evaluateOne(yesNo, { value: 1, observedAt: EARLIER });
    expect(flipped.outcome).toBe('inconclusive');
    expect(flipped.reason).toBe('unusable value: expected a boolean, got 1');
  });

  it('NaN and Infinity, stored as null so the evidence survives JSON', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const result = evaluateOne(metric(), { value, observedAt: EARLIER });
      expect(result.outcome).toBe('inconclusive');
      expect(result.reason).toBe(`unusable value: expected a finite number, got ${value}`);
      expect(result.observed).toBeNull();
    }
  });

  it('does not find observations on the prototype', () => {
    const result = evaluateOne(metric({ id: asCriterionId('constructor') }));
    expect(result.outcome).toBe('inconclusive');
  });
});

describe('evaluateExitCriteria: the whole stage', () => {
  const quality = metric();
  const scan = metric({
    id: asCriterionId('security-scan'),
    description: 'Security scan passed',
    source: { type: 'agent', intent: 'security_scan' },
    comparator: 'eq',
    threshold: true,
  });
  const demo: ApprovalCriterion = {
    kind: 'approval',
    id: asCriterionId('demo-approved'),
    description: 'Demo approved',
    policy: { roles: ['admin'], minApprovals: 1, requiredApprovers: [] },
  };
  const approval = {
    criterionId: demo.id,
    approverId: 'alice',
    role: 'admin',
    decision: 'approved',
    at: EARLIER,
  } as const;

  function evaluate(qualityValue: number, withApproval: boolean) {
    return evaluateExitCriteria({
      criteria: [quality, scan, demo],
      observations: {
        'search-quality': { value: qualityValue, observedAt: EARLIER },
        'security-scan': { value: true, observedAt: EARLIER },
      },
      approvals: withApproval ? [approval] : [],
      now: NOW,
    });
  }

  it('gives one result per criterion in definition order', () => {
    const evaluation = evaluate(85, true);
    expect(evaluation.results.map((r) => r.criterionId)).toEqual([
      'search-quality',
      'security-scan',
      'demo-approved',
    ]);
    expect(evaluation.evaluatedAt).toBe(NOW);
    expect(evaluation.results.every((r) => r.evaluatedAt === NOW)).toBe(true);
    expect(evaluation.results[1]?.source).toBe('agent');
    expect(evaluation.results[2]?.source).toBe('approval');
  });

  it('is allPassed only when every criterion passed', () => {
    expect(evaluate(85, true).allPassed).toBe(true);
    expect(evaluate(78, true).allPassed).toBe(false);
    expect(evaluate(85, false).allPassed).toBe(false);
  });

  it('does not count inconclusive as passed', () => {
    const evaluation = evaluateExitCriteria({
      criteria: [quality],
      observations: { 'search-quality': { error: 'unreachable', observedAt: EARLIER } },
      approvals: [],
      now: NOW,
    });
    expect(evaluation.allPassed).toBe(false);
  });

  it('is allPassed for a stage without criteria', () => {
    const evaluation = evaluateExitCriteria({
      criteria: [],
      observations: {},
      approvals: [],
      now: NOW,
    });
    expect(evaluation).toEqual({ evaluatedAt: NOW, results: [], allPassed: true });
  });

  it('summarizes outcomes and lists what blocks promotion', () => {
    const evaluation = evaluateExitCriteria({
      criteria: [quality, scan, demo],
      observations: { 'search-quality': { value: 70, observedAt: EARLIER } },
      approvals: [approval],
      now: NOW,
    });
    expect(summarizeEvaluation(evaluation)).toEqual({ passed: 1, failed: 1, inconclusive: 1 });
    expect(failingResults(evaluation).map((r) => [r.criterionId, r.outcome])).toEqual([
      ['search-quality', 'failed'],
      ['security-scan', 'inconclusive'],
    ]);
  });
});
