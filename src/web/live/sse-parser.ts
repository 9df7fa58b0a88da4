/** One Server-Sent Events message: its `id` (null when it had none), `event` type and `data`. */
export interface SseMessage {
  readonly id: string | null;
  /** `message` unless the server named another type (`event: ready`). */
  readonly event: string;
  readonly data: string;
}

/**
 * An incremental parser of the text/event-stream format (WHATWG HTML, "Server-sent events"):
 * feed it decoded chunks as they arrive, in any split, and it returns the messages completed.
 * Comments (heartbeats) are dropped; `retry:` is kept as `retryMs`. Unlike a browser's
 * EventSource it also dispatches a message that named an event or an id but carried no data
 * (`event: ready` alone), since those say something here.
 */
export class SseParser {
  /** The last `retry:` the server sent, in ms; null until it sends one. */
  retryMs: number | null = null;
  #buffer = '';
  #id: string | null = null;
  #event = '';
  #data: string[] = [];
  #seen = false;

  push(chunk: string): SseMessage[] {
    this.#buffer += chunk;
    const messages: SseMessage[] = [];
    for (;;) {
      const end = lineEnd(this.#buffer);
      if (end === null) {
        return messages;
      }
      const line = this.#buffer.slice(0, end.at);
      this.#buffer = this.#buffer.slice(end.at + end.length);
      const message = this.#line(line);
      if (message !== null) {
        messages.push(message);
      }
    }
  }

  #line(line: string): SseMessage | null {
    if (line === '') {
      return this.#dispatch();
    }
    if (line.startsWith(':')) {
      return null;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const raw = colon < 0 ? '' : line.slice(colon + 1);
    const value = raw.startsWith(' ') ? raw.slice(1) : raw;
    switch (field) {
      case 'data':
        this.#data.push(value);
        this.#seen = true;
        break;
      case 'event':
        this.#event = value;
        this.#seen = true;
        break;
      case 'id':
        if (!value.includes('\0')) {
          this.#id = value;
          this.#seen = true;
        }
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) {
          this.retryMs = Number(value);
        }
        break;
      default:
        break;
    }
    return null;
  }

  #dispatch(): SseMessage | null {
    const message = this.#seen
      ? {
          id: this.#id,
          event: this.#event === '' ? 'message' : this.#event,
          data: this.#data.join('\n'),
        }
      : null;
    this.#id = null;
    this.#event = '';
    this.#data = [];
    this.#seen = false;
    return message;
  }
}

/**
 * Where the first complete line ends: at CRLF, LF or CR. A CR at the very end may be the first
 * half of a CRLF split across chunks, so it waits for the next chunk.
 */
function lineEnd(buffer: string): { readonly at: number; readonly length: number } | null {
  const lf = buffer.indexOf('\n');
  const cr = buffer.indexOf('\r');
  if (cr >= 0 && (lf < 0 || cr < lf)) {
    if (cr === buffer.length - 1) {
      return null;
    }
    return { at: cr, length: buffer[cr + 1] === '\n' ? 2 : 1 };
  }
  return lf < 0 ? null : { at: lf, length: 1 };
}
