import { toInstant, type Instant, type Millis } from '../../domain/index.js';
import type { EvaluationSecond } from './evaluation-timeline.js';
import type { JourneyTimeline } from './journey-timeline.js';
import { nearestRank, ratio } from './sample-statistics.js';

/**
 * The success metrics over time: the span from `from` to `to` cut into `points` equal buckets.
 * Each bucket counts what happened in it, and `cumulative` gives the report's three headline
 * numbers as they stood at the bucket's end (everything before it counts, also before `from`),
 * which is what a small chart of "how are we doing" plots.
 */
export interface SuccessMetricsSeries {
  readonly generatedAt: Instant;
  readonly from: Instant;
  readonly to: Instant;
  readonly bucketMs: Millis;
  readonly buckets: readonly SeriesBucket[];
}

export interface SeriesBucket {
  readonly start: Instant;
  readonly end: Instant;
  readonly journeysStarted: number;
  readonly reachedProduction: number;
  /** Promotions into pilot or production. */
  readonly promotions: number;
  readonly rollbacks: number;
  readonly evaluations: number;
  readonly passed: number;
  readonly cumulative: {
    /** Median time from start to production of the journeys that got there by the bucket's end. */
    readonly timeToProductionMedianMs: Millis | null;
    /** Rollbacks / promotions up to the bucket's end. */
    readonly rollbackRate: number | null;
    /** Evaluations that passed entirely / evaluations, up to the bucket's end. */
    readonly passRate: number | null;
  };
}

/** The span a series covers, in epoch ms. */
export interface SeriesSpan {
  readonly from: Millis;
  readonly to: Millis;
  readonly points: number;
}

/** The smallest bucket: finer than a second says nothing the per-second counts can tell. */
const MIN_BUCKET: Millis = 1_000;

/**
 * The span to plot: from `since` when given, else from the first journey's start (else one
 * hour back), to `now`; at least a second long.
 */
export function seriesSpan(
  now: Millis,
  points: number,
  since: Millis | null,
  journeys: JourneyTimeline,
): SeriesSpan {
  const earliest = journeys.started.reduce((min, at) => Math.min(min, at), now);
  const from = since ?? (journeys.started.length === 0 ? now - 3_600_000 : earliest);
  // Whole seconds: evaluations are counted per second, and the first one must fall inside.
  const wholeSecond = Math.floor(from / MIN_BUCKET) * MIN_BUCKET;
  return { from: Math.min(wholeSecond, now - MIN_BUCKET), to: now, points };
}

export function buildSeries(
  generatedAt: Instant,
  span: SeriesSpan,
  journeys: JourneyTimeline,
  evaluations: readonly EvaluationSecond[],
): SuccessMetricsSeries {
  const bucketMs = Math.max(MIN_BUCKET, Math.ceil((span.to - span.from) / span.points));
  const buckets: SeriesBucket[] = [];
  for (let index = 0; index < span.points; index += 1) {
    const start = span.from + index * bucketMs;
    const last = index === span.points - 1;
    buckets.push(bucket(start, start + bucketMs, last, journeys, evaluations));
  }
  return {
    generatedAt,
    from: toInstant(span.from),
    to: toInstant(span.to),
    bucketMs,
    buckets,
  };
}

/** Buckets are half-open, [start, end), but for the last one, which also holds its end: now. */
function bucket(
  start: Millis,
  end: Millis,
  last: boolean,
  journeys: JourneyTimeline,
  evaluations: readonly EvaluationSecond[],
): SeriesBucket {
  const before = (at: Millis) => at < end || (last && at === end);
  const inBucket = (at: Millis) => at >= start && before(at);
  const evaluated = evaluations.filter((s) => inBucket(s.at));
  const evaluatedSoFar = evaluations.filter((s) => before(s.at));
  const reachedSoFar = journeys.reachedProduction
    .filter((r) => before(r.at))
    .map((r) => r.afterMs)
    .sort((a, b) => a - b);
  return {
    start: toInstant(start),
    end: toInstant(end),
    journeysStarted: journeys.started.filter(inBucket).length,
    reachedProduction: journeys.reachedProduction.filter((r) => inBucket(r.at)).length,
    promotions: journeys.promotions.filter(inBucket).length,
    rollbacks: journeys.rollbacks.filter(inBucket).length,
    evaluations: sum(evaluated, 'evaluations'),
    passed: sum(evaluated, 'passed'),
    cumulative: {
      timeToProductionMedianMs: nearestRank(reachedSoFar, 0.5),
      rollbackRate: ratio(
        journeys.rollbacks.filter(before).length,
        journeys.promotions.filter(before).length,
      ),
      passRate: ratio(sum(evaluatedSoFar, 'passed'), sum(evaluatedSoFar, 'evaluations')),
    },
  };
}

function sum(seconds: readonly EvaluationSecond[], field: 'evaluations' | 'passed'): number {
  return seconds.reduce((total, second) => total + second[field], 0);
}
