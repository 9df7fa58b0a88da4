import { toMillis, type Millis } from '../../domain/index.js';
import { START, type EventStore, type GlobalPosition } from '../ports.js';

/** Evaluations recorded in one second, and how many of them passed entirely. */
export interface EvaluationSecond {
  /** The second's start, epoch ms. */
  readonly at: Millis;
  readonly evaluations: number;
  readonly passed: number;
}

const PAGE_SIZE = 1_000;
const SECOND = 1_000;

/**
 * When exit-criteria evaluations were recorded and whether they passed, per second, by following
 * the global event log like ExitCriteriaTally: the first call reads the log from the start,
 * later calls only what was appended since; concurrent callers share one catch-up. Per-second
 * counts keep memory bounded by the seconds that saw an evaluation, not by their number. Kept
 * in this process: history pruned by retention stays counted until a restart.
 */
export class EvaluationTimeline {
  #position: GlobalPosition = START;
  #catchingUp: Promise<void> | null = null;
  readonly #seconds = new Map<number, { evaluations: number; passed: number }>();

  constructor(private readonly events: Pick<EventStore, 'readAll'>) {}

  /** Reads what was appended since the last call, then answers, oldest second first. */
  async seconds(): Promise<readonly EvaluationSecond[]> {
    this.#catchingUp ??= this.#catchUp().finally(() => {
      this.#catchingUp = null;
    });
    await this.#catchingUp;
    return [...this.#seconds]
      .map(([at, counts]) => ({ at, ...counts }))
      .sort((a, b) => a.at - b.at);
  }

  async #catchUp(): Promise<void> {
    for (;;) {
      const { events, next } = await this.events.readAll(this.#position, PAGE_SIZE);
      for (const { event } of events) {
        if (event.type === 'ExitCriteriaEvaluated') {
          this.#count(toMillis(event.at), event.evaluation.allPassed);
        }
      }
      this.#position = next;
      if (events.length < PAGE_SIZE) {
        return;
      }
    }
  }

  #count(at: Millis, passed: boolean): void {
    const second = Math.floor(at / SECOND) * SECOND;
    const counts = this.#seconds.get(second) ?? { evaluations: 0, passed: 0 };
    counts.evaluations += 1;
    counts.passed += passed ? 1 : 0;
    this.#seconds.set(second, counts);
  }
}
