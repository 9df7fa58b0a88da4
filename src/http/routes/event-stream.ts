import type { ServerResponse } from 'node:http';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { GlobalPosition, Store, StoredEvent } from '../../application/ports.js';
import { JOURNEY_EVENT_TYPES, UNIT_OF_WORK_EVENT_TYPES } from '../../domain/index.js';
import { ClientIds } from '../../relay/client-ids.js';
import { toCloudEvent } from '../../relay/cloud-event.js';
import { CommitSignal } from '../../relay/commit-signal.js';
import { HttpProblem } from '../problem.js';
import { problemResponses } from '../schemas/problem.js';
import { Slug } from '../schemas/requests.js';
import { BEARER, needs } from './context.js';

/** What the stream reads: the log, and the journeys of a client it is restricted to. */
export type EventStreamStore = Pick<
  Store,
  'readAll' | 'headPosition' | 'isPosition' | 'onCommitted' | 'findJourney' | 'listJourneys'
>;

export interface EventStreamOptions {
  readonly store: EventStreamStore;
  /** @default 15000 */
  readonly heartbeatEvery?: number;
  /** The longest wait before the log is read again (other processes' commits). @default 500 */
  readonly pollInterval?: number;
  /** Streams open at once; more are refused with 503. @default 1000 */
  readonly maxStreams?: number;
}

const EVENT_TYPES: readonly string[] = [...JOURNEY_EVENT_TYPES, ...UNIT_OF_WORK_EVENT_TYPES];
const PAGE = 500;

const StreamQuery = z.strictObject({
  clientId: Slug.optional().describe("Only this client's events"),
  types: z
    .string()
    .max(2_000, { abort: true })
    .refine(
      (value) => value.split(',').every((type) => EVENT_TYPES.includes(type)),
      `must be a comma-separated list of event types (${EVENT_TYPES.join(', ')})`,
    )
    .optional()
    .describe('Only these domain event types, comma-separated'),
  lastEventId: z
    .string()
    .max(64)
    .optional()
    .describe('Resume after this id (for clients that cannot send the Last-Event-ID header)'),
});

/**
 * `GET /v1/events/stream`: Server-Sent Events of every domain event, as CloudEvents JSON. Each
 * message's `id` is the event's place in the log, so a client that reconnects with
 * `Last-Event-ID` resumes exactly after the last event it got: nothing missed, nothing twice.
 * Without one it starts at the head, announced by an `event: ready` message first: subscribe,
 * wait for ready, then read the state over REST, and no change falls between the two.
 */
export const eventStreamRoutes: FastifyPluginCallbackZod<EventStreamOptions> = (
  app,
  options,
  done,
) => {
  const { store } = options;
  const open = new Set<AbortController>();
  const clientIds = new ClientIds(store);
  // Streams never end by themselves: end them when the server closes, or close() would wait.
  app.addHook('preClose', (closing) => {
    for (const stream of open) {
      stream.abort();
    }
    closing();
  });

  app.get(
    '/v1/events/stream',
    {
      config: needs('viewer'),
      schema: {
        tags: ['events'],
        summary: 'Live stream of domain events (Server-Sent Events of CloudEvents JSON)',
        security: BEARER,
        querystring: StreamQuery,
        headers: z.object({
          'last-event-id': z.string().max(64).optional().describe('Resume after this id'),
        }),
        response: {
          200: z.string().describe('text/event-stream'),
          ...problemResponses(400, 401, 503),
        },
      },
    },
    async (request, reply) => {
      const resumeFrom = request.headers['last-event-id'] ?? request.query.lastEventId;
      if (resumeFrom !== undefined && !store.isPosition(resumeFrom)) {
        throw new HttpProblem(
          'BAD_REQUEST',
          `Last-Event-ID "${resumeFrom.slice(0, 64)}" is not an id this stream sent.`,
        );
      }
      if (open.size >= (options.maxStreams ?? 1_000)) {
        throw new HttpProblem('SERVICE_UNAVAILABLE', 'Too many event streams are open.', {
          'retry-after': '5',
        });
      }
      const types = request.query.types?.split(',');
      const filter = await eventFilter(store, request.query.clientId, types);
      const start = resumeFrom ?? (await store.headPosition());
      const stream = new AbortController();
      open.add(stream);
      reply.hijack();
      const response = reply.raw;
      // The client went away (or the server is closing it): stop reading the log for it.
      response.on('close', () => stream.abort());
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      // A resumed stream may have nothing to send for a while: the client learns it is
      // connected from the headers, now, not at the first event or heartbeat.
      response.flushHeaders();
      try {
        if (resumeFrom === undefined) {
          await write(response, `event: ready\nid: ${start}\ndata: {}\n\n`);
        }
        await follow(store, clientIds, start, filter, response, stream.signal, options);
      } catch (error) {
        request.log.warn({ err: error }, 'event stream ended by an error');
      } finally {
        open.delete(stream);
        response.end();
      }
    },
  );
  done();
};

type EventFilter = (event: StoredEvent) => boolean;

/** Which events a stream sends: by type, and by client (whose journeys may start meanwhile). */
async function eventFilter(
  store: EventStreamStore,
  clientId: string | undefined,
  types: readonly string[] | undefined,
): Promise<EventFilter> {
  const byType: EventFilter =
    types === undefined ? () => true : (event) => types.includes(event.type);
  if (clientId === undefined) {
    return byType;
  }
  const journeys = new Set<string>();
  for (let cursor: string | null = null; ;) {
    const page = await store.listJourneys({ clientId, limit: 500, cursor });
    page.items.forEach((journey) => journeys.add(journey.journeyId));
    if (page.nextCursor === null) {
      break;
    }
    cursor = page.nextCursor;
  }
  return (event) => {
    if (event.event.type === 'JourneyStarted' && event.event.clientId === clientId) {
      journeys.add(event.journeyId);
    }
    return journeys.has(event.journeyId) && byType(event);
  };
}

async function follow(
  store: EventStreamStore,
  clientIds: ClientIds,
  start: GlobalPosition,
  filter: EventFilter,
  response: ServerResponse,
  signal: AbortSignal,
  options: EventStreamOptions,
): Promise<void> {
  const commits = new CommitSignal();
  const unsubscribe = store.onCommitted(() => commits.notify());
  const heartbeatEvery = options.heartbeatEvery ?? 15_000;
  let position = start;
  let lastWrite = Date.now();
  try {
    while (!signal.aborted) {
      const { events, next } = await store.readAll(position, PAGE);
      for (const event of events) {
        if (filter(event)) {
          const envelope = toCloudEvent(event, await clientIds.of(event));
          await write(response, `id: ${event.position}\ndata: ${JSON.stringify(envelope)}\n\n`);
          lastWrite = Date.now();
        }
      }
      position = next;
      if (events.length === PAGE) {
        continue;
      }
      if (Date.now() - lastWrite >= heartbeatEvery) {
        // A comment keeps proxies from closing an idle connection; clients ignore it.
        await write(response, ': keep-alive\n\n');
        lastWrite = Date.now();
      }
      await commits.wait(Math.min(options.pollInterval ?? 500, heartbeatEvery), signal);
    }
  } finally {
    unsubscribe();
  }
}

/** Writes, waiting for the socket to drain when its buffer is full (a slow reader). */
function write(response: ServerResponse, chunk: string): Promise<void> {
  if (response.destroyed) {
    return Promise.resolve();
  }
  if (response.write(chunk)) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const finish = () => {
      response.off('drain', finish);
      response.off('close', finish);
      resolve();
    };
    response.on('drain', finish);
    response.on('close', finish);
  });
}
