import type { Instant } from '../../domain/index.js';
import type {
  DomainEvent,
  EventMetadata,
  GlobalPosition,
  StoredEvent,
  StreamType,
} from '../ports.js';

/** One stored event as the API shows it: the envelope, and the event itself under `data`. */
export interface EventView {
  readonly position: GlobalPosition;
  readonly eventId: string;
  readonly streamId: string;
  readonly streamType: StreamType;
  readonly version: number;
  readonly type: DomainEvent['type'];
  readonly occurredAt: Instant;
  readonly recordedAt: Instant;
  readonly metadata: EventMetadata;
  readonly data: DomainEvent;
}

export function eventView(stored: StoredEvent): EventView {
  return {
    position: stored.position,
    eventId: stored.eventId,
    streamId: stored.streamId,
    streamType: stored.streamType,
    version: stored.version,
    type: stored.type,
    occurredAt: stored.occurredAt,
    recordedAt: stored.recordedAt,
    metadata: stored.metadata,
    data: stored.event,
  };
}

/**
 * Everything that happened to a journey, oldest first: its own stream and the streams of every
 * unit of work it ran. The journey's events name each unit (JourneyStarted and StagePromoted
 * carry the setup's id, RollbackInitiated the rollback's), so no query by journey is needed.
 */
export async function readJourneyEvents(
  events: { readStream(streamId: string): Promise<StoredEvent[]> },
  journeyId: string,
): Promise<StoredEvent[]> {
  const journeyEvents = await events.readStream(journeyId);
  const workIds = new Set<string>();
  for (const { event } of journeyEvents) {
    if (event.type === 'JourneyStarted' || event.type === 'StagePromoted') {
      workIds.add(event.setupWorkId);
    } else if (event.type === 'RollbackInitiated') {
      workIds.add(event.rollbackWorkId);
    }
  }
  const unitEvents = await Promise.all([...workIds].map((workId) => events.readStream(workId)));
  return [...journeyEvents, ...unitEvents.flat()].sort((a, b) =>
    comparePositions(a.position, b.position),
  );
}

/**
 * Orders two global positions. Positions are opaque, but every store writes them as one or more
 * decimal numbers joined by a separator (SQLite `42`, PostgreSQL `<tx>-<seq>`), compared number
 * by number; strings of another shape fall back to plain comparison.
 */
export function comparePositions(a: GlobalPosition, b: GlobalPosition): number {
  const left = a.match(/\d+/g) ?? [];
  const right = b.match(/\d+/g) ?? [];
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    const x = (left[i] ?? '').replace(/^0+(?=\d)/, '');
    const y = (right[i] ?? '').replace(/^0+(?=\d)/, '');
    if (x.length !== y.length) {
      return x.length - y.length;
    }
    if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
