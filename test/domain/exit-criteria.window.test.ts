import { describe, expect, it } from 'vitest';
import type {
  CriterionResult,
  MetricCriterion,
  Observation,
} from '../../src/domain/exit-criteria/criterion.js';
import { evaluateExitCriteria } from '../../src/domain/exit-criteria/evaluate.js';
import { applyWindow } from '../../src/domain/exit-criteria/window.js';
import { asCriterionId } from '../../src/domain/ids.js';
import type { Instant } from '../../src/domain/time.js';
import { addMillis, DAY, HOUR } from '../../src/domain/time.js';

const START = '2025-03-01T00:00:00.000Z';
const day = (n: number): Instant => addMillis(START, n * DAY);

/** "No critical bugs in 7 days": the open critical bug count must stay at 0 for a week. */
const noCriticalBugs: MetricCriterion = {
  kind: 'metric',
  id: asCriterionId('no-critical-bugs'),
  description: 'No critical bugs in 7 days',
  source: { type: 'agent', intent: 'count_critical_bugs' },
  comparator: 'eq',
  threshold: 0,
  window: 7 * DAY,
};

function step(observation: Observation | undefined, now: Instant, previous?: CriterionResult) {
  const evaluation = evaluateExitCriteria({
    criteria: [noCriticalBugs],
    observations: observation === undefined ? {} : { 'no-critical-bugs': observation },
    approvals: [],
    now,
    ...(previous === undefined ? {} : { previous: [previous] }),
  });
  const [result] = evaluation.results;
  if (result === undefined) {
    throw new Error('expected one result');
  }
  return result;
}

/** Observes `value` at the start of each given day, threading each result into the next. */
function run(readings: readonly [number, Observation | undefined][]): CriterionResult[] {
  const results: CriterionResult[] = [];
  for (const [n, observation] of readings) {
    results.push(step(observation, day(n), results.at(-1)));
  }
  return results;
}

const zero = (n: number): Observation => ({ value: 0, observedAt: day(n) });

describe('windowed criteria', () => {
  it('fails while the window fills, then passes once it has held for the whole window', () => {
    const results = run([
      [0, zero(0)],
      [2, zero(2)],
      [6, zero(6)],
      [7, zero(7)],
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['failed', 'failed', 'failed', 'passed']);
    expect(results.every((r) => r.holdingSince === day(0))).toBe(true);
    expect(results[1]?.reason).toBe('0 is = 0; held 2d of 7d, 5d to go');
    expect(results[1]?.windowRemaining).toBe(5 * DAY);
    expect(results[3]?.windowRemaining).toBe(0);
    expect(results[3]?.reason).toBe('0 is = 0; held 7d of 7d');
  });

  it('restarts the clock on a breach', () => {
    const results = run([
      [0, zero(0)],
      [5, { value: 1, observedAt: day(5) }],
      [6, zero(6)],
      [12, zero(12)],
      [13, zero(13)],
    ]);
    expect(results.map((r) => r.outcome)).toEqual([
      'failed',
      'failed',
      'failed',
      'failed',
      'passed',
    ]);
    expect(results[1]).toMatchObject({
      holdingSince: null,
      windowRemaining: 7 * DAY,
      reason: '1 is not = 0; the 7d window restarts',
    });
    expect(results[2]?.holdingSince).toBe(day(6));
    expect(results[3]?.reason).toBe('0 is = 0; held 6d of 7d, 1d to go');
  });

  it('keeps the clock through a source error or missing data, but never passes then', () => {
    const results = run([
      [0, zero(0)],
      [3, { error: 'bug tracker unreachable', observedAt: day(3) }],
      [7, undefined],
      [8, zero(8)],
    ]);
    expect(results.map((r) => r.outcome)).toEqual([
      'failed',
      'inconclusive',
      'inconclusive',
      'passed',
    ]);
    expect(results.map((r) => r.holdingSince)).toEqual([day(0), day(0), day(0), day(0)]);
    expect(results[1]?.reason).toBe(
      `source error: bug tracker unreachable; the 7d window keeps counting from ${day(0)}`,
    );
  });

  it('keeps a restarted clock restarted through missing data', () => {
    const results = run([
      [0, { value: 2, observedAt: day(0) }],
      [1, undefined],
      [2, zero(2)],
    ]);
    expect(results.map((r) => r.holdingSince)).toEqual([null, null, day(2)]);
  });

  it('starts from the source heldSince when it knows when the last breach ended', () => {
    const [result] = run([[10, { value: 0, observedAt: day(10), heldSince: day(1) }]]);
    expect(result).toMatchObject({ outcome: 'passed', holdingSince: day(1) });
  });

  it('lets a later heldSince restart a clock we were keeping (a breach we did not sample)', () => {
    const results = run([
      [0, zero(0)],
      [8, { value: 0, observedAt: day(8), heldSince: day(4) }],
    ]);
    expect(results[1]).toMatchObject({ outcome: 'failed', holdingSince: day(4) });
    expect(results[1]?.reason).toBe('0 is = 0; held 4d of 7d, 3d to go');
  });

  it('does not let an earlier heldSince extend the clock we kept', () => {
    const results = run([
      [3, zero(3)],
      [8, { value: 0, observedAt: day(8), heldSince: day(0) }],
    ]);
    expect(results[1]).toMatchObject({ outcome: 'failed', holdingSince: day(3) });
  });

  it('does not let a stale heldSince reach back before a breach we saw', () => {
    const results = run([
      [5, { value: 1, observedAt: day(5) }],
      [9, { value: 0, observedAt: day(9), heldSince: day(0) }],
    ]);
    expect(results[1]?.holdingSince).toBe(day(5));
  });

  it('ignores previous results of other criteria', () => {
    const other: CriterionResult = {
      criterionId: asCriterionId('other'),
      description: 'other',
      source: 'http',
      outcome: 'failed',
      reason: 'x',
      evaluatedAt: day(0),
      holdingSince: day(0),
    };
    expect(step(zero(3), day(3), other).holdingSince).toBe(day(3));
  });
});

describe('applyWindow', () => {
  it('passes at once for a zero window that holds', () => {
    expect(applyWindow({ window: 0, condition: 'holds', now: day(0) })).toMatchObject({
      outcome: 'passed',
      holdingSince: day(0),
    });
  });

  it('does not pass before a holdingSince in the future (a skewed source clock)', () => {
    const verdict = applyWindow({
      window: HOUR,
      condition: 'holds',
      heldSince: day(1),
      observedAt: day(0),
      now: day(0),
    });
    expect(verdict).toEqual({
      outcome: 'failed',
      holdingSince: day(1),
      windowRemaining: DAY + HOUR,
      note: 'held 0s of 1h, 1d1h to go',
    });
    const zeroWindow = applyWindow({
      window: 0,
      condition: 'holds',
      heldSince: day(1),
      now: day(0),
    });
    expect(zeroWindow.outcome).toBe('failed');
  });

  it('omits holdingSince when nothing is known yet', () => {
    expect(applyWindow({ window: HOUR, condition: 'unknown', now: day(0) })).toEqual({
      outcome: 'inconclusive',
      note: 'the 1h window cannot start without a reading',
    });
  });
});
