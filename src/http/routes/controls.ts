import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FleetControlsView } from '../../application/engine/fleet-controls.js';
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
          freezeId: z.string(),
          freeze: z.record(z.string(), z.string()).describe('The window as written'),
          status: z
            .enum(['valid', 'invalid'])
            .describe(
              'invalid: the stored freeze no longer passes the playbook rule; it is held in force (until 9999-01-01) until removed',
            ),
          problems: z
            .array(z.object({ path: z.string(), message: z.string() }))
            .describe('What is wrong with an invalid freeze; empty when valid'),
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
/**
 * Only `reason` is checked here: the rest is the freeze itself, checked by the playbook's own
 * rule (`freezeSchema`) in the use case, so every problem of it, an unknown key included, is
 * one 422 FREEZE_INVALID listing them all, exactly as a playbook's `freezes:` entry.
 */
const FreezeBody = named(
  'GlobalFreezeRequest',
  z.looseObject({ reason: Reason.optional() }),
  'A freeze window with the keys of a playbook `freezes:` entry (docs/controls.md): id, description, from and to (one-off, ISO 8601, local to timezone without an offset) or schedule (cron) and duration (e.g. 60h) (recurring), timezone (IANA, default UTC); plus reason, for the audit trail.',
);

/** The API's answer for the controls as the use case returned them. */
function controlsBody(current: FleetControlsView) {
  const stop = current.promotions.stop;
  return {
    promotions: {
      paused: stop !== null,
      pausedBy: stop?.stoppedBy ?? null,
      reason: stop?.reason ?? null,
      pausedAt: stop?.at ?? null,
    },
    freezes: current.freezes.map((f) => ({
      freezeId: f.freezeId,
      freeze: { ...f.freeze },
      status: f.status,
      problems: [...f.problems],
      createdBy: f.createdBy,
      reason: f.reason,
      createdAt: f.createdAt,
      activeNow: f.activeNow,
    })),
    changes: [...current.changes],
  };
}

export const controlRoutes: FastifyPluginCallbackZod<RouteContext> = (app, context, done) => {
  const controls = context.orchestrator.controls;

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
    async () => controlsBody(await controls.view()),
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
    async (request) =>
      controlsBody(
        await controls.pausePromotions({ reason: request.body.reason }, requesterOf(request)),
      ),
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
      return controlsBody(
        await controls.resumePromotions(
          reason === undefined ? {} : { reason },
          requesterOf(request),
        ),
      );
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
      const added = await controls.addFreeze(
        { freeze: freeze as JsonValue, ...(reason === undefined ? {} : { reason }) },
        requesterOf(request),
      );
      return reply.code(201).send(controlsBody(added));
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
      return controlsBody(
        await controls.removeFreeze(
          request.params.freezeId,
          reason === undefined ? {} : { reason },
          requesterOf(request),
        ),
      );
    },
  );
  done();
};
