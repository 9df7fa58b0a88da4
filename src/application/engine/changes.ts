import {
  DomainError,
  evolveJourney,
  evolveUnitOfWork,
  type Decision,
  type Instant,
  type JourneyEvent,
  type JourneyState,
  type UnitOfWorkEvent,
  type UnitOfWorkState,
} from '../../domain/index.js';
import { ConcurrencyConflictError, TransactionConflictError } from '../errors.js';
import type {
  CommitResult,
  EventMetadata,
  NewEvent,
  NewWorkItem,
  StreamAppend,
  WorkItem,
} from '../ports.js';
import type { Loaded } from '../repositories.js';
import type { EngineContext } from './context.js';
import { journeyReport, unitReport, type MetricsReport } from './engine-metrics-report.js';
import { criterionTimerFollowUps, journeyFollowUps, unitFollowUps } from './follow-ups.js';

/** Who or what a change comes from; becomes every event's metadata. */
export interface Cause {
  readonly causedBy: string;
  readonly correlationId: string;
  /** The event (or request) that led to this change; null for a first cause. */
  readonly causationId: string | null;
}

/**
 * One decision's writes, gathered before a single commit: events for one or more streams (each
 * once), the work they make necessary, and the claimed item the commit finishes. Nothing is
 * written until `commit`, so a refusal or a lost race leaves no trace.
 */
export class Changes {
  private readonly appends: StreamAppend[] = [];
  private readonly enqueue: NewWorkItem[] = [];
  private readonly reports: MetricsReport[] = [];

  constructor(
    private readonly ctx: EngineContext,
    readonly cause: Cause,
    readonly at: Instant,
  ) {}

  get isEmpty(): boolean {
    return this.appends.length === 0 && this.enqueue.length === 0;
  }

  /** Adds a journey's events; returns the state after them. */
  journey(
    journeyId: string,
    loaded: Loaded<JourneyState>,
    events: readonly JourneyEvent[],
  ): JourneyState {
    if (events.length === 0) {
      return loaded.state;
    }
    const stamped = this.stamp(events);
    this.appends.push({
      streamId: journeyId,
      streamType: 'journey',
      journeyId,
      expectedVersion: loaded.version,
      stateBefore: loaded.state,
      events: stamped,
    });
    this.reports.push(journeyReport(loaded.state, events));
    this.enqueue.push(
      ...journeyFollowUps(
        journeyId,
        stamped,
        this.cause,
        this.at,
        this.ctx.settings.transitionDeadline,
      ),
    );
    const after = events.reduce(evolveJourney, loaded.state);
    this.enqueue.push(
      ...criterionTimerFollowUps(
        this.ctx.playbooks,
        journeyId,
        loaded.state,
        after,
        stamped,
        this.cause,
      ),
    );
    return after;
  }

  /** Adds a unit of work's events; returns the state after them. */
  unit(
    workId: string,
    journeyId: string,
    loaded: Loaded<UnitOfWorkState>,
    events: readonly UnitOfWorkEvent[],
  ): UnitOfWorkState {
    if (events.length === 0) {
      return loaded.state;
    }
    const stamped = this.stamp(events);
    const after = events.reduce(evolveUnitOfWork, loaded.state);
    this.appends.push({
      streamId: workId,
      streamType: 'unit-of-work',
      journeyId,
      expectedVersion: loaded.version,
      stateBefore: loaded.state,
      events: stamped,
    });
    this.enqueue.push(...unitFollowUps(after, stamped, this.cause, this.at));
    this.reports.push(unitReport(loaded.state, events));
    return after;
  }

  later(item: NewWorkItem): void {
    this.enqueue.push(item);
  }

  /** Writes everything in one transaction, finishing `item` with it when given. */
  async commit(item?: WorkItem): Promise<CommitResult | undefined> {
    if (this.isEmpty && item === undefined) {
      return undefined;
    }
    const result = await this.ctx.store.commit({
      // One lock order for every commit that touches several streams, so two never deadlock.
      appends: [...this.appends].sort((a, b) => a.streamId.localeCompare(b.streamId)),
      enqueue: this.enqueue,
      ...(item === undefined ? {} : { complete: { itemId: item.id, leaseOwner: item.leaseOwner } }),
    });
    if (this.enqueue.some((queued) => queued.dueAt <= this.at)) {
      this.ctx.workQueued();
    }
    for (const report of this.reports) {
      try {
        report(this.ctx.engineMetrics);
      } catch (error) {
        // Metrics are for people watching; they never fail the work they watch.
        this.ctx.log.warn('metrics report failed', { error: String(error) });
      }
    }
    return result;
  }

  private stamp<E extends JourneyEvent | UnitOfWorkEvent>(events: readonly E[]): NewEvent<E>[] {
    const metadata: EventMetadata = this.cause;
    return events.map((event) => ({
      eventId: this.ctx.ids.next(),
      event,
      occurredAt: this.at,
      metadata,
    }));
  }
}

/**
 * Runs a load-decide-commit step again when another writer changed a stream between the load
 * and the commit: the step re-reads and decides on the new state, which may now refuse.
 */
export async function retryOnConflict<T>(ctx: EngineContext, step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await step();
    } catch (error) {
      const conflict =
        error instanceof ConcurrencyConflictError || error instanceof TransactionConflictError;
      if (!conflict || attempt > ctx.settings.conflictRetries) {
        throw error;
      }
      // A short random pause, so writers racing on one stream do not collide again in step.
      await new Promise((resolve) => setTimeout(resolve, ctx.random() * 5 * attempt));
    }
  }
}

/** The events of a decision, or the refusal thrown (for use cases that report it). */
export function eventsOrThrow<E>(decision: Decision<E>): readonly E[] {
  if (decision instanceof DomainError) {
    throw decision;
  }
  return decision;
}
