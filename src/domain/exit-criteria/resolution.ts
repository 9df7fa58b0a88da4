import type { CriterionResult, InconclusiveResolution } from './criterion.js';

/**
 * Applies a person's decision to a result that is inconclusive now. Only an inconclusive result
 * is changed: a definite one (passed or failed) wins over any decision, because a measurement
 * that answers again is better evidence than a judgement made while it could not.
 */
export function applyResolution(
  result: CriterionResult,
  resolutions: readonly InconclusiveResolution[],
): CriterionResult {
  if (result.outcome !== 'inconclusive') {
    return result;
  }
  const resolution = latestResolution(resolutions, result.criterionId);
  if (resolution === undefined) {
    return result;
  }
  const accepted = resolution.decision === 'accept';
  const { decision, reason, decidedBy, at } = resolution;
  return Object.freeze({
    ...result,
    outcome: accepted ? 'passed' : 'failed',
    reason: `${result.reason}; ${accepted ? 'accepted' : 'rejected'} by ${decidedBy}: ${reason}`,
    resolution: { decision, reason, decidedBy, at },
  });
}

/** The decision that counts for a criterion: the latest one. */
export function latestResolution(
  resolutions: readonly InconclusiveResolution[],
  criterionId: string,
): InconclusiveResolution | undefined {
  return resolutions.findLast((r) => r.criterionId === criterionId);
}

/** Whether the result's reading was inconclusive, decided by a person or not. */
export function readInconclusive(result: CriterionResult): boolean {
  return result.outcome === 'inconclusive' || result.resolution !== undefined;
}
