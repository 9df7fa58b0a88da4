import {
  engineContext,
  type EngineContext,
  type EngineDependencies,
} from '../application/engine/context.js';
import { handleWorkItem } from '../application/engine/handle-work.js';
import { JourneyOrchestrator } from '../application/engine/orchestrator.js';
import type { Millis } from '../domain/index.js';
import { Worker } from './worker.js';

export interface EngineOptions extends EngineDependencies {
  readonly worker?: {
    readonly owner?: string;
    readonly concurrency?: number;
    readonly leaseFor?: Millis;
    readonly idlePoll?: Millis;
  };
}

/**
 * The running engine: the orchestrator's use cases plus a worker that runs the reactions, task
 * attempts, re-checks and timers they queue. Several engines may share one PostgreSQL database;
 * on SQLite one process owns the database (see the owner lock in `journey serve`).
 */
export class Engine {
  readonly context: EngineContext;
  readonly orchestrator: JourneyOrchestrator;
  readonly worker: Worker;

  constructor(options: EngineOptions) {
    // The context tells the worker about new work; the worker runs with the context.
    this.context = engineContext(options, () => this.worker.wake());
    this.orchestrator = new JourneyOrchestrator(this.context);
    this.worker = new Worker({
      store: options.store,
      clock: options.clock,
      handle: (item, signal) => handleWorkItem(this.context, item, signal),
      onError: (error, item) =>
        this.context.log.warn('work item failed; it will be retried', {
          itemId: item?.id,
          kind: item?.kind,
          error: error.message,
        }),
      ...options.worker,
    });
  }

  start(): void {
    this.worker.start();
  }

  /** Runs all work due now to its end (tests and tools that step the clock themselves). */
  runUntilIdle(): Promise<number> {
    return this.worker.runUntilIdle();
  }

  async stop(grace?: Millis): Promise<void> {
    await this.worker.stop(grace);
  }
}
