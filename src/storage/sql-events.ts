import type { DomainEvent, EventMetadata, StoredEvent, StreamType } from '../application/ports.js';
import { instantOf, parseJson, type Dialect } from './dialect.js';
import type { Row } from './sql.js';

/** Events as stored rows: the columns every reader selects, and the mapping back. */

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
