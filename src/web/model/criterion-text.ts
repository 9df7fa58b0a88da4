import type { Comparator, CriterionResult, MetricValue } from '../api/types.js';

/** One criterion's result in words: what was observed and what it is held against. */

const COMPARATOR_TEXT: Readonly<Record<Comparator, string>> = {
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  eq: '=',
};

export function observedText(result: CriterionResult): string {
  if (result.source === 'approval') {
    const approved = result.approvedBy ?? [];
    return approved.length === 0 ? 'no approval' : `approved by ${approved.join(', ')}`;
  }
  return result.observed === undefined || result.observed === null
    ? '–'
    : metricText(result.observed);
}

export function thresholdText(result: CriterionResult): string {
  if (result.threshold === undefined || result.comparator === undefined) {
    return result.source === 'approval' ? 'approval' : '–';
  }
  return `${COMPARATOR_TEXT[result.comparator]} ${metricText(result.threshold)}`;
}

/** A person's decision on an inconclusive reading, e.g. `accepted by otto: outage`. */
export function resolutionText(result: CriterionResult): string | null {
  const resolution = result.resolution;
  if (resolution === undefined) {
    return null;
  }
  const verb = resolution.decision === 'accept' ? 'accepted' : 'rejected';
  return `${verb} by ${resolution.decidedBy}: ${resolution.reason}`;
}

function metricText(metric: MetricValue): string {
  return typeof metric === 'boolean' ? (metric ? 'yes' : 'no') : String(metric);
}
