import type { EvaluationTrigger, Outcome, SourceType } from '../../domain/index.js';
import { START, type EventStore, type GlobalPosition } from '../ports.js';

/** How the recorded exit-criteria evaluations turned out (every one is an ExitCriteriaEvaluated). */
export interface ExitCriteriaCounts {
  /** Evaluations recorded, and how many of them passed entirely. */
  readonly evaluations: number;
  readonly passed: number;
  readonly byTrigger: Readonly<Partial<Record<EvaluationTrigger, OutcomePair>>>;
  /** Every criterion result of every evaluation, by outcome. */
  readonly results: Readonly<Record<Outcome, number>>;
  readonly byCriterion: readonly CriterionCounts[];
}

export interface OutcomePair {
  readonly evaluations: number;
  readonly passed: number;
}

export interface CriterionCounts {
  readonly criterionId: string;
  readonly source: SourceType;
  readonly passed: number;
  readonly failed: number;
  readonly inconclusive: number;
}

const PAGE_SIZE = 1_000;

/**
 * Counts exit-criteria evaluations by following the global event log: the first call reads the
 * log from the start, later calls only what was appended since, so a dashboard polling the
 * report costs one short read. Concurrent callers share one catch-up. The counts live in this
 * process: history pruned by retention stays counted until a restart.
 */
export class ExitCriteriaTally {
  #position: GlobalPosition = START;
  #catchingUp: Promise<void> | null = null;
  #evaluations = 0;
  #passed = 0;
  readonly #byTrigger = new Map<EvaluationTrigger, { evaluations: number; passed: number }>();
  readonly #results: Record<Outcome, number> = { passed: 0, failed: 0, inconclusive: 0 };
  readonly #byCriterion = new Map<
    string,
    { -readonly [K in keyof CriterionCounts]: CriterionCounts[K] }
  >();

  constructor(private readonly events: Pick<EventStore, 'readAll'>) {}

  /** Reads what was appended since the last call, then answers. */
  async counts(): Promise<ExitCriteriaCounts> {
    this.#catchingUp ??= this.#catchUp().finally(() => {
      this.#catchingUp = null;
    });
    await this.#catchingUp;
    return {
      evaluations: this.#evaluations,
      passed: this.#passed,
      byTrigger: Object.fromEntries(
        [...this.#byTrigger].map(([trigger, pair]) => [trigger, { ...pair }]),
      ),
      results: { ...this.#results },
      byCriterion: [...this.#byCriterion.values()]
        .map((counts) => ({ ...counts }))
        .sort((a, b) => a.criterionId.localeCompare(b.criterionId)),
    };
  }

  async #catchUp(): Promise<void> {
    for (;;) {
      const { events, next } = await this.events.readAll(this.#position, PAGE_SIZE);
      for (const { event } of events) {
        if (event.type === 'ExitCriteriaEvaluated') {
          this.#count(event.trigger, event.evaluation);
        }
      }
      this.#position = next;
      if (events.length < PAGE_SIZE) {
        return;
      }
    }
  }

  #count(
    trigger: EvaluationTrigger,
    evaluation: {
      readonly allPassed: boolean;
      readonly results: readonly {
        readonly criterionId: string;
        readonly source: SourceType;
        readonly outcome: Outcome;
      }[];
    },
  ): void {
    const passed = evaluation.allPassed ? 1 : 0;
    this.#evaluations += 1;
    this.#passed += passed;
    const pair = this.#byTrigger.get(trigger) ?? { evaluations: 0, passed: 0 };
    pair.evaluations += 1;
    pair.passed += passed;
    this.#byTrigger.set(trigger, pair);
    for (const result of evaluation.results) {
      this.#results[result.outcome] += 1;
      const counts = this.#byCriterion.get(result.criterionId) ?? {
        criterionId: result.criterionId,
        source: result.source,
        passed: 0,
        failed: 0,
        inconclusive: 0,
      };
      counts[result.outcome] += 1;
      this.#byCriterion.set(result.criterionId, counts);
    }
  }
}
