import { randomUUID } from 'node:crypto';
import type { EngineLog } from '../application/engine/context.js';
import type { Clock } from '../application/ports.js';
import { NO_RELAY_METRICS, type RelayMetrics } from '../application/queries/relay-metrics.js';
import { ClientIds } from './client-ids.js';
import { DEFAULT_EVENT_SOURCE } from './cloud-event.js';
import { CommitSignal } from './commit-signal.js';
import { OutletRunner, type RelayStore } from './outlet-runner.js';
import type { Outlet } from './outlet.js';
import {
  DEFAULT_OUTLET_POLICY,
  DEFAULT_RELAY_TIMINGS,
  type OutletPolicyInput,
  type RelayTimings,
} from './relay-settings.js';

export interface RelayOutlet {
  readonly outlet: Outlet;
  /** @default DEFAULT_OUTLET_POLICY */
  readonly policy?: OutletPolicyInput;
}

export interface RelayOptions {
  readonly store: RelayStore;
  readonly clock: Clock;
  readonly outlets: readonly RelayOutlet[];
  readonly log: EngineLog;
  /** Names this process in outlet leases. @default a random id */
  readonly owner?: string;
  /** The CloudEvents `source`. @default '/journey-orchestrator' */
  readonly source?: string;
  readonly timings?: Partial<RelayTimings>;
  readonly metrics?: RelayMetrics;
  /** @default Math.random (jitter of retry pauses) */
  readonly random?: () => number;
}

/**
 * The event relay (DESIGN.md section 6): reads the store's log in commit order and delivers
 * every event to each outlet, each on its own loop with its own durable checkpoint. At least
 * once, in order per journey, nothing lost across crashes; see docs/events.md.
 */
export class Relay {
  readonly owner: string;
  readonly #runners: OutletRunner[];
  readonly #outlets: readonly Outlet[];
  readonly #commits = new CommitSignal();
  readonly #unsubscribe: () => void;

  constructor(options: RelayOptions) {
    const names = new Set<string>();
    for (const { outlet } of options.outlets) {
      if (names.has(outlet.name)) {
        throw new RangeError(`two outlets are named "${outlet.name}": names must be unique`);
      }
      names.add(outlet.name);
    }
    this.owner = options.owner ?? `relay-${randomUUID()}`;
    this.#outlets = options.outlets.map(({ outlet }) => outlet);
    const clientIds = new ClientIds(options.store);
    const timings = { ...DEFAULT_RELAY_TIMINGS, ...options.timings };
    this.#runners = options.outlets.map(
      ({ outlet, policy }) =>
        new OutletRunner({
          outlet,
          policy: {
            ...DEFAULT_OUTLET_POLICY,
            ...policy,
            retry: { ...DEFAULT_OUTLET_POLICY.retry, ...policy?.retry },
          },
          store: options.store,
          clock: options.clock,
          clientIds,
          source: options.source ?? DEFAULT_EVENT_SOURCE,
          metrics: options.metrics ?? NO_RELAY_METRICS,
          random: options.random ?? Math.random,
          owner: this.owner,
          timings,
          commits: this.#commits,
          log: options.log,
        }),
    );
    // Our own commits wake the outlets at once; other processes' are found by polling.
    this.#unsubscribe = options.store.onCommitted(() => this.#commits.notify());
  }

  start(): void {
    for (const runner of this.#runners) {
      runner.start();
    }
  }

  /** Stops every outlet (deliveries in flight are aborted and will be redone) and closes them. */
  async stop(): Promise<void> {
    this.#unsubscribe();
    await Promise.all(this.#runners.map((runner) => runner.stop()));
    await Promise.all(this.#outlets.map((outlet) => outlet.close()));
  }
}
