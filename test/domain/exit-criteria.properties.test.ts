import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare } from '../../src/domain/exit-criteria/comparator.js';
import type {
  ApprovalCriterion,
  ApprovalDecision,
  CriterionResult,
  ExitCriterion,
  MetricCriterion,
  Observation,
} from '../../src/domain/exit-criteria/criterion.js';
import { COMPARATORS } from '../../src/domain/exit-criteria/criterion.js';
import type { ExitCriteriaInput } from '../../src/domain/exit-criteria/evaluate.js';
import { evaluateExitCriteria } from '../../src/domain/exit-criteria/evaluate.js';
import { asCriterionId } from '../../src/domain/ids.js';
import { DAY, millisBetween, toInstant, toMillis } from '../../src/domain/time.js';

const BASE = toMillis('2025-01-01T00:00:00.000Z');
const instant = fc.integer({ min: 0, max: 30 * DAY }).map((offset) => toInstant(BASE + offset));

/** Small ranges so values often hit thresholds, bands and each other exactly. */
const smallNumber = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.double({ min: -3, max: 3, noNaN: true }),
);
const anyValue = fc.oneof(
  { weight: 6, arbitrary: smallNumber },
  { weight: 2, arbitrary: fc.boolean() },
  {
    weight: 1,
    arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  },
);

/** Sometimes absent; `rarity` n means absent once in n (fast-check's `freq`). */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, rarity: number) =>
  fc.option(arbitrary, { nil: undefined, freq: rarity });

const metricCriterion = (id: string): fc.Arbitrary<MetricCriterion> =>
  fc
    .tuple(
      fc.constantFrom(...COMPARATORS),
      fc.oneof({ weight: 4, arbitrary: smallNumber }, { weight: 1, arbitrary: fc.boolean() }),
      sometimes(fc.constantFrom('%', '/5'), 2),
      sometimes(fc.tuple(smallNumber, smallNumber), 2),
      sometimes(fc.integer({ min: 0, max: 10 * DAY }), 2),
    )
    .map(([comparator, threshold, unit, band, window]) => ({
      kind: 'metric',
      id: asCriterionId(id),
      description: `criterion ${id}`,
      source: { type: 'prometheus', query: 'up' },
      comparator,
      threshold,
      ...(unit === undefined ? {} : { unit }),
      ...(band === undefined
        ? {}
        : { greyBand: { from: Math.min(...band), to: Math.max(...band) } }),
      ...(window === undefined ? {} : { window }),
    }));

const approvalCriterion = (id: string): fc.Arbitrary<ApprovalCriterion> =>
  fc
    .tuple(
      fc.subarray(['admin', 'csm']),
      fc.integer({ min: 0, max: 3 }),
      fc.subarray(['alice', 'bob']),
      sometimes(fc.integer({ min: 0, max: 10 * DAY }), 2),
    )
    .map(([roles, minApprovals, requiredApprovers, expiresAfter]) => ({
      kind: 'approval',
      id: asCriterionId(id),
      description: `criterion ${id}`,
      policy: {
        roles,
        minApprovals,
        requiredApprovers,
        ...(expiresAfter === undefined ? {} : { expiresAfter }),
      },
    }));

const observation: fc.Arbitrary<Observation> = fc
  .tuple(
    fc.option(anyValue, { nil: null, freq: 8 }),
    instant,
    // Errors are rare: one makes the result inconclusive whatever else was generated.
    fc.oneof(
      { weight: 7, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom('timeout', 'HTTP 500') },
    ),
    sometimes(instant, 2),
  )
  .map(([value, observedAt, error, heldSince]) => ({
    value,
    observedAt,
    ...(error === undefined ? {} : { error }),
    ...(heldSince === undefined ? {} : { heldSince }),
  }));

const IDS = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5'];

const decision: fc.Arbitrary<ApprovalDecision> = fc.record(
  {
    criterionId: fc.constantFrom(...IDS).map(asCriterionId),
    approverId: fc.constantFrom('alice', 'bob', 'carol'),
    role: fc.constantFrom('admin', 'csm', 'viewer'),
    decision: fc.constantFrom('approved' as const, 'rejected' as const),
    at: instant,
    comment: fc.constantFrom('looks good', 'not yet'),
  },
  { requiredKeys: ['criterionId', 'approverId', 'role', 'decision', 'at'] },
);

function toObservations(list: readonly (Observation | undefined)[]): Record<string, Observation> {
  const observations: Record<string, Observation> = {};
  list.forEach((seen, i) => {
    const id = IDS[i];
    if (seen !== undefined && id !== undefined) {
      observations[id] = seen;
    }
  });
  return observations;
}

const criteria: fc.Arbitrary<ExitCriterion[]> = fc
  .subarray(IDS)
  .chain((ids) =>
    fc.tuple(
      ...ids.map((id) => fc.oneof(metricCriterion(id), metricCriterion(id), approvalCriterion(id))),
    ),
  );

