/** Small statistics over samples, shared by the success metrics and their series. @internal */

/** The nearest-rank percentile of sorted samples: the smallest value with `p` of them at or below it. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) {
    return null;
  }
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? null;
}

/** part / whole, or null while nothing was counted. */
export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
