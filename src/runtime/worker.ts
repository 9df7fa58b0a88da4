import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { toError } from '../application/errors.js';
import type { Clock, Store, WorkItem, WorkKind } from '../application/ports.js';
import { addMillis, millisBetween, type Millis } from '../domain/index.js';

/**
 * Claims due work items from the store and runs them, at most `concurrency` at a time. The item
 * leases are what make it safe to run several workers (and several processes on PostgreSQL): an
 * item is held by one worker until its lease expires, and a worker that dies simply lets it
 * expire. A handler that throws has its item released with a growing delay, so a broken
 * dependency is retried without a hot loop.
 */

export type WorkHandler = (item: WorkItem, signal: AbortSignal) => Promise<void>;

export interface WorkerOptions {
  readonly store: Pick<Store, 'claim' | 'release' | 'extendLease' | 'nextDueAt'>;
  readonly clock: Clock;
  readonly handle: WorkHandler;
  /** Identifies this worker's leases; unique per process. */
  readonly owner?: string;
  /** @default 16 */
  readonly concurrency?: number;
  /** A claimed item belongs to this worker for this long, extended while it runs. @default 30 s */
  readonly leaseFor?: Millis;
  /** The longest sleep between claims, which bounds how late work queued by another process is seen. @default 1 s */
  readonly idlePoll?: Millis;
  readonly kinds?: readonly WorkKind[];
  /** Told about handler failures (the item is retried later). */
  readonly onError?: (error: Error, item?: WorkItem) => void;
}

export function workerOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

export class Worker {
  readonly owner: string;
  private readonly concurrency: number;
  private readonly leaseFor: Millis;
  private readonly idlePoll: Millis;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private wakeRequested = false;

  constructor(private readonly options: WorkerOptions) {
    this.owner = options.owner ?? workerOwner();
    this.concurrency = Math.max(1, options.concurrency ?? 16);
    this.leaseFor = options.leaseFor ?? 30_000;
    this.idlePoll = options.idlePoll ?? 1_000;
    // Every item in flight may listen to the one stop signal: no listener limit applies.
    setMaxListeners(0, this.abort.signal);
  }

  start(): void {
    if (this.running) {
      return;
    }
    this.running = true;
    this.loop = this.run();
  }

  /** Work was queued that is due now: claim without waiting for the poll. */
  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  /**
   * Stops claiming and waits for the items in hand, up to `grace`; then aborts them (their
   * leases expire and another worker, or the next start, takes them over).
   */
  async stop(grace: Millis = 10_000): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    const settled = Promise.allSettled(this.inFlight.values());
    const timer = new Promise((resolve) => setTimeout(resolve, grace).unref());
    await Promise.race([settled, timer]);
    this.abort.abort(new Error('worker stopped'));
    await settled;
  }

  /**
   * Runs everything due now (and what that work queues, if also due), then returns: for tests
   * and tools that drive the engine step by step with their own clock.
   */
  async runUntilIdle(maxRounds = 10_000): Promise<number> {
    let handled = 0;
    for (let round = 0; round < maxRounds; round += 1) {
      const items = await this.claim(this.concurrency);
      if (items.length === 0 && this.inFlight.size === 0) {
        return handled;
      }
      handled += items.length;
      for (const item of items) {
        this.track(item);
      }
      if (items.length === 0 || this.inFlight.size >= this.concurrency) {
        await Promise.race(this.inFlight.values());
      }
    }
    throw new Error(`work did not settle within ${maxRounds} rounds`);
  }

  private async run(): Promise<void> {
    while (this.running) {
      const free = this.concurrency - this.inFlight.size;
      let claimed = 0;
      if (free > 0) {
        try {
          const items = await this.claim(free);
          claimed = items.length;
          for (const item of items) {
            this.track(item);
          }
        } catch (thrown) {
          // The database is unreachable for now: keep the loop alive and try again later.
          this.options.onError?.(toError(thrown));
        }
      }
      if (claimed > 0 && claimed === free) {
        continue;
      }
      await this.sleep(free > 0 && claimed === 0 ? await this.idleDelay() : this.idlePoll);
    }
  }

  private claim(limit: number): Promise<WorkItem[]> {
    return this.options.store.claim({
      owner: this.owner,
      limit,
      leaseFor: this.leaseFor,
      now: this.options.clock.now(),
      ...(this.options.kinds === undefined ? {} : { kinds: this.options.kinds }),
    });
  }

  private track(item: WorkItem): void {
    const done = this.execute(item).finally(() => {
      this.inFlight.delete(item.id);
      // A finished item often queued follow-ups: look again at once.
      this.wake();
    });
    this.inFlight.set(item.id, done);
  }

  private async execute(item: WorkItem): Promise<void> {
    const keepLease = setInterval(() => {
      void this.options.store
        .extendLease(item.id, this.owner, this.leaseFor, this.options.clock.now())
        .catch(() => undefined);
    }, this.leaseFor / 3);
    keepLease.unref();
    try {
      await this.options.handle(item, this.abort.signal);
    } catch (thrown) {
      const error = toError(thrown);
      this.options.onError?.(error, item);
      const backoff = Math.min(60_000, 250 * 2 ** Math.min(item.attempts, 8));
      await this.options.store
        .release(item.id, this.owner, addMillis(this.options.clock.now(), backoff), error.message)
        .catch(() => undefined);
    } finally {
      clearInterval(keepLease);
    }
  }

  /** Until the next item is due (at most `idlePoll`, at least 1 ms). */
  private async idleDelay(): Promise<Millis> {
    try {
      const next = await this.options.store.nextDueAt();
      if (next === null) {
        return this.idlePoll;
      }
      return Math.max(1, Math.min(this.idlePoll, millisBetween(this.options.clock.now(), next)));
    } catch {
      return this.idlePoll;
    }
  }

  private sleep(ms: Millis): Promise<void> {
    if (this.wakeRequested || !this.running) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    }).then(() => {
      this.wakeUp = undefined;
      this.wakeRequested = false;
    });
  }
}
