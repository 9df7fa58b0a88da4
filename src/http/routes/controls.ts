import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { JsonValue } from '../../domain/index.js';
import { requesterOf } from '../auth.js';
import { problemResponses } from '../schemas/problem.js';
import { named } from '../schemas/registry.js';
import { Reason } from '../schemas/requests.js';
import { BEARER, needs, type RouteContext } from './context.js';

/**
 * Fleet controls (docs/controls.md): stop the line (every promotion refused until resumed) and
 * fleet-wide freeze windows. Reading them is for every role; changing them is for admins.
 */

const tags = ['controls'];
const Text = z.string().max(200);
const FreezeId = z
  .string()
  .max(128, { abort: true })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be a freeze id (letters, digits, . _ : -)');

const Instant = z.string();
const ActiveFreezeSchema = z.object({
  freezeId: z.string(),
  scope: z.enum(['playbook', 'global']),
  description: z.string().optional(),
  from: Instant,
  until: Instant,
});

const ControlsSchema = named(
  'Controls',
  z.object({
    promotions: z.object({
      paused: z.boolean(),
      pausedBy: z.string().nullable(),
      reason: z.string().nullable(),
      pausedAt: Instant.nullable(),
    }),
    freezes: z.array(
      named(
        'GlobalFreeze',
        z.object({
          freeze: z.record(z.string(), z.string()).describe('The window as written'),
          createdBy: z.string(),
          reason: z.string().nullable(),
          createdAt: Instant,
          activeNow: ActiveFreezeSchema.nullable().describe('The stretch in force now'),
        }),
      ),
    ),
    changes: z
      .array(
        z.object({
          action: z.enum([
            'promotions_paused',
            'promotions_resumed',
            'freeze_added',
            'freeze_removed',
          ]),
          subject: z.string().nullable(),
          actor: z.string(),
          reason: z.string().nullable(),
          at: Instant,
        }),
      )
      .describe('The latest 50 changes, newest first'),
  }),
);

const PausePromotionsBody = named('PausePromotionsRequest', z.strictObject({ reason: Reason }));
const OptionalReasonBody = z.strictObject({ reason: Reason.optional() }).nullish();
const FreezeBody = named(
  'GlobalFreezeRequest',
  z.strictObject({
    id: FreezeId,
    description: z.string().max(1_000).optional(),
    from: Text.optional().describe(
      'One-off: ISO 8601 date-time (local to timezone without offset)',
    ),
    to: Text.optional(),
    schedule: Text.optional().describe('Recurring: cron schedule of each start, e.g. "0 18 * * 5"'),
    duration: Text.optional().describe('Recurring: how long each lasts, e.g. 60h'),
    timezone: Text.optional().describe('IANA time zone; default UTC'),
    reason: Reason.optional(),
  }),
);

export const controlRoutes: FastifyPluginCallbackZod<RouteContext> = (app, context, done) => {
  const controls = context.orchestrator.controls;
  const view = async () => {
    const current = await controls.view();
    const stop = current.promotions.stop;
    return {
      promotions: {
        paused: stop !== null,
        pausedBy: stop?.stoppedBy ?? null,
        reason: stop?.reason ?? null,
        pausedAt: stop?.at ?? null,
      },
      freezes: current.freezes.map(({ freeze, createdBy, reason, createdAt, activeNow }) => ({
        freeze,
        createdBy,
        reason,
        createdAt,
        activeNow,
      })),
      changes: [...current.changes],
    };
  };

  app.get(
    '/v1/controls',
    {
      config: needs('viewer'),
      schema: {
        tags,
        summary: 'The fleet controls: the promotion stop, global freezes and recent changes',
        security: BEARER,
        response: { 200: ControlsSchema, ...problemResponses(401, 403) },
      },
    },
    view,
  );

  app.post(
    '/v1/controls/promotions/pause',
    {
      config: needs('admin'),
      schema: {
        tags,
        summary: 'Stop the line: refuse every promotion fleet-wide until resumed',
        description:
          'Running units of work finish; no promotion (automatic or manual) starts: 409 PROMOTIONS_PAUSED names who and why. 409 PROMOTIONS_ALREADY_PAUSED when stopped already.',
        security: BEARER,
        body: PausePromotionsBody,
        response: { 200: ControlsSchema, ...problemResponses(400, 401, 403, 409, 415) },
      },
    },
    async (request) => {
      await controls.pausePromotions({ reason: request.body.reason }, requesterOf(request));
      return view();
    },
  );

  app.post(
    '/v1/controls/promotions/resume',
    {
      config: needs('admin'),
      schema: {
        tags,
        summary: 'Lift the stop: promotions may start again',
        description: '409 PROMOTIONS_NOT_PAUSED when promotions are not stopped.',
        security: BEARER,
        body: OptionalReasonBody,
        response: { 200: ControlsSchema, ...problemResponses(400, 401, 403, 409, 415) },
      },
    },
    async (request) => {
      const reason = request.body?.reason;
      await controls.resumePromotions(reason === undefined ? {} : { reason }, requesterOf(request));
      return view();
    },
  );

  app.post(
    '/v1/controls/freezes',
    {
      config: needs('admin'),
      schema: {
        tags,
        summary: 'Add a fleet-wide freeze window (the playbook `freezes:` format)',
        description:
          '422 FREEZE_INVALID lists every problem under `problems`; 409 FREEZE_EXISTS when the id is taken.',
        security: BEARER,
        body: FreezeBody,
        response: { 201: ControlsSchema, ...problemResponses(400, 401, 403, 409, 415, 422) },
      },
    },
    async (request, reply) => {
      const { reason, ...freeze } = request.body;
      await controls.addFreeze(
        { freeze: freeze as JsonValue, ...(reason === undefined ? {} : { reason }) },
        requesterOf(request),
      );
      return reply.code(201).send(await view());
    },
  );

  app.delete(
    '/v1/controls/freezes/:freezeId',
    {
      config: needs('admin'),
      schema: {
        tags,
        summary: 'Remove a fleet-wide freeze window',
        security: BEARER,
        params: z.strictObject({ freezeId: FreezeId }),
        querystring: z.strictObject({ reason: Reason.optional() }),
        response: { 200: ControlsSchema, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { reason } = request.query;
      await controls.removeFreeze(
        request.params.freezeId,
        reason === undefined ? {} : { reason },
        requesterOf(request),
      );
      return view();
    },
  );
  done();
};
