import type { JourneyEvent, UnitOfWorkEvent } from '../../domain/index.js';
import type { CloudEventJson } from '../../relay/cloud-event.js';
import type { JourneyView, TaskView, UnitOfWorkView } from '../client/views.js';
import { describeEvent } from '../render/events.js';
import type { Style } from '../render/style.js';
import {
  gateLines,
  line,
  taskLine,
  transitionLine,
  unitEndLine,
  unitHeader,
  type ResultMoment,
  type TaskMoment,
} from './progress-lines.js';

/** A unit as far as progress goes: what it is, its tasks, and its status when last told. */
interface UnitMemory {
  readonly workId: string;
  stage: string;
  purpose: string;
  taskIds: string[];
  /** null until its header line was written. */
  status: string | null;
}

const UNIT_ENDED: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

/**
 * Turns what a watch learns about a journey into progress lines: a unit of work starting, each
 * task as it runs and ends, the unit ending, each stage transition, each judgement of the gate,
 * approvals. It learns from snapshots of the journey (`update`, the polling watch) and from its
 * events (`apply`, the live stream), into one memory, so whatever it already said is never
 * said again, whichever way it learnt it (`journey demo` watches several times). A snapshot
 * shows a state it never saw (a task that ran between two reads) as its outcome.
 */
export class ProgressTracker {
  readonly #style: Style;
  readonly #units = new Map<string, UnitMemory>();
  /** `workId/taskId` -> `status:attempt` as last told. */
  readonly #tasks = new Map<string, string>();
  /** `workId/taskId` -> its latest attempt. */
  readonly #attempts = new Map<string, number>();
  /** `workId/taskId#attempt` -> when that attempt started. */
  readonly #starts = new Map<string, string>();
  /** Stage transitions told (-1: none seen yet, and the history before the first is not told). */
  #transitions = -1;
  #evaluatedAt: string | null = null;
  /** The stage whose gate was last shown passing: a promotion's own check need not repeat it. */
  #passedGate: string | null = null;
  /** The rollback under way, for the line that says it completed. */
  #rollback: { readonly reason: string; readonly by: string } | null = null;

  constructor(style: Style) {
    this.#style = style;
  }

