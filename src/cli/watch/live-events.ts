import { setTimeout as sleep } from 'node:timers/promises';
import type { CloudEventJson } from '../../relay/cloud-event.js';
import type { ApiClient } from '../client/api-client.js';
import { ApiProblemError, UnexpectedAnswerError } from '../client/api-errors.js';
import { readServerSentEvents } from './sse.js';

/** What the live stream says: first that it is at the head, then each event after it. */
export type LiveMessage =
  | { readonly kind: 'ready'; readonly id: string }
  | { readonly kind: 'event'; readonly id: string; readonly event: CloudEventJson };

export interface LiveEventsOptions {
  /** Only this client's events. */
  readonly clientId: string;
  /** Closes the stream (Ctrl-C); iteration then ends without an error. */
  readonly signal: AbortSignal;
  /** Called once per lost connection, before reconnecting, with why it was lost. */
  readonly onReconnecting?: (reason: string) => void;
  /**
   * Silence after which the connection counts as lost (the server sends a comment every 15 s
   * when idle, so a half-open connection is noticed). @default 45 s
   */
  readonly idleTimeoutMs?: number;
  /** How long reconnecting may keep failing before the watch gives up. @default 30 s */
  readonly giveUpAfterMs?: number;
  /** The first wait before reconnecting, doubled up to 5 s (the server's `retry:` wins). @default 250 ms */
  readonly reconnectDelayMs?: number;
}

const MAX_RECONNECT_DELAY_MS = 5_000;

/**
 * Subscribes to `GET /v1/events/stream?clientId=` and resolves once the server answered: with
 * the messages to iterate, or with null when the server does not serve the stream (404). A
 * dropped connection is reopened with `Last-Event-ID` (the last id received), so the iteration
 * misses nothing and repeats nothing; it fails only when the server stays unreachable for
 * `giveUpAfterMs`, or refuses the request (401, 403, 400).
 */
export async function openLiveEvents(
  client: ApiClient,
  options: LiveEventsOptions,
): Promise<AsyncIterable<LiveMessage> | null> {
  const first = await connect(client, options, undefined);
  return first === null ? null : follow(client, options, first);
}

interface Connection {
  readonly response: Response;
  readonly close: AbortController;
}

async function connect(
  client: ApiClient,
  options: LiveEventsOptions,
  lastEventId: string | undefined,
): Promise<Connection | null> {
  const close = new AbortController();
  const signal = AbortSignal.any([options.signal, close.signal]);
  const response = await client.eventStream({ clientId: options.clientId }, lastEventId, signal);
  return response === null ? null : { response, close };
}

async function* follow(
  client: ApiClient,
  options: LiveEventsOptions,
  first: Connection,
): AsyncGenerator<LiveMessage> {
  let connection: Connection | null = first;
  let lastEventId: string | undefined;
  let retryMs: number | undefined;
  try {
    for (;;) {
      let lost = 'the server ended the stream';
      if (connection !== null) {
        try {
          for await (const message of messagesOf(connection, lastEventId, options)) {
            lastEventId = message.id;
            retryMs = message.retry ?? retryMs;
            if (message.kind !== 'comment') {
              yield message.live;
            }
          }
        } catch (error) {
          if (options.signal.aborted) {
            return;
          }
          if (error instanceof UnexpectedAnswerError) {
            throw error;
          }
          lost = reasonOf(error);
        } finally {
          connection.close.abort();
        }
      }
      if (options.signal.aborted) {
        return;
      }
      if (lastEventId === undefined) {
        // Not even `ready` arrived: resuming needs an id, and a fresh start would skip events.
        throw new UnexpectedAnswerError(`the event stream ended before it was ready (${lost})`);
      }
      options.onReconnecting?.(lost);
      connection = await reconnect(client, options, lastEventId, retryMs);
      if (connection === null) {
        return;
      }
    }
  } finally {
    connection?.close.abort();
  }
}

type Parsed =
  | { readonly kind: 'comment'; readonly id: string; readonly retry?: number }
  | { readonly kind: 'live'; readonly id: string; readonly retry?: number; live: LiveMessage };

/** The messages of one connection, which counts as lost after `idleTimeoutMs` of silence. */
async function* messagesOf(
  connection: Connection,
  lastEventId: string | undefined,
  options: LiveEventsOptions,
): AsyncGenerator<Parsed> {
  const body = connection.response.body as AsyncIterable<Uint8Array> | null;
  if (body === null) {
    return;
  }
  const idleMs = options.idleTimeoutMs ?? 45_000;
  const idle = setTimeout(() => connection.close.abort(), idleMs);
  idle.unref();
  async function* watched(): AsyncGenerator<Uint8Array> {
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      idle.refresh();
      yield chunk;
    }
  }
  try {
    for await (const message of readServerSentEvents(watched(), lastEventId)) {
      const retry = message.retry === undefined ? {} : { retry: message.retry };
      if (message.event === 'ready') {
        yield { kind: 'live', id: message.id, ...retry, live: { kind: 'ready', id: message.id } };
      } else if (message.event === 'message') {
        const event = parseEnvelope(message.data);
        yield {
          kind: 'live',
          id: message.id,
          ...retry,
          live: { kind: 'event', id: message.id, event },
        };
      } else {
        yield { kind: 'comment', id: message.id, ...retry };
      }
    }
  } finally {
    clearTimeout(idle);
  }
}

/** Opens the stream again after `lastEventId`, waiting longer after each failure. */
async function reconnect(
  client: ApiClient,
  options: LiveEventsOptions,
  lastEventId: string,
  retryMs: number | undefined,
): Promise<Connection | null> {
  const began = Date.now();
  let delay = retryMs ?? options.reconnectDelayMs ?? 250;
  for (;;) {
    try {
      await sleep(delay, undefined, { signal: options.signal });
    } catch {
      return null;
    }
    try {
      const connection = await connect(client, options, lastEventId);
      if (connection === null) {
        throw new UnexpectedAnswerError('the server stopped serving the event stream (404)');
      }
      return connection;
    } catch (error) {
      if (options.signal.aborted) {
        return null;
      }
      const busy = error instanceof ApiProblemError && error.problem.status === 503;
      if (
        (error instanceof ApiProblemError && !busy) ||
        error instanceof UnexpectedAnswerError ||
        Date.now() - began >= (options.giveUpAfterMs ?? 30_000)
      ) {
        throw error;
      }
    }
    delay = Math.min(delay * 2, MAX_RECONNECT_DELAY_MS);
  }
}

function parseEnvelope(data: string): CloudEventJson {
  try {
    const envelope = JSON.parse(data) as Partial<CloudEventJson> | null;
    if (
      typeof envelope === 'object' &&
      envelope !== null &&
      typeof envelope.type === 'string' &&
      typeof envelope.journeyid === 'string' &&
      typeof envelope.streamid === 'string' &&
      typeof envelope.streamversion === 'number' &&
      typeof envelope.data === 'object'
    ) {
      return envelope as CloudEventJson;
    }
  } catch {
    // Reported below, with the start of what arrived.
  }
  throw new UnexpectedAnswerError(
    `the event stream sent a message that is not a CloudEvent: ${data.slice(0, 80)}`,
  );
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    return error.name === 'AbortError' ? 'no data for too long' : error.message;
  }
  return String(error);
}
