import { ActiveJourneyExistsError, ConcurrencyConflictError } from '../application/errors.js';
import type {
  DomainEvent,
  EventMetadata,
  JourneyRecord,
  StoredEvent,
  StreamAppend,
  StreamType,
  UnitOfWorkRecord,
} from '../application/ports.js';
import type {
  Instant,
  JourneyEvent,
  JourneyState,
  UnitOfWorkEvent,
  UnitOfWorkState,
} from '../domain/index.js';
import { instantOf, parseJson, type Dialect } from './dialect.js';
import {
  foldJourney,
  foldUnitOfWork,
  initialStateOf,
  journeyRecord,
  unitOfWorkRecord,
} from './projection.js';
import { placeholders, type Row, type SqlSession, type SqlValue } from './sql.js';

/** Appending to streams with optimistic concurrency, and keeping their read models in step. */

const EVENT_COLUMNS =
  'position, event_id, stream_id, stream_type, version, journey_id, type, data, metadata, occurred_at, recorded_at';

/** The event columns as every reader selects them (the dialect may add its own). */
export function selectEvents(dialect: Dialect): string {
  return `SELECT ${EVENT_COLUMNS}${dialect.extraEventColumns} FROM events`;
}

export function eventFromRow(row: Row, dialect: Dialect): StoredEvent {
  return {
    eventId: String(row.event_id),
    streamId: String(row.stream_id),
    streamType: row.stream_type as StreamType,
    version: Number(row.version),
    position: dialect.positionOf(row),
    journeyId: String(row.journey_id),
    type: String(row.type) as DomainEvent['type'],
    event: parseJson<DomainEvent>(row.data),
    occurredAt: instantOf(row.occurred_at),
    recordedAt: instantOf(row.recorded_at),
    metadata: parseJson<EventMetadata>(row.metadata),
  };
}

/** Appends one stream's events inside the caller's transaction; returns them as stored. */
export async function appendToStream(
  session: SqlSession,
  dialect: Dialect,
  append: StreamAppend,
  now: Instant,
): Promise<{ version: number; events: StoredEvent[] }> {
  const { streamId, streamType, journeyId, expectedVersion, events } = append;
  const version = expectedVersion + events.length;
  if (events.length === 0) {
    return { version: expectedVersion, events: [] };
  }
  // Claiming the next version on the stream row is the concurrency check: of two writers that
  // read the same version, the second finds no row at that version (PostgreSQL re-checks the
  // WHERE after the first commits) and is refused before it writes anything.
  const claimed =
    expectedVersion === 0
      ? await session.run(
          `INSERT INTO streams (stream_id, stream_type, journey_id, version, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (stream_id) DO NOTHING`,
          [streamId, streamType, journeyId, version, now],
        )
      : await session.run(
          'UPDATE streams SET version = $1, updated_at = $2 WHERE stream_id = $3 AND version = $4',
          [version, now, streamId, expectedVersion],
        );
  if (claimed === 0) {
    const [row] = await session.all('SELECT version FROM streams WHERE stream_id = $1', [streamId]);
    throw new ConcurrencyConflictError(
      streamId,
      expectedVersion,
      row === undefined ? 0 : Number(row.version),
    );
  }
  const params: SqlValue[] = [];
  const tuples = events.map((event, index) => {
    const start = params.length + 1;
    params.push(
      event.eventId,
      streamId,
      streamType,
      expectedVersion + index + 1,
      journeyId,
      event.event.type,
      JSON.stringify(event.event),
      JSON.stringify(event.metadata),
      new Date(event.occurredAt).toISOString(),
      now,
    );
    return `(${placeholders(10, start)})`;
  });
  const rows = await session.all(
    `INSERT INTO events (event_id, stream_id, stream_type, version, journey_id, type, data, metadata, occurred_at, recorded_at)
     VALUES ${tuples.join(', ')} RETURNING ${EVENT_COLUMNS}${dialect.extraEventColumns}`,
    params,
  );
  const stored = rows
    .map((row) => eventFromRow(row, dialect))
    .sort((a, b) => a.version - b.version);
  await project(session, dialect, append, version, now);
  return { version, events: stored };
}

async function project(
  session: SqlSession,
  dialect: Dialect,
  append: StreamAppend,
  version: number,
  now: Instant,
): Promise<void> {
  const table = append.streamType === 'journey' ? 'journeys' : 'units_of_work';
  const key = append.streamType === 'journey' ? 'journey_id' : 'work_id';
  let previous = initialStateOf(append.streamType);
  if (append.expectedVersion > 0) {
    const [row] = await session.all(`SELECT state FROM ${table} WHERE ${key} = $1`, [
      append.streamId,
    ]);
    if (row === undefined) {
      throw new Error(
        `read model ${table}/${append.streamId} is missing for version ${append.expectedVersion}`,
      );
    }
    previous = parseJson(row.state);
  }
  const events = append.events.map((e) => e.event);
  if (append.streamType === 'journey') {
    const state = foldJourney(previous as JourneyState, events as JourneyEvent[]);
    await upsertJourney(session, dialect, journeyRecord(state, version, now));
  } else {
    const state = foldUnitOfWork(previous as UnitOfWorkState, events as UnitOfWorkEvent[]);
    await upsertUnitOfWork(session, unitOfWorkRecord(state, version, now));
  }
}

async function upsertJourney(
  session: SqlSession,
  dialect: Dialect,
  record: JourneyRecord,
): Promise<void> {
  try {
    await session.run(
      `INSERT INTO journeys (journey_id, client_id, stage, status, active, playbook_name, playbook_version,
         started_at, stage_entered_at, ended_at, updated_at, version, state)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (journey_id) DO UPDATE SET stage = excluded.stage, status = excluded.status,
         active = excluded.active, stage_entered_at = excluded.stage_entered_at, ended_at = excluded.ended_at,
         updated_at = excluded.updated_at, version = excluded.version, state = excluded.state`,
      [
        record.journeyId,
        record.clientId,
        record.stage,
        record.status,
        dialect.bool(record.active),
        record.playbook.name,
        record.playbook.version,
        record.startedAt,
        record.stageEnteredAt,
        record.endedAt,
        record.updatedAt,
        record.version,
        JSON.stringify(record.state),
      ],
    );
  } catch (error) {
    if (dialect.uniqueViolation(error) === 'active_journey') {
      throw new ActiveJourneyExistsError(record.clientId);
    }
    throw error;
  }
}

async function upsertUnitOfWork(session: SqlSession, record: UnitOfWorkRecord): Promise<void> {
  await session.run(
    `INSERT INTO units_of_work (work_id, journey_id, client_id, stage, purpose, status, created_at, updated_at, version, state)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (work_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at,
       version = excluded.version, state = excluded.state`,
    [
      record.workId,
      record.journeyId,
      record.clientId,
      record.stage,
      record.purpose,
      record.status,
      record.createdAt,
      record.updatedAt,
      record.version,
      JSON.stringify(record.state),
    ],
  );
}
