import { ConcurrencyConflictError } from '../application/errors.js';
import type {
  Commit,
  DomainEvent,
  EventMetadata,
  JourneyRecord,
  NewWorkItem,
  StreamAppend,
  UnitOfWorkRecord,
} from '../application/ports.js';
import type {
  Instant,
  JourneyEvent,
  JourneyState,
  UnitOfWorkEvent,
  UnitOfWorkState,
} from '../domain/index.js';
import { parseJson } from './dialect.js';
import {
  foldJourney,
  foldUnitOfWork,
  initialStateOf,
  journeyRecord,
  unitOfWorkRecord,
} from './projection.js';
import type { SqlSession } from './sql.js';

/**
 * A commit worked out in memory before anything is written: the new read-model row of every
 * stream (the fold of its new events onto the state at the expected version) and the event rows.
 * The backend then writes the plan in one transaction, where moving each stream's row from the
 * expected version to the new one is the concurrency check.
 */
export type HeadRow =
  | { readonly table: 'journeys'; readonly record: JourneyRecord }
  | { readonly table: 'units_of_work'; readonly record: UnitOfWorkRecord };

export interface EventRow {
  readonly event_id: string;
  readonly stream_id: string;
  readonly stream_type: string;
  readonly version: number;
  readonly journey_id: string;
  readonly type: string;
  /** The event and its metadata as objects; each backend encodes them once, its own way. */
  readonly data: DomainEvent;
  readonly metadata: EventMetadata;
  readonly occurred_at: Instant;
  readonly recorded_at: Instant;
}

export interface AppendPlan {
  readonly append: StreamAppend;
  readonly streamId: string;
  readonly expectedVersion: number;
  readonly head: HeadRow;
  /** The state the events were folded onto (the read model at the expected version). */
  readonly before: JourneyState | UnitOfWorkState;
  readonly events: readonly EventRow[];
}

/** What a backend reports back for each event it wrote: where it landed in the global log. */
export interface WrittenEvent {
  readonly streamId: string;
  readonly version: number;
  readonly position: string;
}

export interface CommitPlan {
  readonly appends: readonly AppendPlan[];
  readonly enqueue: readonly NewWorkItem[];
  readonly complete: Commit['complete'];
  readonly now: Instant;
}

type State = JourneyState | UnitOfWorkState;

export async function planCommit(
  session: SqlSession,
  commit: Commit,
  now: Instant,
): Promise<CommitPlan> {
  // Several appends to one stream in one commit build on each other.
  const planned = new Map<string, { state: State; version: number }>();
  const appends: AppendPlan[] = [];
  for (const append of commit.appends) {
    if (append.events.length === 0) {
      continue;
    }
    const before = planned.get(append.streamId) ?? (await stateBefore(session, append));
    if (before.version !== append.expectedVersion) {
      throw new ConcurrencyConflictError(append.streamId, append.expectedVersion, before.version);
    }
    const version = append.expectedVersion + append.events.length;
    const head = headRow(append, before.state, version, now);
    planned.set(append.streamId, { state: head.record.state, version });
    appends.push({
      append,
      streamId: append.streamId,
      expectedVersion: append.expectedVersion,
      head,
      before: before.state,
      events: append.events.map((event, index) => ({
        event_id: event.eventId,
        stream_id: append.streamId,
        stream_type: append.streamType,
        version: append.expectedVersion + index + 1,
        journey_id: append.journeyId,
        type: event.event.type,
        data: event.event,
        metadata: event.metadata,
        occurred_at: isoInstant(event.occurredAt),
        recorded_at: now,
      })),
    });
  }
  return {
    appends,
    enqueue: (commit.enqueue ?? []).map((item) => ({
      ...item,
      dueAt: isoInstant(item.dueAt),
    })),
    complete: commit.complete,
    now,
  };
}

/**
 * The state the new events fold onto. A caller that decided on a state it loaded from this store
 * passes it (`stateBefore`) and saves a read; otherwise the read-model row is read. Either way
 * the write re-checks the version atomically, so a stale state can never be written over.
 */
async function stateBefore(
  session: SqlSession,
  append: StreamAppend,
): Promise<{ state: State; version: number }> {
  if (append.stateBefore !== undefined || append.expectedVersion === 0) {
    return {
      state: append.stateBefore ?? initialStateOf(append.streamType),
      version: append.expectedVersion,
    };
  }
  const [table, key] =
    append.streamType === 'journey' ? ['journeys', 'journey_id'] : ['units_of_work', 'work_id'];
  const [row] = await session.all(`SELECT state, version FROM ${table} WHERE ${key} = $1`, [
    append.streamId,
  ]);
  return row === undefined
    ? { state: initialStateOf(append.streamType), version: 0 }
    : { state: parseJson<State>(row.state), version: Number(row.version) };
}

function headRow(append: StreamAppend, before: State, version: number, now: Instant): HeadRow {
  const events = append.events.map((e) => e.event);
  if (append.streamType === 'journey') {
    const state = foldJourney(before as JourneyState, events as JourneyEvent[]);
    return { table: 'journeys', record: journeyRecord(state, version, now) };
  }
  const state = foldUnitOfWork(before as UnitOfWorkState, events as UnitOfWorkEvent[]);
  return { table: 'units_of_work', record: unitOfWorkRecord(state, version, now) };
}

/** `Date#toISOString`'s form, on a day every month has (later days take the slow path). */
const CANONICAL =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/**
 * An instant as `Date#toISOString` writes it, so that instants stored as text sort correctly.
 * Most arrive in that form already: those are recognised instead of parsed and formatted again
 * (the same result, at a tenth of the cost, on every append).
 */
export function isoInstant(value: Instant): Instant {
  return typeof value === 'string' && CANONICAL.test(value) ? value : new Date(value).toISOString();
}
