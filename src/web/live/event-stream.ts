import { reconnectDelay } from './backoff.js';
import { parseLiveEvent, type LiveEvent } from './live-event.js';
import { SseParser } from './sse-parser.js';

/** Where the live connection stands; the header shows it in words. */
export type StreamState =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'live' }
  | {
      readonly kind: 'reconnecting';
      readonly attempt: number;
      /** When the next attempt starts (epoch ms). */
      readonly retryAt: number;
      readonly reason: string;
    };

export interface EventStreamOptions {
  readonly token: string;
  /** Only this client's events; null: everyone's. */
  readonly clientId: string | null;
  /**
   * The stream is live and nothing after this moment will be missed: load the REST state now.
   * Called after the server's `ready`, on the first connection and after every reconnection.
   */
  readonly onSync: () => void;
  readonly onEvent: (event: LiveEvent) => void;
  readonly onState: (state: StreamState) => void;
  /** The token was refused (401): the stream stops. */
  readonly onUnauthorized: () => void;
}

/**
 * Follows `GET /v1/events/stream` with fetch (EventSource cannot send the Authorization
 * header) and keeps following it: a dropped connection, an error answer or a silent one (no
 * byte, not even a heartbeat, for HEARTBEAT_TIMEOUT) is retried with backoff.
 *
 * Every connection starts at the head (no `Last-Event-ID`) and waits for `ready`, after which
 * the page reloads its state over REST: the events only say *that* something changed, so
 * replaying the ones missed while away would only repeat that reload. Returns the function
 * that stops it.
 */
export function openEventStream(options: EventStreamOptions): () => void {
  const stopped = new AbortController();
  void follow(options, stopped.signal);
  return () => stopped.abort();
}

/** Longer than the server's heartbeat interval: silence this long means the connection is dead. */
const HEARTBEAT_TIMEOUT = 45_000;
const MAX_DELAY = 15_000;

async function follow(options: EventStreamOptions, stopped: AbortSignal): Promise<void> {
  const session = { retryMs: 1_000, attempt: 0 };
  options.onState({ kind: 'connecting' });
  while (!stopped.aborted) {
    const reason = await connectOnce(options, session, stopped);
    if (reason === null || stopped.aborted) {
      return;
    }
    session.attempt += 1;
    const delay = reconnectDelay(session.attempt, session.retryMs, MAX_DELAY);
    options.onState({
      kind: 'reconnecting',
      attempt: session.attempt,
      retryAt: Date.now() + delay,
      reason,
    });
    await sleep(delay, stopped);
  }
}

/**
 * One connection, until it ends. Returns why it ended (to reconnect), or null when it must not
 * be retried (stopped, or the token refused).
 */
async function connectOnce(
  options: EventStreamOptions,
  session: { retryMs: number; attempt: number },
  stopped: AbortSignal,
): Promise<string | null> {
  const connection = new AbortController();
  const abort = (): void => connection.abort();
  stopped.addEventListener('abort', abort);
  let silence: ReturnType<typeof setTimeout> | undefined;
  const heard = (): void => {
    clearTimeout(silence);
    silence = setTimeout(() => connection.abort(), HEARTBEAT_TIMEOUT);
  };
  const live = (): void => {
    session.attempt = 0;
    options.onState({ kind: 'live' });
    options.onSync();
  };
  try {
    heard();
    const response = await fetch(streamUrl(options.clientId), {
      headers: { authorization: `Bearer ${options.token}`, accept: 'text/event-stream' },
      cache: 'no-store',
      signal: connection.signal,
    });
    if (response.status === 401) {
      options.onUnauthorized();
      return null;
    }
    if (!response.ok || response.body === null) {
      await response.body?.cancel();
      return `the server answered ${response.status}`;
    }
    const parser = new SseParser();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        return 'the server ended the stream';
      }
      heard();
      for (const message of parser.push(value)) {
        if (message.event === 'ready') {
          live();
        } else if (message.event === 'message') {
          const event = parseLiveEvent(message.data);
          if (event !== null) {
            options.onEvent(event);
          }
        }
      }
      session.retryMs = parser.retryMs ?? session.retryMs;
    }
  } catch (error) {
    if (stopped.aborted) {
      return null;
    }
    return connection.signal.aborted
      ? `no word from the server for ${HEARTBEAT_TIMEOUT / 1_000} s`
      : `the connection failed (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    clearTimeout(silence);
    stopped.removeEventListener('abort', abort);
    connection.abort();
  }
}

function streamUrl(clientId: string | null): string {
  return clientId === null
    ? '/v1/events/stream'
    : `/v1/events/stream?clientId=${encodeURIComponent(clientId)}`;
}

function sleep(ms: number, stopped: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    stopped.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      stopped.removeEventListener('abort', done);
      resolve();
    }
  });
}