const input: fc.Arbitrary<ExitCriteriaInput> = fc
  .record({
    criteria,
    observations: fc.tuple(...IDS.map(() => sometimes(observation, 6))).map(toObservations),
    approvals: fc.array(decision, { maxLength: 8 }),
    now: instant,
  })
  .chain((base) =>
    // A previous evaluation (of the same criteria, an hour to days before) feeds the windows.
    fc.option(fc.integer({ min: 0, max: 10 * DAY }), { nil: undefined }).map((gap) => {
      if (gap === undefined) {
        return base;
      }
      const before = toInstant(toMillis(base.now) - gap);
      const previous = evaluateExitCriteria({ ...base, now: before }).results;
      return { ...base, previous };
    }),
  );

function inGreyBand(criterion: MetricCriterion, value: number): boolean {
  const band = criterion.greyBand;
  return band !== undefined && value >= band.from && value <= band.to;
}

/** Everything that must be true of an observation for a metric result to pass. */
function justifiesPass(criterion: MetricCriterion, result: CriterionResult, seen?: Observation) {
  if (seen === undefined || seen.error !== undefined || seen.value == null) {
    return false;
  }
  const { value } = seen;
  if (typeof value === 'number' && (!Number.isFinite(value) || inGreyBand(criterion, value))) {
    return false;
  }
  if (!compare(value, criterion.comparator, criterion.threshold)) {
    return false;
  }
  if (criterion.window === undefined) {
    return true;
  }
  const since = result.holdingSince;
  return typeof since === 'string' && millisBetween(since, result.evaluatedAt) >= criterion.window;
}

describe('evaluateExitCriteria properties', () => {
  it('passes a metric only on a usable observation that satisfies it', () => {
    fc.assert(
      fc.property(input, (given) => {
        const { results } = evaluateExitCriteria(given);
        given.criteria.forEach((criterion, i) => {
          const result = results[i];
          expect(result?.criterionId).toBe(criterion.id);
          if (criterion.kind === 'metric' && result?.outcome === 'passed') {
            const seen = Object.hasOwn(given.observations, criterion.id)
              ? given.observations[criterion.id]
              : undefined;
            expect(justifiesPass(criterion, result, seen)).toBe(true);
          }
        });
      }),
      // Passes are a minority of outcomes; more runs make a wrongly passed one likely to show.
      { numRuns: 400 },
    );
  });

  it('passes an approval only with enough valid approvers, every required one, no rejection', () => {
    fc.assert(
      fc.property(input, (given) => {
        const { results } = evaluateExitCriteria(given);
        given.criteria.forEach((criterion, i) => {
          const result = results[i];
          if (criterion.kind === 'approval' && result?.outcome === 'passed') {
            const approvedBy = result.approvedBy ?? [];
            expect(approvedBy.length).toBeGreaterThanOrEqual(criterion.policy.minApprovals);
            expect(approvedBy).toEqual(
              expect.arrayContaining([...criterion.policy.requiredApprovers]),
            );
            expect(result.rejectedBy).toEqual([]);
          }
        });
      }),
    );
  });

  it('is allPassed exactly when every result passed', () => {
    fc.assert(
      fc.property(input, (given) => {
        const evaluation = evaluateExitCriteria(given);
        expect(evaluation.results).toHaveLength(given.criteria.length);
        expect(evaluation.allPassed).toBe(evaluation.results.every((r) => r.outcome === 'passed'));
      }),
    );
  });

  it('is deterministic and survives a JSON round trip', () => {
    fc.assert(
      fc.property(input, (given) => {
        const first = evaluateExitCriteria(given);
        expect(evaluateExitCriteria(given)).toEqual(first);
        expect(JSON.parse(JSON.stringify(first))).toEqual(first);
        // A result read back from storage threads into the next evaluation just the same.
        const stored = JSON.parse(JSON.stringify(given)) as ExitCriteriaInput;
        expect(evaluateExitCriteria({ ...given, previous: stored.previous ?? [] })).toEqual(
          evaluateExitCriteria({ ...given, previous: given.previous ?? [] }),
        );
      }),
    );
  });

  it('never starts a window before a breach it saw', () => {
    const windowed: MetricCriterion = {
      kind: 'metric',
      id: asCriterionId('c0'),
      description: 'no critical bugs',
      source: { type: 'agent', intent: 'count_critical_bugs' },
      comparator: 'eq',
      threshold: 0,
      window: 7 * DAY,
    };
    const reading = fc.record(
      { value: fc.option(fc.integer({ min: 0, max: 1 }), { nil: null }), heldSince: instant },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(instant, reading), { maxLength: 12 }), (steps) => {
        const ordered = [...steps].sort(([a], [b]) => toMillis(a) - toMillis(b));
        let previous: CriterionResult | undefined;
        let lastBreach: number | undefined;
        for (const [at, seen] of ordered) {
          const evaluation = evaluateExitCriteria({
            criteria: [windowed],
            observations: { c0: { ...seen, observedAt: at } },
            approvals: [],
            now: at,
            ...(previous === undefined ? {} : { previous: [previous] }),
          });
          previous = evaluation.results[0];
          if (seen.value === 1) {
            lastBreach = toMillis(at);
            expect(previous?.holdingSince).toBeNull();
          }
          const since = previous?.holdingSince;
          if (typeof since === 'string' && lastBreach !== undefined) {
            expect(toMillis(since)).toBeGreaterThanOrEqual(lastBreach);
          }
        }
      }),
    );
  });
});
