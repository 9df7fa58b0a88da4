import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Millis } from '../../domain/index.js';
import type { ApiMetrics } from '../metrics.js';
import { problemOf, sendProblem } from '../problem.js';
import { problemResponses } from '../schemas/problem.js';
import type { ApiStore } from './context.js';

export interface OperationsContext {
  readonly store: Pick<ApiStore, 'ping'>;
  readonly metrics: ApiMetrics;
  readonly version: string;
  readonly readinessTimeout: Millis;
}

const tags = ['operations'];

/** Liveness, readiness and Prometheus metrics: public, for load balancers and scrapers. */
export const operationRoutes: FastifyPluginCallbackZod<OperationsContext> = (
  app,
  context,
  done,
) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags,
        summary: 'Liveness: the process answers',
        response: { 200: z.object({ status: z.literal('ok'), version: z.string() }) },
      },
    },
    () => ({ status: 'ok' as const, version: context.version }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags,
        summary: 'Readiness: the database answers',
        response: { 200: z.object({ status: z.literal('ready') }), ...problemResponses(503) },
      },
    },
    async (request, reply) => {
      const failure = await pingWithin(context.store, context.readinessTimeout);
      if (failure !== null) {
        request.log.warn({ reason: failure }, 'not ready: the database does not answer');
        return sendProblem(
          reply,
          problemOf('SERVICE_UNAVAILABLE', 'Not ready: the database does not answer.'),
        );
      }
      return { status: 'ready' as const };
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        tags,
        summary: 'Prometheus metrics (text exposition format)',
        produces: ['text/plain'],
      },
    },
    async (_request, reply) => {
      const text = await context.metrics.render();
      return reply.type(context.metrics.contentType).send(text);
    },
  );
  done();
};
/** Null when the store answered in time, else why not. */
async function pingWithin(store: Pick<ApiStore, 'ping'>, timeout: Millis): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeout} ms`), timeout);
  });
  try {
    return await Promise.race([
      store.ping().then(
        () => null,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      ),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
