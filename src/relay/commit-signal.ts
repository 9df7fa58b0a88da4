/**
 * Wakes whoever waits for new events: the relay's outlets and the live streams. A commit in
 * this process calls `notify()`; others' commits (PostgreSQL, several processes) are found by
 * the next poll, which is why every wait also has a timeout.
 */
export class CommitSignal {
  #waiters = new Set<() => void>();

  notify(): void {
    const waiters = this.#waiters;
    this.#waiters = new Set();
    for (const wake of waiters) {
      wake();
    }
  }

  /** Resolves at the next notify, after `timeout` ms, or when `signal` aborts; never rejects. */
  wait(timeout: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted === true) {
        resolve();
        return;
      }
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeout);
      signal?.addEventListener('abort', done, { once: true });
      this.#waiters.add(done);
    });
  }
}

/** A pause that ends early (resolving, not rejecting) when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new CommitSignal().wait(ms, signal);
}
