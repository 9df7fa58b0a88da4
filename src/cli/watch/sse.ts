/**
 * A Server-Sent Events reader for a fetch body, as the HTML standard's "event stream
 * interpretation" defines it: lines end with CRLF, LF or CR; `field: value` (one space after
 * the colon is dropped); `data` lines are joined with LF; a blank line dispatches; a line
 * starting with `:` is a comment. `EventSource` cannot send an Authorization header, hence this.
 */

/** One dispatched message. */
export interface ServerSentEvent {
  /** `message` unless the server named it (`event: ready`). */
  readonly event: string;
  readonly data: string;
  /** The last event id so far (it carries over messages without an `id` field). */
  readonly id: string;
  /** The reconnection time the server last asked for (`retry:`), in ms, if it did. */
  readonly retry?: number;
}

/**
 * Reads messages from `body` until it ends. A message cut off by the end of the stream is
 * dropped, as the standard says: only a blank line makes a message complete. `lastEventId`
 * is the id in effect before the first message (the one a reconnection resumed from).
 */
export async function* readServerSentEvents(
  body: AsyncIterable<Uint8Array>,
  lastEventId = '',
): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder('utf-8');
  const parser = new MessageParser(lastEventId);
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
    while ((end = lineEnd(buffer)) >= 0) {
      const line = buffer.slice(0, end);
      const width = buffer[end] === '\r' && buffer[end + 1] === '\n' ? 2 : 1;
      buffer = buffer.slice(end + width);
      const message = parser.line(line);
      if (message !== undefined) {
        yield message;
      }
    }
  }
  // The stream ended: a CR held back above did end its line after all.
  if (buffer.endsWith('\r')) {
    const message = parser.line(buffer.slice(0, -1));
    if (message !== undefined) {
      yield message;
    }
  }
}

/** The index of the first line terminator in `text`, or -1 (also for a CR that ends it). */
function lineEnd(text: string): number {
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '\n') {
      return i;
    }
    if (char === '\r') {
      return i + 1 < text.length ? i : -1;
    }
  }
  return -1;
}

class MessageParser {
  #event = '';
  #data: string[] = [];
  #id: string;
  #retry: number | undefined;

  constructor(lastEventId: string) {
    this.#id = lastEventId;
  }

  line(line: string): ServerSentEvent | undefined {
    if (line === '') {
      return this.#dispatch();
    }
    if (line.startsWith(':')) {
      return undefined;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    switch (field) {
      case 'event':
        this.#event = value;
        break;
      case 'data':
        this.#data.push(value);
        break;
      case 'id':
        if (!value.includes('\u0000')) {
          this.#id = value;
        }
        break;
      case 'retry':
        if (/^\d+$/.test(value)) {
          this.#retry = Number(value);
        }
        break;
      default:
      // Unknown fields are ignored.
    }
    return undefined;
  }

  #dispatch(): ServerSentEvent | undefined {
    const retry = this.#retry;
    const event = this.#event === '' ? 'message' : this.#event;
    const data = this.#data;
    this.#event = '';
    this.#data = [];
    // A message without data lines is not dispatched; its id still counts.
    if (data.length === 0) {
      return undefined;
    }
    return {
      event,
      data: data.join('\n'),
      id: this.#id,
      ...(retry === undefined ? {} : { retry }),
    };
  }
}
