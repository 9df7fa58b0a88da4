/** A task asked for many times that must run once for them all: a reload after a burst of events. */
export interface Coalesced {
  /** Run soon: now when idle, else once after the run in progress (however often asked). */
  readonly request: () => void;
  /** No more runs; one in progress finishes. */
  readonly stop: () => void;
}

/**
 * Runs `task` on request, never twice at once, and at most once per `minIntervalMs` (measured
 * from run start to run start), so a stream of events costs a bounded number of reloads. A
 * failed run is reported to `onError` and does not stop later ones.
 */
export function coalesced(
  task: () => Promise<void>,
  minIntervalMs: number,
  onError: (error: unknown) => void,
): Coalesced {
  let running = false;
  let pending = false;
  let stopped = false;
  let lastStart = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const run = (): void => {
    timer = undefined;
    if (stopped) {
      return;
    }
    running = true;
    pending = false;
    lastStart = Date.now();
    task()
      .catch(onError)
      .finally(() => {
        running = false;
        if (pending) {
          schedule();
        }
      });
  };
  const schedule = (): void => {
    if (stopped || running || timer !== undefined) {
      pending = pending || running;
      return;
    }
    timer = setTimeout(run, Math.max(0, lastStart + minIntervalMs - Date.now()));
  };
  return {
    request: schedule,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
