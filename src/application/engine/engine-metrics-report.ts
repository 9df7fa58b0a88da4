import {
  millisBetween,
  type Instant,
  type JourneyEvent,
  type JourneyState,
  type UnitOfWorkEvent,
  type UnitOfWorkState,
} from '../../domain/index.js';
import type { EngineMetrics } from '../queries/engine-metrics.js';

/**
 * What a commit tells the metrics (transitions, rollbacks, task attempts), worked out from the
 * state before it and its events; reported only once the commit succeeded.
 */
export type MetricsReport = (metrics: EngineMetrics) => void;

export function journeyReport(
  before: JourneyState,
  events: readonly JourneyEvent[],
): MetricsReport {
  return (metrics) => {
    if (before.status !== 'started') {
      return;
    }
    const inStage = (at: Instant) => millisBetween(before.stageEnteredAt, at);
    for (const event of events) {
      switch (event.type) {
        case 'StagePromoted':
          metrics.stageTransition({
            kind: 'promotion',
            fromStage: event.fromStage,
            toStage: event.toStage,
            duration: inStage(event.at),
          });
          break;
        case 'JourneyCompleted':
          metrics.stageTransition({
            kind: 'completion',
            fromStage: event.fromStage,
            toStage: 'completed',
            duration: inStage(event.at),
          });
          break;
        case 'StageSetupCompleted':
          metrics.stageSetupCompleted({ stage: event.stage, duration: inStage(event.at) });
          break;
        case 'RollbackInitiated':
          metrics.rollbackInitiated({
            fromStage: event.fromStage,
            toStage: event.toStage,
            automatic: event.initiatedBy === 'system',
          });
          metrics.stageTransition({
            kind: 'rollback_started',
            fromStage: event.fromStage,
            toStage: 'rollback',
            duration: inStage(event.at),
          });
          break;
        case 'RollbackCompleted':
          metrics.stageTransition({
            kind: 'rollback_completed',
            fromStage: 'rollback',
            toStage: event.toStage,
            duration: inStage(event.at),
          });
          break;
        case 'JourneyCancelled':
          metrics.stageTransition({
            kind: 'cancellation',
            fromStage: event.fromStage,
            toStage: 'cancelled',
            duration: inStage(event.at),
          });
          break;
        default:
          break;
      }
    }
  };
}

export function unitReport(
  before: UnitOfWorkState,
  events: readonly UnitOfWorkEvent[],
): MetricsReport {
  return (metrics) => {
    if (before.status === 'none') {
      return;
    }
    const started = new Map<string, Instant>();
    for (const task of before.tasks) {
      if (task.execution.status === 'running') {
        started.set(task.taskId, task.execution.startedAt);
      }
    }
    const intentOf = (taskId: string) =>
      before.tasks.find((task) => task.taskId === taskId)?.intent ?? 'unknown';
    for (const event of events) {
      if (event.type === 'TaskExecutionStarted') {
        started.set(event.taskId, event.at);
      } else if (event.type === 'TaskExecutionCompleted' || event.type === 'TaskExecutionFailed') {
        const startedAt = started.get(event.taskId) ?? event.at;
        metrics.taskAttemptFinished({
          intent: intentOf(event.taskId),
          outcome: event.type === 'TaskExecutionCompleted' ? 'succeeded' : 'failed',
          duration: millisBetween(startedAt, event.at),
        });
      } else if (event.type === 'UnitOfWorkCancelled') {
        for (const running of event.runningTasks) {
          metrics.taskAttemptFinished({
            intent: intentOf(running.taskId),
            outcome: 'cancelled',
            duration: millisBetween(started.get(running.taskId) ?? event.at, event.at),
          });
        }
      }
    }
  };
}
