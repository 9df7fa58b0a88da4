import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../schemas/problem.js';
import { SuccessMetricsSchema } from '../schemas/views.js';
import { BEARER, needs, type RouteContext } from './context.js';

/** Reports over all journeys. */
export const reportRoutes: FastifyPluginCallbackZod<RouteContext> = (app, context, done) => {
  app.get(
    '/v1/reports/success-metrics',
    {
      config: needs('viewer'),
      schema: {
        tags: ['reports'],
        summary: 'Time to production, rollback rate, exit-criteria pass rate, journeys by stage',
        security: BEARER,
        response: { 200: SuccessMetricsSchema, ...problemResponses(401) },
      },
    },
    async () => context.successMetrics.report(),
  );
  done();
};
