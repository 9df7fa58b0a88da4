import type { Millis, Stage, StageTransition, WorkingStage } from '../../domain/index.js';

/**
 * What the engine reports for the Prometheus `/metrics` endpoint: the runtime passes an
 * implementation (`ApiMetrics.engine` from src/http/metrics.ts), which the engine calls after
 * each commit that made the change. Every method must be cheap and never throw.
 */
export interface EngineMetrics {
  /** A stage transition was committed; `duration` is the time spent in `fromStage` (entry to exit). */
  stageTransition(transition: {
    readonly kind: StageTransition['kind'];
    readonly fromStage: Stage;
    readonly toStage: Stage;
    readonly duration: Millis;
  }): void;
  /**
   * A stage's setup unit of work completed, `duration` after the journey entered the stage: the
   * span the transition deadline watches (docs/engine.md), so its histogram shows how close
   * transitions come to it.
   */
  stageSetupCompleted(setup: { readonly stage: WorkingStage; readonly duration: Millis }): void;
  /** A rollback was initiated, by a person or by the engine after a failed setup. */
  rollbackInitiated(rollback: {
    readonly fromStage: WorkingStage;
    readonly toStage: WorkingStage;
    readonly automatic: boolean;
  }): void;
  /** A task attempt ended (its end committed), after `duration` from its start. */
  taskAttemptFinished(attempt: {
    readonly intent: string;
    readonly outcome: 'succeeded' | 'failed' | 'cancelled';
    readonly duration: Millis;
  }): void;
}

/** For an engine that reports nowhere. */
export const NO_ENGINE_METRICS: EngineMetrics = {
  stageTransition: () => undefined,
  stageSetupCompleted: () => undefined,
  rollbackInitiated: () => undefined,
  taskAttemptFinished: () => undefined,
};