  /** The lines a snapshot of the journey calls for since what was already said. */
  update(journey: JourneyView): string[] {
    const lines: string[] = [];
    const history = journey.stageHistory;
    const started = history.findLast((t) => t.kind === 'rollback_started');
    this.#rollback = started === undefined ? null : { reason: started.reason, by: started.by };
    if (this.#transitions >= 0) {
      for (const t of history.slice(this.#transitions)) {
        this.#transition(lines, t.transitionedAt, t, t.exitCriteriaResults);
      }
    }
    this.#transitions = history.length;
    const unit = journey.currentUnitOfWork;
    if (unit !== null) {
      this.#unitLines(unit, lines);
    }
    const evaluation = journey.exitCriteria;
    if (evaluation !== null) {
      this.#gate(lines, evaluation.stage, evaluation.evaluatedAt, evaluation.results);
    }
    return lines;
  }

  /** The lines of a unit read on its own (one the journey has left): how its tasks ended. */
  finish(unit: UnitOfWorkView): string[] {
    const lines: string[] = [];
    this.#unitLines(unit, lines);
    return lines;
  }

  /** True when the journey left a unit last seen before it ended. */
  left(unitId: string, journey: JourneyView): boolean {
    const status = this.#units.get(unitId)?.status;
    return (
      journey.currentUnitOfWork?.workId !== unitId && status != null && !UNIT_ENDED.has(status)
    );
  }

  /** True when this unit was heard of (its creation, or a snapshot of it). */
  knows(workId: string): boolean {
    return this.#units.has(workId);
  }

  /** The lines an event of the journey or of one of its units calls for. */
  apply(envelope: CloudEventJson): string[] {
    const data = envelope.data as unknown as JourneyEvent | UnitOfWorkEvent;
    const at = typeof data.at === 'string' ? data.at : envelope.time;
    const lines: string[] = [];
    if (envelope.streamid !== envelope.journeyid) {
      this.#unitEvent(lines, envelope.streamid, data as UnitOfWorkEvent, at);
      return lines;
    }
    const event = data as JourneyEvent;
    switch (event.type) {
      case 'ExitCriteriaEvaluated':
        this.#gate(lines, event.stage, event.evaluation.evaluatedAt, event.evaluation.results);
        break;
      case 'StagePromoted':
        this.#told(lines, at, { kind: 'promotion', ...event, by: event.promotedBy });
        break;
      case 'JourneyCompleted':
        this.#told(lines, at, {
          kind: 'completion',
          fromStage: 'production',
          toStage: 'completed',
          by: event.completedBy,
          reason: 'production success criteria met',
          exitCriteriaResults: event.exitCriteriaResults,
        });
        break;
      case 'RollbackInitiated':
        this.#rollback = { reason: event.reason, by: event.initiatedBy };
        this.#told(lines, at, { kind: 'rollback_started', ...event, by: event.initiatedBy });
        break;
      case 'RollbackCompleted':
        this.#told(lines, at, {
          kind: 'rollback_completed',
          ...event,
          by: this.#rollback?.by ?? envelope.causedby,
          reason: this.#rollback?.reason ?? 'rollback completed',
        });
        break;
      case 'JourneyCancelled':
        this.#told(lines, at, {
          kind: 'cancellation',
          ...event,
          toStage: 'cancelled',
          by: event.cancelledBy,
        });
        break;
      // Said by the lines of their unit of work.
      case 'StageSetupCompleted':
      case 'StageSetupFailed':
      case 'SnapshotTaken':
        break;
      default:
        lines.push(line(at, describeEvent(event)));
    }
    return lines;
  }

  #told(
    lines: string[],
    at: string,
    transition: Parameters<typeof transitionLine>[2] & {
      readonly exitCriteriaResults?: readonly ResultMoment[];
    },
  ): void {
    this.#transition(lines, at, transition, transition.exitCriteriaResults ?? []);
    if (this.#transitions >= 0) {
      this.#transitions += 1;
    }
  }

  #transition(
    lines: string[],
    at: string,
    t: Parameters<typeof transitionLine>[2],
    results: readonly (ResultMoment & { readonly evaluatedAt?: string })[],
  ): void {
    // A gate that promoted by itself may never be seen as the journey's latest evaluation.
    const first = results[0];
    if (
      first?.evaluatedAt !== undefined &&
      (t.kind === 'promotion' || t.kind === 'completion') &&
      this.#passedGate !== t.fromStage
    ) {
      this.#gate(lines, t.fromStage, first.evaluatedAt, results);
    }
    lines.push(transitionLine(this.#style, at, t));
  }

  #gate(
    lines: string[],
    stage: string,
    evaluatedAt: string,
    results: readonly ResultMoment[],
  ): void {
    if (evaluatedAt === this.#evaluatedAt) {
      return;
    }
    this.#evaluatedAt = evaluatedAt;
    const passed = results.every((r) => r.outcome === 'passed');
    this.#passedGate = passed ? stage : null;
    lines.push(...gateLines(this.#style, stage, evaluatedAt, results));
  }

  #unitLines(unit: UnitOfWorkView, lines: string[]): void {
    const memory = this.#memory(unit.workId, unit.stage, unit.purpose);
    memory.taskIds = unit.tasks.map((task) => task.taskId);
    this.#header(lines, memory, unit.startedAt ?? unit.createdAt);
    const before = memory.status;
    memory.status = unit.status;
    const width = this.#width(memory);
    for (const task of unit.tasks) {
      const key = `${unit.workId}/${task.taskId}`;
      for (const attempt of task.attempts) {
        if (attempt.startedAt !== null) {
          this.#starts.set(`${key}#${attempt.attempt}`, attempt.startedAt);
        }
      }
      this.#attempts.set(key, task.attemptCount);
      if (task.status !== 'pending') {
        this.#task(lines, key, momentOf(task), width);
      }
    }
    if (UNIT_ENDED.has(unit.status) && before !== unit.status) {
      const detail =
        unit.status === 'cancelled' ? (unit.cancelReason ?? '') : unit.failedTaskIds.join(', ');
      lines.push(unitEndLine(this.#style, unit.endedAt, memory, unit.status, detail));
    }
  }

  #unitEvent(lines: string[], workId: string, event: UnitOfWorkEvent, at: string): void {
    if (event.type === 'UnitOfWorkCreated') {
      this.#memory(workId, event.stage, event.purpose);
      return;
    }
    const memory = this.#memory(workId, '?', 'unit');
    if (event.type === 'TaskAdded') {
      memory.taskIds.push(event.task.taskId);
      return;
    }
    this.#header(lines, memory, at);
    const width = this.#width(memory);
    switch (event.type) {
      case 'UnitOfWorkStarted':
        memory.status = 'running';
        return;
      case 'TaskExecutionStarted': {
        const key = `${workId}/${event.taskId}`;
        this.#starts.set(`${key}#${event.attempt}`, at);
        this.#attempts.set(key, event.attempt);
        const moment = {
          ...event,
          status: 'running',
          startedAt: at,
          agentId: event.agentId ?? null,
        };
        this.#task(lines, key, moment, width);
        return;
      }
      case 'TaskExecutionCompleted':
      case 'TaskExecutionFailed': {
        const key = `${workId}/${event.taskId}`;
        this.#attempts.set(key, event.attempt);
        const failed = event.type === 'TaskExecutionFailed';
        this.#task(
          lines,
          key,
          {
            taskId: event.taskId,
            attempt: event.attempt,
            status: failed ? (event.willRetry ? 'waiting_retry' : 'failed') : 'succeeded',
            error: failed ? event.error.message : null,
            nextAttemptAt: failed ? (event.nextAttemptAt ?? null) : null,
            startedAt: this.#starts.get(`${key}#${event.attempt}`) ?? null,
            finishedAt: at,
          },
          width,
        );
        return;
      }
      case 'UnitOfWorkCompleted':
        this.#ended(lines, memory, at, 'completed', '');
        return;
      case 'UnitOfWorkFailed': {
        const blocked =
          event.blockedTaskIds.length === 0 ? '' : ` (not run: ${event.blockedTaskIds.join(', ')})`;
        this.#ended(lines, memory, at, 'failed', `${event.failedTaskIds.join(', ')}${blocked}`);
        return;
      }
      case 'UnitOfWorkCancelled':
        for (const taskId of event.cancelledTaskIds) {
          const key = `${workId}/${taskId}`;
          this.#tasks.set(key, `cancelled:${this.#attempts.get(key) ?? 0}`);
        }
        this.#ended(lines, memory, at, 'cancelled', event.reason);
        return;
      case 'UnitOfWorkRetried':
        memory.status = 'running';
        lines.push(
          line(
            at,
            this.#style.yellow(
              `${memory.stage} ${memory.purpose} retried: ${event.taskIds.join(', ')}`,
            ),
          ),
        );
        return;
      default:
        lines.push(line(at, describeEvent(event)));
    }
  }

  #ended(lines: string[], memory: UnitMemory, at: string, status: string, detail: string): void {
    if (memory.status !== status) {
      memory.status = status;
      lines.push(unitEndLine(this.#style, at, memory, status, detail));
    }
  }

  #memory(workId: string, stage: string, purpose: string): UnitMemory {
    let memory = this.#units.get(workId);
    if (memory === undefined) {
      memory = { workId, stage, purpose, taskIds: [], status: null };
      this.#units.set(workId, memory);
    } else if (memory.stage === '?') {
      memory.stage = stage;
      memory.purpose = purpose;
    }
    return memory;
  }

  #header(lines: string[], memory: UnitMemory, at: string | null): void {
    if (memory.status === null) {
      memory.status = 'pending';
      lines.push(unitHeader(this.#style, at, memory, memory.taskIds.length));
    }
  }

  #width(memory: UnitMemory): number {
    return Math.max(0, ...memory.taskIds.map((id) => id.length));
  }

  #task(lines: string[], key: string, task: TaskMoment, width: number): void {
    const signature = `${task.status}:${task.attempt}`;
    if (this.#tasks.get(key) !== signature) {
      this.#tasks.set(key, signature);
      lines.push(taskLine(this.#style, task, width));
    }
  }
}

function momentOf(task: TaskView): TaskMoment {
  const last = task.attempts.at(-1);
  return {
    taskId: task.taskId,
    status: task.status,
    attempt: task.attemptCount,
    agentId: task.agentId,
    error: task.error?.message ?? null,
    nextAttemptAt: task.nextAttemptAt,
    startedAt: last?.startedAt ?? null,
    finishedAt: last?.finishedAt ?? null,
  };
}
