import type { EngineLog } from '../src/application/engine/context.js';
import type { Store, StoredEvent } from '../src/application/ports.js';
import type { StoreProbe } from './engine-probe.js';
import type { BenchEngine } from './engine-workload.js';

/**
 * Pieces of the events bench's runs: the relay's store (timed), its log, a watch on the
 * engine's commits, and the wait until every outlet has caught up.
 */

/** Store calls only the relay makes (the engine never reads the global log). */
const RELAY_CALLS: ReadonlySet<PropertyKey> = new Set([
  'readAll',
  'advanceOutlet',
  'replayRequests',
  'acquireOutlet',
]);

export interface CallStats {
  count: number;
  totalMs: number;
}

type Method = (...args: unknown[]) => unknown;

/**
 * The store as the relay gets it: the real one (so `onCommitted` wakes it as in `journey
 * serve`), with the relay's own calls timed into `calls`.
 */
export function timedForRelay(store: Store, calls: Record<string, CallStats>): Store {
  return new Proxy(store, {
    get: (target, property, receiver) => {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') {
        return value;
      }
      const method = (value as Method).bind(target);
      if (!RELAY_CALLS.has(property)) {
        return method;
      }
      return async (...args: unknown[]) => {
        const started = performance.now();
        try {
          return await method(...args);
        } finally {
          const stats = (calls[String(property)] ??= { count: 0, totalMs: 0 });
          stats.count += 1;
          stats.totalMs += performance.now() - started;
        }
      };
    },
  });
}

/** Waits until every counter has reached `events` distinct ids; fails when one stalls. */
export async function caughtUp(
  events: number,
  counters: Readonly<Record<string, () => number | Promise<number>>>,
  stallMs: number,
): Promise<void> {
  const seen = new Map<string, { count: number; at: number }>();
  for (;;) {
    let done = true;
    for (const [name, count] of Object.entries(counters)) {
      const now = await count();
      const before = seen.get(name);
      if (before === undefined || now > before.count) {
        seen.set(name, { count: now, at: Date.now() });
      } else if (now < events && Date.now() - before.at > stallMs) {
        throw new Error(`${name} stalled at ${now} of ${events} events for ${stallMs} ms`);
      }
      done &&= now >= events;
    }
    if (done) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Counts JourneyCompleted as commits return, and remembers when the last commit returned. */
export class CommitWatch {
  lastCommitAt = Date.now();
  #completed = 0;
  #wake: (() => void) | undefined;

  constructor(probe: StoreProbe) {
    probe.onCommitted((events: readonly StoredEvent[]) => {
      this.lastCommitAt = Date.now();
      this.#completed += events.filter((event) => event.type === 'JourneyCompleted').length;
      this.#wake?.();
    });
  }

  /** Resolves once `journeys` journeys have completed in all; fails when commits stop. */
  async completed(journeys: number, stallMs: number, bench: BenchEngine): Promise<void> {
    while (this.#completed < journeys) {
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        setTimeout(resolve, 1_000);
      });
      this.#wake = undefined;
      if (this.#completed < journeys && Date.now() - this.lastCommitAt > stallMs) {
        throw new Error(
          `no commit for ${stallMs} ms with ${this.#completed} of ${journeys} journeys completed; ` +
            `${bench.warnings()} engine warnings, last: ${bench.lastWarning() ?? 'none'}`,
        );
      }
    }
  }
}

/** The relay's log: warnings counted (expected to stay 0), and which outlets it delivers to. */
export class RelayLog implements EngineLog {
  warnings = 0;
  lastWarning: string | null = null;
  readonly #delivering = new Set<string>();

  info(message: string, fields?: Record<string, unknown>): void {
    if (message.includes('delivering to an outlet') && typeof fields?.outlet === 'string') {
      this.#delivering.add(fields.outlet);
    }
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.warnings += 1;
    this.lastWarning = `${message} ${JSON.stringify(fields ?? {})}`;
  }

  /** Resolves once the relay holds every one of `outlets` (their checkpoints are set). */
  async delivering(outlets: readonly string[], stallMs: number): Promise<void> {
    const deadline = Date.now() + stallMs;
    while (!outlets.every((outlet) => this.#delivering.has(outlet))) {
      if (Date.now() > deadline) {
        throw new Error(`the relay did not take ${outlets.join(', ')} within ${stallMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

/**
 * What must be removed however the bench ends (a PostgreSQL schema, NATS streams, the receiver):
 * the runs' `finally` blocks call `run`, and so does a Ctrl-C, which would skip them.
 */
export class Cleanups {
  readonly #steps = new Set<() => Promise<void>>();

  /** Registers `step`; the returned function runs it (once) and forgets it. */
  add(step: () => Promise<void>): () => Promise<void> {
    let done: Promise<void> | undefined;
    const once = (): Promise<void> => {
      this.#steps.delete(once);
      return (done ??= step());
    };
    this.#steps.add(once);
    return once;
  }

  /** Runs every step still registered, the latest first; reports failures and goes on. */
  async run(): Promise<void> {
    for (const step of [...this.#steps].reverse()) {
      await step().catch((error: unknown) =>
        process.stderr.write(`clean-up failed: ${String(error)}\n`),
      );
    }
  }
}
