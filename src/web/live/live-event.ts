/**
 * A domain event as the stream delivers it: a CloudEvents 1.0 envelope (`type`
 * `journey-orchestrator.<EventType>.v1`, `subject` the client id, extension `journeyid`) whose
 * `data` is the domain event. The dashboard only needs to know what changed, not the details.
 */
export interface LiveEvent {
  /** The domain event's type, e.g. `TaskExecutionStarted`. */
  readonly eventType: string;
  readonly clientId: string | null;
  readonly journeyId: string | null;
  /** The unit of work it concerns, when it is a unit's event. */
  readonly workId: string | null;
}

const TYPE = /^journey-orchestrator\.([A-Za-z]+)\.v[0-9]+$/;

/** Reads one `data:` payload; null when it is not such a CloudEvent (it is then ignored). */
export function parseLiveEvent(data: string): LiveEvent | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) {
    return null;
  }
  const envelope = parsed as Record<string, unknown>;
  const type = typeof envelope['type'] === 'string' ? TYPE.exec(envelope['type']) : null;
  if (type === null || type[1] === undefined) {
    return null;
  }
  const payload = envelope['data'];
  const workId =
    typeof payload === 'object' && payload !== null
      ? (payload as Record<string, unknown>)['workId']
      : undefined;
  return {
    eventType: type[1],
    clientId: text(envelope['subject']),
    journeyId: text(envelope['journeyid']),
    workId: text(workId),
  };
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
