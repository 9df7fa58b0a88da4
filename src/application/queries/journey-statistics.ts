import {
  ALL_STAGES,
  JOURNEY_STATUS_KINDS,
  millisBetween,
  type JourneyStatusKind,
  type Stage,
} from '../../domain/index.js';
import type { JourneyRecord, ReadModels } from '../ports.js';

/**
 * Counts over every journey in the read models, gathered page by page (500 rows a page, so
 * 10,000 journeys are 20 reads). Each row carries the journey's stage history, which is all
 * these numbers need: no events are read.
 */
export interface JourneyStatistics {
  readonly total: number;
  readonly active: number;
  readonly byStage: Readonly<Record<Stage, number>>;
  readonly byStatus: Readonly<Record<JourneyStatusKind, number>>;
  /** From the start to the first entry into production, one sample per journey that got there. */
  readonly timeToProduction: readonly number[];
  /** From the start to completion, one sample per completed journey. */
  readonly timeToCompletion: readonly number[];
  /** Promotions into pilot or production: each is a chance to be rolled back. */
  readonly promotions: number;
  readonly rollbacks: number;
  /** Journeys rolled back at least once. */
  readonly journeysRolledBack: number;
}

const PAGE_SIZE = 500;

export async function collectJourneyStatistics(
  readModels: Pick<ReadModels, 'listJourneys'>,
): Promise<JourneyStatistics> {
  const tally = new StatisticsTally();
  let cursor: string | null = null;
  do {
    const page = await readModels.listJourneys({ limit: PAGE_SIZE, cursor });
    for (const record of page.items) {
      tally.add(record);
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  return tally.result();
}

class StatisticsTally {
  #total = 0;
  #active = 0;
  readonly #byStage = zeroes(ALL_STAGES);
  readonly #byStatus = zeroes(JOURNEY_STATUS_KINDS);
  readonly #timeToProduction: number[] = [];
  readonly #timeToCompletion: number[] = [];
  #promotions = 0;
  #rollbacks = 0;
  #journeysRolledBack = 0;

  add(record: JourneyRecord): void {
    this.#total += 1;
    this.#active += record.active ? 1 : 0;
    this.#byStage[record.stage] += 1;
    this.#byStatus[record.status] += 1;
    const history = record.state.stageHistory;
    const reachedProduction = history.find((t) => t.toStage === 'production');
    if (reachedProduction !== undefined) {
      this.#timeToProduction.push(
        millisBetween(record.startedAt, reachedProduction.transitionedAt),
      );
    }
    const completion = history.find((t) => t.kind === 'completion');
    if (completion !== undefined) {
      this.#timeToCompletion.push(millisBetween(record.startedAt, completion.transitionedAt));
    }
    const rollbacks = history.filter((t) => t.kind === 'rollback_started').length;
    this.#promotions += history.filter((t) => t.kind === 'promotion').length;
    this.#rollbacks += rollbacks;
    this.#journeysRolledBack += rollbacks > 0 ? 1 : 0;
  }

  result(): JourneyStatistics {
    return {
      total: this.#total,
      active: this.#active,
      byStage: { ...this.#byStage },
      byStatus: { ...this.#byStatus },
      timeToProduction: [...this.#timeToProduction],
      timeToCompletion: [...this.#timeToCompletion],
      promotions: this.#promotions,
      rollbacks: this.#rollbacks,
      journeysRolledBack: this.#journeysRolledBack,
    };
  }
}

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}
