import type {
  CriterionResultView,
  JourneyView,
  TaskView,
  UnitOfWorkView,
} from '../client/views.js';
import { between, clip, formatClock } from '../render/format.js';
import { toneOf, type Style } from '../render/style.js';

/**
 * Turns successive snapshots of a journey into progress lines: a unit of work starting, each
 * task as it runs and ends, each stage transition, each judgement of the gate. A snapshot
 * repeats what it already said as nothing; a state it never saw (a task that ran between two
 * snapshots) shows as its outcome.
 */
export class ProgressTracker {
  readonly #style: Style;
  /** Each unit seen, with its status when last seen. */
  readonly #units = new Map<string, string>();
  readonly #tasks = new Map<string, string>();
  #transitions = -1;
  #evaluatedAt: string | null = null;
  /** The stage whose gate was last shown passing: a promotion's own check need not repeat it. */
  #passedGate: string | null = null;

  constructor(style: Style) {
    this.#style = style;
  }

  /** The lines `journey` calls for since the previous snapshot. */
  update(journey: JourneyView): string[] {
    const lines: string[] = [];
    this.#transitionLines(journey, lines);
    const unit = journey.currentUnitOfWork;
    if (unit !== null) {
      this.#unitLines(unit, lines);
    }
    const evaluation = journey.exitCriteria;
    if (evaluation !== null) {
      this.#gateLines(evaluation.stage, evaluation.evaluatedAt, evaluation.results, lines);
    }
    return lines;
  }

  /** The lines of a unit the journey has left, read on its own: how its last tasks ended. */
  finish(unit: UnitOfWorkView): string[] {
    const lines: string[] = [];
    this.#unitLines(unit, lines);
    return lines;
  }

  /** True when the journey left a unit last seen before it ended. */
  left(unitId: string, journey: JourneyView): boolean {
    const status = this.#units.get(unitId);
    return (
      journey.currentUnitOfWork?.workId !== unitId &&
      status !== undefined &&
      !UNIT_ENDED.has(status)
    );
  }

  #transitionLines(journey: JourneyView, lines: string[]): void {
    const history = journey.stageHistory;
    if (this.#transitions >= 0) {
      for (const t of history.slice(this.#transitions)) {
        // A gate that promoted by itself may never be seen as the journey's latest evaluation.
        const first = t.exitCriteriaResults[0];
        if (
          first !== undefined &&
          (t.kind === 'promotion' || t.kind === 'completion') &&
          this.#passedGate !== t.fromStage
        ) {
          this.#gateLines(t.fromStage, first.evaluatedAt, t.exitCriteriaResults, lines);
        }
        const what =
          t.kind === 'promotion'
            ? `promoted ${t.fromStage} -> ${t.toStage}`
            : t.kind === 'completion'
              ? 'journey completed'
              : t.kind === 'rollback_started'
                ? `rolling back out of ${t.fromStage}`
                : t.kind === 'rollback_completed'
                  ? `rolled back to ${t.toStage}`
                  : 'journey cancelled';
        lines.push(
          line(t.transitionedAt, this.#style.bold(`${what} (by ${t.by}: ${clip(t.reason, 60)})`)),
        );
      }
    }
    this.#transitions = history.length;
  }

  #unitLines(unit: UnitOfWorkView, lines: string[]): void {
    const seen = this.#units.has(unit.workId);
    this.#units.set(unit.workId, unit.status);
    if (!seen) {
      lines.push(
        line(
          unit.startedAt ?? unit.createdAt,
          this.#style.cyan(
            `${unit.stage} ${unit.purpose}: ${unit.tasks.length} tasks (unit ${unit.workId})`,
          ),
        ),
      );
    }
    const width = Math.max(...unit.tasks.map((task) => task.taskId.length));
    for (const task of unit.tasks) {
      const key = `${unit.workId}/${task.taskId}`;
      const signature = `${task.status}:${task.attemptCount}`;
      if (this.#tasks.get(key) !== signature && task.status !== 'pending') {
        this.#tasks.set(key, signature);
        lines.push(this.#taskLine(task, width));
      }
    }
  }

  #taskLine(task: TaskView, width: number): string {
    const style = this.#style;
    const last = task.attempts.at(-1);
    const name = task.taskId.padEnd(width);
    const status = toneOf(style, task.status)(task.status);
    const attempt = `attempt ${task.attemptCount}`;
    switch (task.status) {
      case 'running':
        return line(
          last?.startedAt,
          `  ▸ ${name}  ${status}  (${attempt}${task.agentId === null ? '' : ` at ${task.agentId}`})`,
        );
      case 'succeeded':
        return line(
          last?.finishedAt,
          `  ${style.green('✓')} ${name}  ${status}  ${between(last?.startedAt, last?.finishedAt)}`,
        );
      case 'waiting_retry':
        return line(
          last?.finishedAt,
          `  ${style.yellow('↻')} ${name}  ${status}  (${attempt} failed: ${clip(task.error?.message ?? '', 50)}; next at ${task.nextAttemptAt === null ? '-' : formatClock(task.nextAttemptAt)})`,
        );
      default:
        return line(
          last?.finishedAt,
          `  ${style.red('✗')} ${name}  ${status}  ${clip(task.error?.message ?? '', 60)}`,
        );
    }
  }

  #gateLines(
    stage: string,
    evaluatedAt: string,
    results: readonly CriterionResultView[],
    lines: string[],
  ): void {
    if (evaluatedAt === this.#evaluatedAt) {
      return;
    }
    this.#evaluatedAt = evaluatedAt;
    const style = this.#style;
    const passed = results.filter((r) => r.outcome === 'passed').length;
    this.#passedGate = passed === results.length ? stage : null;
    const verdict = passed === results.length ? style.green('passed') : style.red('not met');
    lines.push(
      line(
        evaluatedAt,
        style.bold(`gate of ${stage}: ${verdict} (${passed} of ${results.length})`),
      ),
    );
    const width = Math.max(...results.map((r) => r.criterionId.length));
    for (const r of results) {
      const mark =
        r.outcome === 'passed'
          ? style.green('✓')
          : r.outcome === 'failed'
            ? style.red('✗')
            : style.yellow('?');
      lines.push(`${' '.repeat(14)}${mark} ${r.criterionId.padEnd(width)}  ${clip(r.reason, 60)}`);
    }
  }
}

const UNIT_ENDED: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

/** `14:02:09.412  text`: the time the snapshot says it happened (UTC). */
function line(at: string | null | undefined, text: string): string {
  return `${at == null ? ' '.repeat(12) : formatClock(at)}  ${text}`;
}
