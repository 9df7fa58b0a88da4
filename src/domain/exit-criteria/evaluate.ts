import type { Instant } from '../time.js';
import { evaluateApproval } from './approval.js';
import { checkComparison, describeComparison, formatValue } from './comparator.js';
import type {
  ApprovalDecision,
  CriterionResult,
  ExitCriteriaEvaluation,
  ExitCriterion,
  InconclusiveResolution,
  MetricCriterion,
  MetricValue,
  Observation,
  Outcome,
} from './criterion.js';
import { applyResolution } from './resolution.js';
import type { ConditionNow } from './window.js';
import { applyWindow } from './window.js';

/** What one evaluation of a stage's exit criteria needs; all of it is data, time included. */
export interface ExitCriteriaInput {
  /** The stage's criteria; results come back in this order. */
  readonly criteria: readonly ExitCriterion[];
  /** The latest observation per metric criterion, keyed by criterion id. */
  readonly observations: Readonly<Record<string, Observation>>;
  /** Every recorded decision; each approval criterion picks its own. */
  readonly approvals: readonly ApprovalDecision[];
  /** The previous evaluation's results: windowed criteria continue their clock from them. */
  readonly previous?: readonly CriterionResult[];
  /** People's decisions on inconclusive criteria in this stage visit; the latest per criterion counts. */
  readonly resolutions?: readonly InconclusiveResolution[];
  readonly now: Instant;
}

/** What one observation says before any window is applied. */
interface Reading {
  readonly condition: ConditionNow;
  readonly reason: string;
  readonly observed?: MetricValue | null;
  readonly observedAt?: Instant;
  readonly error?: string;
}

/**
 * JSON writes NaN and Infinity as `null` and -0 as `0`; store what JSON will give back, so the
 * evidence reads back exactly as it was written.
 */
function jsonSafe(value: MetricValue): MetricValue | null {
  if (typeof value !== 'number') {
    return value;
  }
  return Number.isFinite(value) ? value + 0 : null;
}

function unitSuffix(criterion: MetricCriterion): string {
  return criterion.unit === undefined || criterion.unit === '' ? '' : ` (${criterion.unit})`;
}

function read(criterion: MetricCriterion, observation: Observation | undefined): Reading {
  if (observation === undefined) {
    return { condition: 'unknown', reason: 'not observed: no reading for this criterion' };
  }
  const { observedAt } = observation;
  if (observation.error !== undefined) {
    // The value of a failed read is ignored (see Observation.error), so it is not kept either.
    const { error } = observation;
    return { condition: 'unknown', reason: `source error: ${error}`, observedAt, error };
  }
  const value = observation.value;
  if (value == null) {
    const reason = 'no data: the source answered without a value';
    return { condition: 'unknown', reason, observed: null, observedAt };
  }
  const observed = jsonSafe(value);
  const unit = unitSuffix(criterion);
  const check = checkComparison(value, criterion.comparator, criterion.threshold);
  if (check.status === 'invalid') {
    return {
      condition: 'unknown',
      reason: `unusable value: ${check.problem}`,
      observed,
      observedAt,
    };
  }
  const band = criterion.greyBand;
  if (typeof value === 'number' && band !== undefined && value >= band.from && value <= band.to) {
    // The band overrides the comparator: near the line a person decides, not the gate.
    const reason = `${value} is inside the grey band [${band.from}, ${band.to}]${unit}: a person decides`;
    return { condition: 'unknown', reason, observed, observedAt };
  }
  const symbol = describeComparison(criterion.comparator);
  const threshold = formatValue(criterion.threshold);
  const holds = check.status === 'holds';
  const reason = `${formatValue(value)} is ${holds ? '' : 'not '}${symbol} ${threshold}${unit}`;
  return { condition: holds ? 'holds' : 'breached', reason, observed, observedAt };
}

const OUTCOME_OF: Readonly<Record<ConditionNow, Outcome>> = {
  holds: 'passed',
  breached: 'failed',
  unknown: 'inconclusive',
};

