import type {
  ClaimRequest,
  Commit,
  CommitResult,
  Store,
  StoredEvent,
  WorkItem,
  WorkKind,
} from '../src/application/ports.js';

/**
 * A Store that times every call it passes on to the real one, and follows each claimed work item
 * from its due time to its claim and from its claim to the write that finishes it. This is how
 * the engine bench says where a task's time goes (loading, committing, claiming, waiting in the
 * queue) without touching the engine. It adds two `performance.now()` calls per store call.
 *
 * It is a Proxy over the real store, so every method of the Store port is timed, including
 * methods added after this was written.
 */

export interface CallStats {
  count: number;
  totalMs: number;
  maxMs: number;
  /** Calls that threw, by error name (a lost race is a ConcurrencyConflictError). */
  errors: Record<string, number>;
}

export interface KindStats {
  /** Items of this kind claimed (a re-claimed item counts once per claim). */
  claimed: number;
  /** Claims finished by a commit, complete or release. */
  finished: number;
  /** Sum over claims of (claimed at - due at): the time the item waited in the queue. */
  waitMs: number;
  /** Sum over claims of (finished at - claimed at): the time the engine spent on the item. */
  handleMs: number;
  maxHandleMs: number;
}

export interface ProbeReport {
  readonly calls: Readonly<Record<string, CallStats>>;
  readonly kinds: Readonly<Record<string, KindStats>>;
}

/** Writes are the calls that open a write transaction. */
export const WRITE_CALLS: ReadonlySet<string> = new Set([
  'commit',
  'claim',
  'complete',
  'release',
  'extendLease',
  'enqueue',
  'releaseAllLeases',
]);

/** Not measured: set-up and tear-down. */
const UNTIMED: ReadonlySet<PropertyKey> = new Set(['migrate', 'close', 'backend']);

type Method = (...args: unknown[]) => unknown;

export class StoreProbe {
  /** The store to give the engine: the real one, timed. */
  readonly store: Store;
  #calls = new Map<string, CallStats>();
  #kinds = new Map<WorkKind, KindStats>();
  /** Claimed items not finished yet: when they were claimed, and their kind. */
  readonly #inHand = new Map<string, { kind: WorkKind; claimedAt: number }>();
  readonly #listeners: ((events: readonly StoredEvent[]) => void)[] = [];

  constructor(readonly inner: Store) {
    const wrapped = new Map<PropertyKey, Method>();
    this.store = new Proxy(inner, {
      get: (target, property, receiver) => {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || UNTIMED.has(property)) {
          return value;
        }
        let method = wrapped.get(property);
        if (method === undefined) {
          method = this.#wrap(String(property), (value as Method).bind(target));
          wrapped.set(property, method);
        }
        return method;
      },
    });
  }

  /** Called with the events of every successful commit (after it committed). */
  onCommitted(listener: (events: readonly StoredEvent[]) => void): void {
    this.#listeners.push(listener);
  }

  /** Forgets what was measured so far (e.g. after the journeys' start). */
  reset(): void {
    this.#calls = new Map();
    this.#kinds = new Map();
  }

  report(): ProbeReport {
    return {
      calls: Object.fromEntries(
        [...this.#calls].map(([name, stats]) => [name, { ...stats, errors: { ...stats.errors } }]),
      ),
      kinds: Object.fromEntries([...this.#kinds].map(([kind, stats]) => [kind, { ...stats }])),
    };
  }

  #wrap(name: string, call: Method): Method {
    return async (...args: unknown[]) => {
      const result = await this.#timed(name, () => call(...args));
      switch (name) {
        case 'commit': {
          const { complete } = args[0] as Commit;
          if (complete !== undefined) {
            this.#finished(complete.itemId);
          }
          for (const listener of this.#listeners) {
            listener((result as CommitResult).events);
          }
          break;
        }
        case 'claim':
          this.#claimed(args[0] as ClaimRequest, result as WorkItem[]);
          break;
        case 'complete':
        case 'release':
          this.#finished(args[0] as string);
          break;
        default:
      }
      return result;
    };
  }

  #claimed(_request: ClaimRequest, items: readonly WorkItem[]): void {
    const claimedAt = Date.now();
    for (const item of items) {
      const stats = this.#kind(item.kind);
      stats.claimed += 1;
      stats.waitMs += Math.max(0, claimedAt - Date.parse(item.dueAt));
      this.#inHand.set(item.id, { kind: item.kind, claimedAt });
    }
  }

  #finished(itemId: string): void {
    const held = this.#inHand.get(itemId);
    if (held === undefined) {
      return;
    }
    this.#inHand.delete(itemId);
    const stats = this.#kind(held.kind);
    const handled = Date.now() - held.claimedAt;
    stats.finished += 1;
    stats.handleMs += handled;
    stats.maxHandleMs = Math.max(stats.maxHandleMs, handled);
  }

  #kind(kind: WorkKind): KindStats {
    let stats = this.#kinds.get(kind);
    if (stats === undefined) {
      stats = { claimed: 0, finished: 0, waitMs: 0, handleMs: 0, maxHandleMs: 0 };
      this.#kinds.set(kind, stats);
    }
    return stats;
  }

  async #timed(name: string, call: () => unknown): Promise<unknown> {
    const started = performance.now();
    let failed: string | undefined;
    try {
      return await call();
    } catch (error) {
      failed = error instanceof Error ? error.name : 'thrown';
      throw error;
    } finally {
      const elapsed = performance.now() - started;
      let stats = this.#calls.get(name);
      if (stats === undefined) {
        stats = { count: 0, totalMs: 0, maxMs: 0, errors: {} };
        this.#calls.set(name, stats);
      }
      stats.count += 1;
      stats.totalMs += elapsed;
      stats.maxMs = Math.max(stats.maxMs, elapsed);
      if (failed !== undefined) {
        stats.errors[failed] = (stats.errors[failed] ?? 0) + 1;
      }
    }
  }
}
