import type { Comparator, MetricValue } from './criterion.js';

/** How each comparator reads in a reason: `78 is not > 80`. */
export const COMPARATOR_SYMBOLS = {
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
  eq: '=',
} as const satisfies Record<Comparator, string>;

/** The symbol of a comparator (`>`, `>=`, `<`, `<=`, `=`), for reasons people read. */
export function describeComparison(comparator: Comparator): string {
  return COMPARATOR_SYMBOLS[comparator];
}

/**
 * What comparing a value with a threshold found. `invalid` is kept apart from `breached`: a value
 * of the wrong type (or NaN) says the source is broken, not that the client is, so the evaluation
 * reports it as inconclusive instead of failed.
 */
export type ComparisonCheck =
  | { readonly status: 'holds' }
  | { readonly status: 'breached' }
  | { readonly status: 'invalid'; readonly problem: string };

const HOLDS: ComparisonCheck = Object.freeze({ status: 'holds' });
const BREACHED: ComparisonCheck = Object.freeze({ status: 'breached' });

function invalid(problem: string): ComparisonCheck {
  return Object.freeze({ status: 'invalid', problem });
}

/** A value as it reads in a reason; `String()` already gives `NaN`, `true`, `0.78`. */
export function formatValue(value: MetricValue): string {
  return String(value);
}

/**
 * Compares `value` with `threshold`, telling a type mismatch or a non-finite number apart from a
 * plain breach. Numeric comparators need finite numbers on both sides; `eq` needs both sides of
 * the same type (number or boolean) and compares exactly.
 */
export function checkComparison(
  value: MetricValue,
  comparator: Comparator,
  threshold: MetricValue,
): ComparisonCheck {
  if (comparator === 'eq' && typeof threshold === 'boolean') {
    if (typeof value !== 'boolean') {
      return invalid(`expected a boolean, got ${formatValue(value)}`);
    }
    return value === threshold ? HOLDS : BREACHED;
  }
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    // A playbook problem rather than a source problem, but it still must never pass.
    return invalid(
      `the threshold must be a finite number for ${describeComparison(comparator)}, got ${formatValue(threshold)}`,
    );
  }
  if (typeof value !== 'number') {
    return invalid(`expected a number, got ${formatValue(value)}`);
  }
  if (!Number.isFinite(value)) {
    return invalid(`expected a finite number, got ${formatValue(value)}`);
  }
  return numericHolds(value, comparator, threshold) ? HOLDS : BREACHED;
}

function numericHolds(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case 'gt':
      return value > threshold;
    case 'gte':
      return value >= threshold;
    case 'lt':
      return value < threshold;
    case 'lte':
      return value <= threshold;
    case 'eq':
      return value === threshold;
  }
}

/**
 * True when `value comparator threshold` holds. A type mismatch or a non-finite number is never
 * true; use `checkComparison` to learn why.
 */
export function compare(
  value: MetricValue,
  comparator: Comparator,
  threshold: MetricValue,
): boolean {
  return checkComparison(value, comparator, threshold).status === 'holds';
}
