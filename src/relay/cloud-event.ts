import { CloudEvent } from 'cloudevents';
import type { StoredEvent } from '../application/ports.js';
import type { JsonValue } from '../domain/index.js';

/**
 * Every domain event leaves as a CloudEvents 1.0 envelope in structured JSON mode (the
 * `cloudevents` SDK builds and validates it). The schema is docs/events/cloudevent.schema.json.
 *
 * - `id` is the event's id: the same on every delivery, so consumers de-duplicate on it.
 * - `type` is `journey-orchestrator.<EventType>.v1`: stable per event kind; a breaking change
 *   to an event's data would get a new version suffix.
 * - `subject` is the client id; `time` when the event occurred.
 * - Extensions say where the event sits: its journey, its stream and version there (per-stream
 *   order), and who caused it (the token's name or `system`) with the correlation chain.
 */
export const CLOUD_EVENT_TYPE_PREFIX = 'journey-orchestrator.';
export const CLOUD_EVENT_TYPE_VERSION = '.v1';

/** The default `source`: a URI-reference naming this service. */
export const DEFAULT_EVENT_SOURCE = '/journey-orchestrator';

export interface CloudEventJson {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject: string;
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly data: JsonValue;
  readonly journeyid: string;
  readonly streamid: string;
  readonly streamversion: number;
  readonly causedby: string;
  readonly correlationid: string;
  readonly causationid?: string;
  readonly [extension: string]: JsonValue | undefined;
}

/** `StagePromoted` -> `journey-orchestrator.StagePromoted.v1` */
export function cloudEventType(eventType: string): string {
  return `${CLOUD_EVENT_TYPE_PREFIX}${eventType}${CLOUD_EVENT_TYPE_VERSION}`;
}

export function toCloudEvent(
  stored: StoredEvent,
  clientId: string,
  source: string = DEFAULT_EVENT_SOURCE,
): CloudEventJson {
  const { metadata } = stored;
  const event = new CloudEvent<JsonValue>(
    {
      specversion: '1.0',
      id: stored.eventId,
      source,
      type: cloudEventType(stored.type),
      subject: clientId,
      time: new Date(stored.occurredAt).toISOString(),
      datacontenttype: 'application/json',
      data: stored.event as unknown as JsonValue,
      journeyid: stored.journeyId,
      streamid: stored.streamId,
      streamversion: stored.version,
      causedby: metadata.causedBy,
      correlationid: metadata.correlationId,
      ...(metadata.causationId === null ? {} : { causationid: metadata.causationId }),
    },
    // Strict: an attribute the specification forbids fails here, not at a consumer.
    true,
  );
  // The SDK lists attributes we do not set (dataschema...) as undefined: leave them out, so an
  // in-process subscriber sees exactly what goes on the wire.
  return Object.fromEntries(
    Object.entries(event.toJSON()).filter(([, value]) => value !== undefined),
  ) as unknown as CloudEventJson;
}
