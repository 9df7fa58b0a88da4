import {
  toMillis,
  type Instant,
  type JourneyStatusKind,
  type Millis,
  type Stage,
} from '../../domain/index.js';
import type { Clock, EventStore, ReadModels } from '../ports.js';
import { EvaluationTimeline } from './evaluation-timeline.js';
import { ExitCriteriaTally, type ExitCriteriaCounts } from './exit-criteria-tally.js';
import { collectJourneyStatistics, type JourneyStatistics } from './journey-statistics.js';
import { collectJourneyTimeline, type JourneyTimeline } from './journey-timeline.js';
import { Reused } from './reused.js';
import { nearestRank, ratio } from './sample-statistics.js';
import { buildSeries, seriesSpan, type SuccessMetricsSeries } from './success-metrics-series.js';

/**
 * The specification's success metrics (time to production, rollback rate, exit-criteria pass
 * rate) and journeys by stage. Definitions, also in docs/api.md:
 * - time to production: from JourneyStarted to the first StagePromoted into production, per
 *   journey that got there; median and p90 by nearest rank.
 * - rollback rate: rollbacks / promotions into pilot or production (each promotion may be
 *   undone once); `journeyRate` is the share of journeys rolled back at least once.
 * - exit-criteria pass rate: recorded evaluations that passed entirely / all recorded
 *   evaluations (every trigger: after setup, re-checks, approvals, promotions).
 * A rate is null when nothing was counted yet.
 */
export interface SuccessMetricsReport {
  readonly generatedAt: Instant;
  readonly journeys: {
    readonly total: number;
    readonly active: number;
    readonly byStage: Readonly<Record<Stage, number>>;
    readonly byStatus: Readonly<Record<JourneyStatusKind, number>>;
  };
  readonly timeToProduction: DurationSummary;
  readonly timeToCompletion: DurationSummary;
  readonly rollbacks: {
    readonly count: number;
    readonly promotions: number;
    readonly rate: number | null;
    readonly journeysRolledBack: number;
    readonly journeyRate: number | null;
  };
  readonly exitCriteria: ExitCriteriaCounts & { readonly passRate: number | null };
}

export interface DurationSummary {
  readonly count: number;
  readonly medianMs: Millis | null;
  readonly p90Ms: Millis | null;
}

/** Which span a series covers and in how many buckets. */
export interface SeriesQuery {
  /** How many equal buckets. */
  readonly points: number;
  /** The span's start; null: the first journey's start. The span ends now. */
  readonly since: Instant | null;
}

export interface SuccessMetricsOptions {
  readonly readModels: Pick<ReadModels, 'listJourneys'>;
  readonly events: Pick<EventStore, 'readAll'>;
  readonly clock: Clock;
  /**
   * How long journey statistics are reused before the read models are paged through again
   * (a dashboard and a Prometheus scrape polling together read them once). The same holds
   * for the journey timeline behind `series`.
   * @default 5000
   */
  readonly maxAge?: Millis;
}

export class SuccessMetrics {
  readonly #tally: ExitCriteriaTally;
  readonly #evaluations: EvaluationTimeline;
  readonly #statistics: Reused<JourneyStatistics>;
  readonly #timeline: Reused<JourneyTimeline>;

  constructor(private readonly options: SuccessMetricsOptions) {
    const { readModels, events, clock } = options;
    const maxAge = options.maxAge ?? 5_000;
    this.#tally = new ExitCriteriaTally(events);
    this.#evaluations = new EvaluationTimeline(events);
    this.#statistics = new Reused(() => collectJourneyStatistics(readModels), clock, maxAge);
    this.#timeline = new Reused(() => collectJourneyTimeline(readModels), clock, maxAge);
  }

  /** Journey counts from the read models, reused for `maxAge`. */
  journeyStatistics(): Promise<JourneyStatistics> {
    return this.#statistics.get();
  }

  /** The success metrics over time (see SuccessMetricsSeries). */
  async series(query: SeriesQuery): Promise<SuccessMetricsSeries> {
    const [journeys, evaluations] = await Promise.all([
      this.#timeline.get(),
      this.#evaluations.seconds(),
    ]);
    const now = this.options.clock.now();
    const since = query.since === null ? null : toMillis(query.since);
    const span = seriesSpan(toMillis(now), query.points, since, journeys);
    return buildSeries(now, span, journeys, evaluations);
  }

  async report(): Promise<SuccessMetricsReport> {
    const [statistics, criteria] = await Promise.all([
      this.journeyStatistics(),
      this.#tally.counts(),
    ]);
    return {
      generatedAt: this.options.clock.now(),
      journeys: {
        total: statistics.total,
        active: statistics.active,
        byStage: statistics.byStage,
        byStatus: statistics.byStatus,
      },
      timeToProduction: summarizeDurations(statistics.timeToProduction),
      timeToCompletion: summarizeDurations(statistics.timeToCompletion),
      rollbacks: {
        count: statistics.rollbacks,
        promotions: statistics.promotions,
        rate: ratio(statistics.rollbacks, statistics.promotions),
        journeysRolledBack: statistics.journeysRolledBack,
        journeyRate: ratio(statistics.journeysRolledBack, statistics.total),
      },
      exitCriteria: { ...criteria, passRate: ratio(criteria.passed, criteria.evaluations) },
    };
  }
}

export function summarizeDurations(samples: readonly Millis[]): DurationSummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    medianMs: nearestRank(sorted, 0.5),
    p90Ms: nearestRank(sorted, 0.9),
  };
}
