import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { requesterOf } from '../auth.js';
import { problemResponses } from '../schemas/problem.js';
import { CancelBody, RetryBody, WorkIdParams } from '../schemas/requests.js';
import { UnitOfWorkSchema } from '../schemas/views.js';
import { BEARER, needs, type RouteContext } from './context.js';
import { viewOfUnit } from './journey-lookup.js';

const tags = ['units of work'];

/** Units of work: read one with its tasks and attempts, retry its failed tasks, cancel it. */
export const unitOfWorkRoutes: FastifyPluginCallbackZod<RouteContext> = (app, context, done) => {
  const { orchestrator, store } = context;

  app.get(
    '/v1/units-of-work/:workId',
    {
      config: needs('viewer'),
      schema: {
        tags,
        summary: 'A unit of work with its tasks, their attempts and outputs',
        security: BEARER,
        params: WorkIdParams,
        response: { 200: UnitOfWorkSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => viewOfUnit(store, request.params.workId),
  );

  app.post(
    '/v1/units-of-work/:workId/retry',
    {
      config: needs('operator'),
      schema: {
        tags,
        summary: "Retry a failed unit's failed tasks (accepted: they run next)",
        security: BEARER,
        params: WorkIdParams,
        body: RetryBody,
        response: { 202: UnitOfWorkSchema, ...problemResponses(400, 401, 403, 404, 409, 415) },
      },
    },
    async (request, reply) => {
      await orchestrator.retryFailedTasks(request.params.workId, requesterOf(request));
      return reply.code(202).send(await viewOfUnit(store, request.params.workId));
    },
  );

  app.post(
    '/v1/units-of-work/:workId/cancel',
    {
      config: needs('operator'),
      schema: {
        tags,
        summary: 'Cancel a unit of work (accepted: its agents are told next)',
        description:
          'A setup unit the journey waits for is recorded as a failed setup (pilot and production roll back when their playbook says so); a rollback unit as a failed rollback. A cancelled unit cannot be retried.',
        security: BEARER,
        params: WorkIdParams,
        body: CancelBody,
        response: { 202: UnitOfWorkSchema, ...problemResponses(400, 401, 403, 404, 409, 415) },
      },
    },
    async (request, reply) => {
      await orchestrator.cancelUnitOfWork(
        request.params.workId,
        { reason: request.body.reason },
        requesterOf(request),
      );
      return reply.code(202).send(await viewOfUnit(store, request.params.workId));
    },
  );
  done();
};
