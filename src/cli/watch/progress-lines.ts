import { between, clip, formatClock } from '../render/format.js';
import { toneOf, type Style } from '../render/style.js';

/**
 * The lines of live progress, the same whether they come from a snapshot of the journey (the
 * polling watch) or from its events (the live stream). @internal
 */

/** A task at one moment: what its line needs. */
export interface TaskMoment {
  readonly taskId: string;
  readonly status: string;
  readonly attempt: number;
  readonly agentId?: string | null;
  readonly error?: string | null;
  readonly nextAttemptAt?: string | null;
  readonly startedAt?: string | null;
  readonly finishedAt?: string | null;
}

/** What a gate line needs of a criterion result (the API's view and the event's agree). */
export interface ResultMoment {
  readonly criterionId: string;
  readonly outcome: string;
  readonly reason: string;
}

export type TransitionKind =
  'promotion' | 'completion' | 'rollback_started' | 'rollback_completed' | 'cancellation';

/** `14:02:09.412  text`: when it happened (UTC), or blanks when that is not known. */
export function line(at: string | null | undefined, text: string): string {
  return `${at == null ? ' '.repeat(12) : formatClock(at)}  ${text}`;
}

export function unitHeader(
  style: Style,
  at: string | null | undefined,
  unit: { readonly workId: string; readonly stage: string; readonly purpose: string },
  taskCount: number,
): string {
  return line(
    at,
    style.cyan(`${unit.stage} ${unit.purpose}: ${taskCount} tasks (unit ${unit.workId})`),
  );
}

/** A unit that ended: `sandbox setup completed`, `pilot setup failed: a, b`. */
export function unitEndLine(
  style: Style,
  at: string | null | undefined,
  unit: { readonly stage: string; readonly purpose: string },
  status: string,
  detail: string,
): string {
  const text = `${unit.stage} ${unit.purpose} ${status}${detail === '' ? '' : `: ${clip(detail, 60)}`}`;
  return line(at, toneOf(style, status)(text));
}

export function taskLine(style: Style, task: TaskMoment, width: number): string {
  const name = task.taskId.padEnd(width);
  const status = toneOf(style, task.status)(task.status);
  const attempt = `attempt ${task.attempt}`;
  switch (task.status) {
    case 'running':
      return line(
        task.startedAt,
        `  ▸ ${name}  ${status}  (${attempt}${task.agentId == null ? '' : ` at ${task.agentId}`})`,
      );
    case 'succeeded':
      return line(
        task.finishedAt,
        `  ${style.green('✓')} ${name}  ${status}  ${between(task.startedAt, task.finishedAt)}`,
      );
    case 'waiting_retry':
      return line(
        task.finishedAt,
        `  ${style.yellow('↻')} ${name}  ${status}  (${attempt} failed: ${clip(task.error ?? '', 50)}; next at ${task.nextAttemptAt == null ? '-' : formatClock(task.nextAttemptAt)})`,
      );
    default:
      return line(
        task.finishedAt,
        `  ${style.red('✗')} ${name}  ${status}  (${attempt}${task.error == null ? '' : `: ${clip(task.error, 60)}`})`,
      );
  }
}

/** `gate of sandbox: not met (3 of 4)`, then one line per criterion. */
export function gateLines(
  style: Style,
  stage: string,
  evaluatedAt: string,
  results: readonly ResultMoment[],
): string[] {
  const passed = results.filter((r) => r.outcome === 'passed').length;
  const verdict = passed === results.length ? style.green('passed') : style.red('not met');
  const lines = [
    line(evaluatedAt, style.bold(`gate of ${stage}: ${verdict} (${passed} of ${results.length})`)),
  ];
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
  return lines;
}

export function transitionLine(
  style: Style,
  at: string,
  transition: {
    readonly kind: TransitionKind;
    readonly fromStage: string;
    readonly toStage: string;
    readonly by: string;
    readonly reason: string;
  },
): string {
  const t = transition;
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
  return line(at, style.bold(`${what} (by ${t.by}: ${clip(t.reason, 60)})`));
}
