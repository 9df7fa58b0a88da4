import { setMaxListeners } from 'node:events';
import type { EngineLog } from '../application/engine/context.js';
import { toError } from '../application/errors.js';
import { START, type GlobalPosition, type Store } from '../application/ports.js';
import { deliverBatch, type BatchDeliveryContext } from './batch-delivery.js';
import type { CloudEventJson } from './cloud-event.js';
import type { CommitSignal } from './commit-signal.js';
import { pause } from './commit-signal.js';
import type { RelayTimings } from './relay-settings.js';

/** What an outlet's runner needs of the store. */
export type RelayStore = Pick<
  Store,
  | 'readAll'
  | 'headPosition'
  | 'findJourney'
  | 'acquireOutlet'
  | 'advanceOutlet'
  | 'releaseOutlet'
  | 'replayRequests'
  | 'settleReplay'
  | 'onCommitted'
>;

export interface OutletRunnerOptions extends BatchDeliveryContext {
  readonly store: RelayStore;
  readonly owner: string;
  readonly timings: RelayTimings;
  readonly commits: CommitSignal;
  readonly log: EngineLog;
}

/** Replays asked for by an operator, taken per turn of the loop. */
const REPLAYS_PER_TURN = 20;

/**
 * Feeds one outlet, on its own loop, so a slow or broken outlet never holds up another. Each
 * turn: hold the outlet's lease (one deliverer per outlet across processes), deliver the
 * replays an operator asked for, read the next batch after the checkpoint, deliver it
 * (batch-delivery.ts), then move the checkpoint and record the dead letters in one
 * transaction. A crash before that commit delivers the batch again: at least once, never lost.
 */
export class OutletRunner {
  readonly #options: OutletRunnerOptions;
  readonly #stopping = new AbortController();
  #position: GlobalPosition | null = null;
  /** When our lease needs renewing; 0 when we do not hold it. */
  #renewAt = 0;
  #loop: Promise<void> | undefined;

  constructor(options: OutletRunnerOptions) {
    this.#options = options;
  }

  get name(): string {
    return this.#options.outlet.name;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Stops after the delivery in flight is aborted; gives the lease up for another process. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#loop;
    if (this.#renewAt > 0) {
      await this.#options.store
        .releaseOutlet(this.name, this.#options.owner)
        .catch((error: unknown) =>
          this.#options.log.warn('could not release an outlet lease', {
            outlet: this.name,
            error: toError(error).message,
          }),
        );
    }
  }

  async #run(): Promise<void> {
    const { timings } = this.#options;
    const signal = this.#stopping.signal;
    while (!signal.aborted) {
      try {
        const turn = await this.#turn(signal);
        if (turn === 'standby') {
          // Another process delivers: check now and then whether it still does.
          await pause(timings.leaseFor / 3, signal);
        } else if (turn === 'idle') {
          await this.#options.commits.wait(timings.pollInterval, signal);
        }
      } catch (error) {
        this.#options.log.warn('event relay: outlet turn failed; trying again', {
          outlet: this.name,
          error: toError(error).message,
        });
        await pause(timings.errorBackoff, signal);
      }
    }
  }

  /** One turn: `busy` when there may be more to do at once. */
  async #turn(signal: AbortSignal): Promise<'busy' | 'idle' | 'standby'> {
    if (!(await this.#holdLease())) {
      return 'standby';
    }
    const replayed = await this.#replay(signal);
    const { store, policy, owner, clock, timings } = this.#options;
    const from = this.#position ?? START;
    const { events, next } = await store.readAll(from, policy.batchSize);
    if (events.length === 0) {
      return replayed ? 'busy' : 'idle';
    }
    const lease = new AbortController();
    // Every delivery and pause of the batch listens to it (16 journeys at once by default).
    setMaxListeners(0, lease.signal);
    const abort = () => lease.abort();
    signal.addEventListener('abort', abort, { once: true });
    const heartbeat = setInterval(() => {
      // A renewal that fails (database unreachable) loses nothing yet: the lease runs on, and
      // the next renewal or the checkpoint commit tells whether it is still ours.
      this.#holdLease().then(
        (held) => {
          if (!held) {
            lease.abort();
          }
        },
        (error: unknown) =>
          this.#options.log.warn('event relay: could not renew an outlet lease', {
            outlet: this.name,
            error: toError(error).message,
          }),
      );
    }, timings.leaseFor / 3);
    try {
      const settled = await deliverBatch(this.#options, events, lease.signal);
      if (lease.signal.aborted) {
        return 'standby';
      }
      const moved = await store.advanceOutlet({
        outlet: this.name,
        owner,
        leaseFor: timings.leaseFor,
        now: clock.now(),
        position: next,
        delivered: settled.delivered,
        deadLetters: settled.deadLetters,
      });
      if (!moved) {
        this.#lostLease();
        return 'standby';
      }
      this.#position = next;
      this.#renewAt = Date.now() + timings.leaseFor / 2;
      for (const letter of settled.deadLetters) {
        this.#options.log.warn('event relay: dead-lettered an event', {
          outlet: this.name,
          eventId: letter.eventId,
          type: letter.type,
          attempts: letter.attempts,
          error: letter.lastError,
        });
      }
      return events.length >= policy.batchSize ? 'busy' : 'idle';
    } finally {
      clearInterval(heartbeat);
      signal.removeEventListener('abort', abort);
    }
  }

  /** Takes or renews the lease when due; false when another process holds it. */
  async #holdLease(): Promise<boolean> {
    if (this.#renewAt > Date.now()) {
      return true;
    }
    const { store, owner, clock, timings, policy } = this.#options;
    // A first start at `now` begins at the head; computed only when no checkpoint may exist.
    const initialPosition =
      this.#position ?? (policy.startAt === 'beginning' ? START : await store.headPosition());
    const checkpoint = await store.acquireOutlet({
      outlet: this.name,
      owner,
      leaseFor: timings.leaseFor,
      now: clock.now(),
      initialPosition,
    });
    if (checkpoint === null) {
      if (this.#renewAt > 0) {
        this.#lostLease();
      }
      return false;
    }
    if (this.#renewAt === 0) {
      this.#options.log.info('event relay: delivering to an outlet', {
        outlet: this.name,
        from: checkpoint.position,
      });
      // The stored checkpoint is the truth: another process may have moved it while we waited.
      this.#position = checkpoint.position;
    }
    this.#renewAt = Date.now() + timings.leaseFor / 2;
    return true;
  }

  #lostLease(): void {
    this.#renewAt = 0;
    this.#position = null;
    this.#options.log.warn('event relay: lost an outlet lease to another process', {
      outlet: this.name,
    });
  }

  /** Delivers dead letters an operator asked to replay, one try each; true if any were due. */
  async #replay(signal: AbortSignal): Promise<boolean> {
    const { store, outlet } = this.#options;
    const due = await store.replayRequests(this.name, REPLAYS_PER_TURN);
    for (const letter of due) {
      if (signal.aborted) {
        return true;
      }
      const outcome = await outlet.deliver(letter.envelope as unknown as CloudEventJson, signal);
      if (signal.aborted) {
        return true;
      }
      await store.settleReplay(
        this.name,
        letter.eventId,
        outcome.ok
          ? { delivered: true }
          : { delivered: false, error: outcome.error, attempts: letter.attempts + 1 },
      );
      if (outcome.ok) {
        this.#options.metrics.delivered(this.name, 1);
      } else {
        this.#options.metrics.failed(this.name, outcome.reason);
      }
    }
    return due.length > 0;
  }
}
