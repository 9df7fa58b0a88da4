/**
 * Runs `work` with a signal that aborts on Ctrl-C (SIGINT) or SIGTERM, for commands that wait
 * (watch, demo). The handlers are removed afterwards, so a second Ctrl-C behaves as usual.
 */
export async function untilInterrupted<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
