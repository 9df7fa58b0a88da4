import { toError } from '../application/errors.js';
import type { Clock, PruneReport, Store } from '../application/ports.js';
import { addMillis, type Millis } from '../domain/index.js';

/** Timers as a port, so tests drive the job without waiting. */
export interface Timers {
  setInterval(callback: () => void, every: Millis): unknown;
  clearInterval(handle: unknown): void;
}

const realTimers: Timers = {
  setInterval: (callback, every) => setInterval(callback, every).unref(),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

export interface RetentionJobOptions {
  readonly store: Pick<Store, 'prune'>;
  readonly clock: Clock;
  /** History of journeys ended longer ago than this is removed. @default 2 years */
  readonly retention: Millis;
  /** How often to prune. @default 1 day */
  readonly every: Millis;
  readonly timers?: Timers;
  /** Told about every run, e.g. to log what was removed. */
  readonly onReport?: (report: PruneReport) => void;
  /** Told when a run fails; the job keeps its schedule and tries again next time. */
  readonly onError?: (error: Error) => void;
}

export const TWO_YEARS: Millis = 2 * 365 * 24 * 60 * 60 * 1000;

/**
 * The periodic side of retention (`journey prune` is the manual one): every `every`, removes the
 * history of journeys that ended more than `retention` ago. One run at a time: a tick that comes
 * while the previous run is still going is skipped. Returns a function that stops the job and
 * waits for a run in progress.
 */
export function startRetentionJob(options: RetentionJobOptions): {
  stop(): Promise<void>;
  runNow(): Promise<void>;
} {
  const timers = options.timers ?? realTimers;
  let running: Promise<void> | null = null;
  const run = (): Promise<void> => {
    running ??= (async () => {
      try {
        const cutoff = addMillis(options.clock.now(), -options.retention);
        // Not inside `onReport?.(...)`: an optional call skips its arguments when absent.
        const report = await options.store.prune(cutoff);
        options.onReport?.(report);
      } catch (thrown) {
        options.onError?.(toError(thrown));
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const handle = timers.setInterval(() => void run(), options.every);
  return {
    runNow: run,
    async stop() {
      timers.clearInterval(handle);
      await running;
    },
  };
}
