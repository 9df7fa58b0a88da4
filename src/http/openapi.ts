import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import {
  createJsonSchemaTransform,
  createJsonSchemaTransformObject,
} from 'fastify-type-provider-zod';
import { withIdempotencyKeyParameter } from './idempotency-openapi.js';
import { tidyDocument } from './openapi-document.js';

/**
 * The OpenAPI 3.1 document, generated from the routes' zod schemas (`GET /openapi.json`), and
 * Swagger UI at `/docs`, served from node_modules (no CDN). Register before the routes: the
 * document collects routes as they are added.
 */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  const transformObject = createJsonSchemaTransformObject({});
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'journey-orchestrator',
        description:
          'Moves clients Sandbox -> Pilot -> Production with exit-criteria gates and rollback. Errors are application/problem+json (RFC 9457) with a stable `code`. Authenticate with `Authorization: Bearer <token>`; roles viewer < operator < admin.',
        version,
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      },
      tags: [
        { name: 'journeys', description: 'Journeys and what people do to them' },
        {
          name: 'units of work',
          description: "The DAGs of tasks a stage's setup or rollback runs",
        },
        { name: 'reports', description: 'Success metrics' },
        { name: 'operations', description: 'Health, readiness, metrics (no token needed)' },
      ],
    },
    transform: createJsonSchemaTransform({ skipList: [] }),
    transformObject: (document) =>
      withIdempotencyKeyParameter(tidyDocument(transformObject(document))),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
}