function evaluateMetric(
  criterion: MetricCriterion,
  observation: Observation | undefined,
  previous: CriterionResult | undefined,
  now: Instant,
): CriterionResult {
  const reading = read(criterion, observation);
  const threshold = jsonSafe(criterion.threshold);
  const evidence = {
    criterionId: criterion.id,
    description: criterion.description,
    source: criterion.source.type,
    evaluatedAt: now,
    comparator: criterion.comparator,
    ...(threshold === null ? {} : { threshold }),
    ...(reading.observed === undefined ? {} : { observed: reading.observed }),
    ...(reading.observedAt === undefined ? {} : { observedAt: reading.observedAt }),
    ...(reading.error === undefined ? {} : { error: reading.error }),
  };
  if (criterion.window === undefined) {
    return Object.freeze({
      ...evidence,
      outcome: OUTCOME_OF[reading.condition],
      reason: reading.reason,
    });
  }
  const verdict = applyWindow({
    window: criterion.window,
    condition: reading.condition,
    now,
    ...(reading.observedAt === undefined ? {} : { observedAt: reading.observedAt }),
    ...(observation?.heldSince === undefined ? {} : { heldSince: observation.heldSince }),
    ...(previous?.holdingSince === undefined
      ? {}
      : { previousHoldingSince: previous.holdingSince }),
    ...(previous?.observedAt === undefined ? {} : { previousObservedAt: previous.observedAt }),
  });
  return Object.freeze({
    ...evidence,
    outcome: verdict.outcome,
    reason: `${reading.reason}; ${verdict.note}`,
    ...(verdict.holdingSince === undefined ? {} : { holdingSince: verdict.holdingSince }),
    ...(verdict.windowRemaining === undefined ? {} : { windowRemaining: verdict.windowRemaining }),
  });
}

/**
 * Evaluates a stage's exit criteria: one result per criterion, in definition order. Pure: the
 * same input always gives the same evaluation, and it survives a JSON round trip.
 *
 * `allPassed` is true only when every outcome is `passed`; `inconclusive` never counts. For an
 * empty list it is true: a stage may legitimately have no exit criteria, and then nothing gates
 * its promotion.
 */
export function evaluateExitCriteria(input: ExitCriteriaInput): ExitCriteriaEvaluation {
  const { observations, now } = input;
  const previousById = new Map((input.previous ?? []).map((r) => [r.criterionId, r]));
  const results = input.criteria.map((criterion) => {
    if (criterion.kind === 'approval') {
      return evaluateApproval(criterion, input.approvals, now);
    }
    // `hasOwn`: an id such as "constructor" must not find Object.prototype's member.
    const observation = Object.hasOwn(observations, criterion.id)
      ? observations[criterion.id]
      : undefined;
    return applyResolution(
      evaluateMetric(criterion, observation, previousById.get(criterion.id), now),
      input.resolutions ?? [],
    );
  });
  return Object.freeze({
    evaluatedAt: now,
    results: Object.freeze(results),
    allPassed: results.every((r) => r.outcome === 'passed'),
  });
}

/** How many results ended in each outcome. */
export type OutcomeCounts = Readonly<Record<Outcome, number>>;

/** Counts the results per outcome, e.g. for "3 passed, 1 failed, 1 inconclusive". */
export function summarizeEvaluation(evaluation: ExitCriteriaEvaluation): OutcomeCounts {
  const counts = { passed: 0, failed: 0, inconclusive: 0 };
  for (const result of evaluation.results) {
    counts[result.outcome] += 1;
  }
  return Object.freeze(counts);
}

/**
 * The results that block promotion: every one not `passed`, so `inconclusive` is included (it
 * waits for a person and must not be overlooked).
 */
export function failingResults(evaluation: ExitCriteriaEvaluation): readonly CriterionResult[] {
  return Object.freeze(evaluation.results.filter((r) => r.outcome !== 'passed'));
}
