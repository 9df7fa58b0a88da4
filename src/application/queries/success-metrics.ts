import {
  millisBetween,
  type Instant,
  type JourneyStatusKind,
  type Millis,
  type Stage,
} from '../../domain/index.js';
import type { Clock, EventStore, ReadModels } from '../ports.js';
import { ExitCriteriaTally, type ExitCriteriaCounts } from './exit-criteria-tally.js';
import { collectJourneyStatistics, type JourneyStatistics } from './journey-statistics.js';

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

export interface SuccessMetricsOptions {
  readonly readModels: Pick<ReadModels, 'listJourneys'>;
  readonly events: Pick<EventStore, 'readAll'>;
  readonly clock: Clock;
  /**
   * How long journey statistics are reused before the read models are paged through again
   * (a dashboard and a Prometheus scrape polling together read them once).
   * @default 5000
   */
  readonly maxAge?: Millis;
}

export class SuccessMetrics {
  readonly #tally: ExitCriteriaTally;
  #cached: { readonly at: Instant; readonly statistics: Promise<JourneyStatistics> } | null = null;

  constructor(private readonly options: SuccessMetricsOptions) {
    this.#tally = new ExitCriteriaTally(options.events);
  }

  /** Journey counts from the read models, reused for `maxAge`. */
  journeyStatistics(): Promise<JourneyStatistics> {
    const now = this.options.clock.now();
    const cached = this.#cached;
    if (cached !== null && millisBetween(cached.at, now) < (this.options.maxAge ?? 5_000)) {
      return cached.statistics;
    }
    const statistics = collectJourneyStatistics(this.options.readModels);
    this.#cached = { at: now, statistics };
    // A failed read is not kept: the next call tries again.
    void statistics.catch(() => {
      if (this.#cached?.statistics === statistics) {
        this.#cached = null;
      }
    });
    return statistics;
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

/** The nearest-rank percentile of sorted samples: the smallest value with `p` of them at or below it. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) {
    return null;
  }
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? null;
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
