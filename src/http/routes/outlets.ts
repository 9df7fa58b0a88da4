import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock, DeadLetter, OutletCheckpoint, Store } from '../../application/ports.js';
import { HttpProblem } from '../problem.js';
import { problemResponses } from '../schemas/problem.js';
import { Instant, list, named } from '../schemas/registry.js';
import { Limit } from '../schemas/requests.js';
import { BEARER, needs } from './context.js';

/** What the outlet routes read and change: the relay's checkpoints and dead letters. */
export type OutletStore = Pick<
  Store,
  | 'listOutlets'
  | 'findOutlet'
  | 'listDeadLetters'
  | 'countDeadLetters'
  | 'requestReplay'
  | 'discardDeadLetter'
>;

export interface OutletRouteOptions {
  readonly store: OutletStore;
  readonly clock: Clock;
}

const tags = ['outlets'];

const OutletParams = z.strictObject({
  outlet: z
    .string()
    .max(63, { abort: true })
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be an outlet name')
    .describe("The outlet's name (outlets file)"),
});

const EventId = z
  .string()
  .max(128, { abort: true })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be an event id');

const DeadLetterParams = OutletParams.extend({ eventId: EventId.describe("The event's id") });

const DeadLetterQuery = z.strictObject({
  limit: Limit.optional(),
  cursor: z
    .string()
    .max(200)
    .regex(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z [A-Za-z0-9._:-]+$/,
      'must be a nextCursor this API returned',
    )
    .optional(),
});

const ReplayBody = named(
  'ReplayRequest',
  z
    .strictObject({ eventId: EventId.optional().describe('Only this one; all when absent') })
    .nullish(),
);

const OutletSchema = named(
  'Outlet',
  z.object({
    name: z.string(),
    position: z.string().describe('Everything up to here was delivered or dead-lettered'),
    delivered: z.number().int(),
    deadLetters: z.number().int(),
    deliveringProcess: z.string().nullable().describe('The process holding the outlet lease'),
    leaseExpiresAt: Instant.nullable(),
    updatedAt: Instant,
  }),
);

const DeadLetterSchema = named(
  'DeadLetter',
  z.object({
    outlet: z.string(),
    eventId: z.string(),
    journeyId: z.string(),
    type: z.string(),
    attempts: z.number().int(),
    lastError: z.string(),
    deadAt: Instant,
    replayRequestedAt: Instant.nullable(),
    envelope: z.unknown().describe('The CloudEvent as it was offered'),
  }),
);

/**
 * The event relay seen by operators: where each outlet stands, the events it gave up on, and
 * replaying (or discarding) them once the destination is fixed.
 */
export const outletRoutes: FastifyPluginCallbackZod<OutletRouteOptions> = (
  app,
  { store, clock },
  done,
) => {
  app.get(
    '/v1/outlets',
    {
      config: needs('viewer'),
      schema: {
        tags,
        summary: 'Every outlet of the event relay with its checkpoint and dead letters',
        security: BEARER,
        response: {
          200: z.object({ items: list(OutletSchema) }),
          ...problemResponses(401),
        },
      },
    },
    async () => {
      const outlets = await store.listOutlets();
      return {
        items: await Promise.all(
          outlets.map(async (outlet) =>
            outletView(outlet, await store.countDeadLetters(outlet.outlet)),
          ),
        ),
      };
    },
  );

  app.get(
    '/v1/outlets/:outlet/dead-letters',
    {
      config: needs('viewer'),
      schema: {
        tags,
        summary: "An outlet's dead letters, oldest first",
        security: BEARER,
        params: OutletParams,
        querystring: DeadLetterQuery,
        response: {
          200: z.object({ items: list(DeadLetterSchema), nextCursor: z.string().nullable() }),
          ...problemResponses(400, 401, 404),
        },
      },
    },
    async (request) => {
      await existing(store, request.params.outlet);
      const { limit, cursor } = request.query;
      const page = await store.listDeadLetters(request.params.outlet, {
        limit: limit === undefined ? 50 : Number(limit),
        after: cursor ?? null,
      });
      return { items: page.items.map(deadLetterView), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/v1/outlets/:outlet/dead-letters/replay',
    {
      config: needs('operator'),
      schema: {
        tags,
        summary: 'Deliver dead letters again (one, or all of the outlet)',
        security: BEARER,
        params: OutletParams,
        body: ReplayBody,
        response: {
          202: z.object({ requested: z.number().int() }),
          ...problemResponses(400, 401, 403, 404, 415),
        },
      },
    },
    async (request, reply) => {
      const { outlet } = request.params;
      await existing(store, outlet);
      const eventId = request.body?.eventId ?? null;
      const requested = await store.requestReplay(outlet, eventId, clock.now());
      if (eventId !== null && requested === 0) {
        throw new HttpProblem('NOT_FOUND', `Outlet ${outlet} has no dead letter ${eventId}.`);
      }
      request.log.info({ outlet, eventId, requested }, 'dead letters replay requested');
      return reply.code(202).send({ requested });
    },
  );

  app.delete(
    '/v1/outlets/:outlet/dead-letters/:eventId',
    {
      config: needs('operator'),
      schema: {
        tags,
        summary: 'Give up on a dead letter for good',
        security: BEARER,
        params: DeadLetterParams,
        response: { 204: z.null(), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { outlet, eventId } = request.params;
      if (!(await store.discardDeadLetter(outlet, eventId))) {
        throw new HttpProblem('NOT_FOUND', `Outlet ${outlet} has no dead letter ${eventId}.`);
      }
      request.log.info({ outlet, eventId }, 'dead letter discarded');
      return reply.code(204).send(null);
    },
  );
  done();
};

async function existing(store: OutletStore, outlet: string): Promise<void> {
  if ((await store.findOutlet(outlet)) === null) {
    throw new HttpProblem('NOT_FOUND', `No outlet named ${outlet} has delivered anything here.`);
  }
}

function outletView(outlet: OutletCheckpoint, deadLetters: number) {
  return {
    name: outlet.outlet,
    position: outlet.position,
    delivered: outlet.delivered,
    deadLetters,
    deliveringProcess: outlet.leaseOwner,
    leaseExpiresAt: outlet.leaseExpiresAt,
    updatedAt: outlet.updatedAt,
  };
}

function deadLetterView(letter: DeadLetter) {
  return {
    outlet: letter.outlet,
    eventId: letter.eventId,
    journeyId: letter.journeyId,
    type: letter.type,
    attempts: letter.attempts,
    lastError: letter.lastError,
    deadAt: letter.deadAt,
    replayRequestedAt: letter.replayRequestedAt,
    envelope: letter.envelope,
  };
}
