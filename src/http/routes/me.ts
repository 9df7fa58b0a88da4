import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../schemas/problem.js';
import { named } from '../schemas/registry.js';
import { API_ROLES } from '../tokens.js';
import { BEARER, needs } from './context.js';

const MeSchema = named(
  'Caller',
  z.object({
    name: z.string().describe("The token's name: the actor recorded for what it does"),
    role: z.enum(API_ROLES),
  }),
  'Who the bearer token says the caller is',
);

/** `GET /v1/me`: who the token belongs to and its role, so a client shows only what it may do. */
export const meRoutes: FastifyPluginCallbackZod = (app, _options, done) => {
  app.get(
    '/v1/me',
    {
      config: needs('viewer'),
      schema: {
        tags: ['access'],
        summary: "The caller's name and role",
        security: BEARER,
        response: { 200: MeSchema, ...problemResponses(401) },
      },
    },
    (request) => {
      if (request.principal === null) {
        throw new Error('GET /v1/me ran without a principal: its minRole is missing');
      }
      return { name: request.principal.name, role: request.principal.role };
    },
  );
  done();
};
