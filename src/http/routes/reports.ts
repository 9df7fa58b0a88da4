import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { problemResponses } from '../schemas/problem.js';
import {
  SeriesQuerySchema,
  SuccessMetricsSeriesSchema,
} from '../schemas/success-metrics-series.js';
import { SuccessMetricsSchema } from '../schemas/views.js';
import { BEARER, needs, type RouteContext } from './context.js';

const DEFAULT_POINTS = 24;

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

  app.get(
    '/v1/reports/success-metrics/series',
    {
      config: needs('viewer'),
      schema: {
        tags: ['reports'],
        summary: 'The success metrics over time, in equal buckets up to now',
        security: BEARER,
        querystring: SeriesQuerySchema,
        response: { 200: SuccessMetricsSeriesSchema, ...problemResponses(400, 401) },
      },
    },
    async (request) =>
      context.successMetrics.series({
        points: request.query.points === undefined ? DEFAULT_POINTS : Number(request.query.points),
        since: request.query.since ?? null,
      }),
  );
  done();
};
