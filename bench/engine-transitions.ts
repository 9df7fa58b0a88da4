import { START, type Store, type StoredEvent } from '../src/application/ports.js';
import type { WorkingStage } from '../src/domain/index.js';

/**
 * Stage-transition overhead, read back from the event log after a run.
 *
 * A transition starts when the setup unit of a stage completes (the commit of its
 * UnitOfWorkCompleted) and ends when the next stage's work has begun:
 * - promotion (sandbox -> pilot, pilot -> production): the commit of the next stage's first
 *   TaskExecutionStarted;
 * - completion (production -> completed): the commit of JourneyCompleted.
 * Both ends are the events' `recordedAt` (the store's clock at the commit, millisecond
 * resolution). In between the engine runs three reactions (StageSetupCompleted; the gate:
 * ExitCriteriaEvaluated + StagePromoted; the next unit's creation) and the first dispatch; the
 * agents answer in the same tick, so the whole span is engine time: queue waits, loads, commits.
 */

export interface TransitionStats {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export interface RunAudit {
  readonly journeys: number;
  readonly completedJourneys: number;
  readonly tasksCompleted: number;
  readonly tasksFailed: number;
  readonly events: number;
  readonly transitions: TransitionStats;
  readonly promotions: TransitionStats;
  readonly completions: TransitionStats;
}

interface JourneyTrace {
  completedAt?: number;
  /** Setup unit per stage. */
  units: Partial<Record<WorkingStage, string>>;
}

interface UnitTrace {
  completedAt?: number;
  firstStartAt?: number;
}

const NEXT: Readonly<Record<WorkingStage, WorkingStage | 'completed'>> = {
  sandbox: 'pilot',
  pilot: 'production',
  production: 'completed',
};

/** Reads the whole log and measures the transitions of the journeys whose client id matches. */
export async function auditRun(store: Store, clientPrefix: string): Promise<RunAudit> {
  const journeys = new Map<string, JourneyTrace>();
  const units = new Map<string, UnitTrace>();
  let tasksCompleted = 0;
  let tasksFailed = 0;
  let events = 0;
  const unit = (workId: string): UnitTrace => {
    let trace = units.get(workId);
    if (trace === undefined) {
      trace = {};
      units.set(workId, trace);
    }
    return trace;
  };
  const visit = (stored: StoredEvent): void => {
    const { event } = stored;
    if (event.type === 'JourneyStarted') {
      if (event.clientId.startsWith(clientPrefix)) {
        journeys.set(stored.journeyId, { units: {} });
      }
      return;
    }
    const journey = journeys.get(stored.journeyId);
    if (journey === undefined) {
      return;
    }
    events += 1;
    const at = Date.parse(stored.recordedAt);
    switch (event.type) {
      case 'UnitOfWorkCreated':
        if (event.purpose === 'setup') {
          journey.units[event.stage] = event.workId;
        }
        break;
      case 'TaskExecutionStarted': {
        const trace = unit(event.workId);
        trace.firstStartAt = Math.min(trace.firstStartAt ?? at, at);
        break;
      }
      case 'TaskExecutionCompleted':
        tasksCompleted += 1;
        break;
      case 'TaskExecutionFailed':
        tasksFailed += 1;
        break;
      case 'UnitOfWorkCompleted':
        unit(event.workId).completedAt = at;
        break;
      case 'JourneyCompleted':
        journey.completedAt = at;
        break;
      default:
    }
  };
  let position = START;
  for (;;) {
    const page = await store.readAll(position, 2000);
    page.events.forEach(visit);
    if (page.events.length === 0) {
      break;
    }
    position = page.next;
  }

  const promotions: number[] = [];
  const completions: number[] = [];
  let completedJourneys = 0;
  for (const journey of journeys.values()) {
    if (journey.completedAt !== undefined) {
      completedJourneys += 1;
    }
    for (const [stage, next] of Object.entries(NEXT) as [
      WorkingStage,
      WorkingStage | 'completed',
    ][]) {
      const workId = journey.units[stage];
      const from = workId === undefined ? undefined : units.get(workId)?.completedAt;
      if (from === undefined) {
        continue;
      }
      if (next === 'completed') {
        if (journey.completedAt !== undefined) {
          completions.push(journey.completedAt - from);
        }
        continue;
      }
      const nextUnit = journey.units[next];
      const to = nextUnit === undefined ? undefined : units.get(nextUnit)?.firstStartAt;
      if (to !== undefined) {
        promotions.push(to - from);
      }
    }
  }
  return {
    journeys: journeys.size,
    completedJourneys,
    tasksCompleted,
    tasksFailed,
    events,
    transitions: stats([...promotions, ...completions]),
    promotions: stats(promotions),
    completions: stats(completions),
  };
}

export function stats(samples: readonly number[]): TransitionStats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? 0,
  };
}

/** Nearest-rank percentile of sorted samples (0 when there are none). */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) {
    return 0;
  }
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1] ?? 0;
}
