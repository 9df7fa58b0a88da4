import type { Millis } from '../domain/index.js';

/**
 * The signal one reading runs under: it aborts when the caller's signal does or when the
 * reading's timeout passes, and says which. Hand-made rather than `AbortSignal.any` with
 * `AbortSignal.timeout`: on Node 20, `any` leaves an entry on the caller's signal for every
 * call (nodejs/node#55351), and the engine passes one long-lived signal to every reading.
 */
export interface Deadline {
  readonly signal: AbortSignal;
  /** True once the timeout (not the caller) stopped the reading. */
  timedOut(): boolean;
  /** Stops the timer and detaches from the caller's signal; call it when the reading ends. */
  release(): void;
}

export function startDeadline(caller: AbortSignal, timeout: Millis): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  const onCallerAbort = (): void => controller.abort(caller.reason);
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`timed out after ${timeout} ms`, 'TimeoutError'));
  }, timeout);
  if (caller.aborted) {
    onCallerAbort();
  } else {
    caller.addEventListener('abort', onCallerAbort, { once: true });
  }
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    release: () => {
      clearTimeout(timer);
      caller.removeEventListener('abort', onCallerAbort);
    },
  };
}
