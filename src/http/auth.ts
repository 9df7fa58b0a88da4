import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Requester } from '../application/engine/orchestrator.js';
import { toError } from '../application/errors.js';
import { HttpProblem } from './problem.js';
import { roleAllows, type ApiPrincipal, type ApiRole, type ApiTokens } from './tokens.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least role a route needs; a route without one is public. */
    minRole?: ApiRole;
  }
  interface FastifyRequest {
    /** Who the bearer token says the caller is; null on public routes. */
    principal: ApiPrincipal | null;
  }
}

export const REALM = 'journey-orchestrator';

/** Longest Authorization value looked at; longer ones are refused without hashing. */
const MAX_CREDENTIALS = 1_024;

/**
 * Checks `Authorization: Bearer <token>` on every route that names a `minRole`, before the body
 * is read: an unauthenticated caller costs no parsing. 401 (with WWW-Authenticate) without a
 * valid token, 403 when its role is below the route's.
 */
export function registerAuth(app: FastifyInstance, tokens: ApiTokens): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', (request, _reply, done) => {
    const needed = request.routeOptions.config.minRole;
    try {
      if (needed !== undefined) {
        request.principal = authorize(request, tokens, needed);
      }
      done();
    } catch (error) {
      done(toError(error));
    }
  });
}

function authorize(request: FastifyRequest, tokens: ApiTokens, needed: ApiRole): ApiPrincipal {
  const principal = authenticate(request, tokens);
  if (!roleAllows(principal.role, needed)) {
    throw new HttpProblem(
      'FORBIDDEN',
      `This needs the ${needed} role; the token "${principal.name}" has ${principal.role}.`,
      {},
      { details: { needed, held: principal.role } },
    );
  }
  return principal;
}

function authenticate(request: FastifyRequest, tokens: ApiTokens): ApiPrincipal {
  const header = request.headers.authorization;
  if (header === undefined || header === '') {
    throw new HttpProblem('UNAUTHORIZED', 'Send Authorization: Bearer <token>.', {
      'www-authenticate': `Bearer realm="${REALM}"`,
    });
  }
  const match = header.length <= MAX_CREDENTIALS ? /^Bearer +([^\s]+) *$/i.exec(header) : null;
  const principal = match?.[1] === undefined ? null : tokens.verify(match[1]);
  if (principal === null) {
    throw new HttpProblem(
      'UNAUTHORIZED',
      match === null
        ? 'The Authorization header is not "Bearer <token>".'
        : 'The bearer token is not valid.',
      { 'www-authenticate': `Bearer realm="${REALM}", error="invalid_token"` },
    );
  }
  return principal;
}

/** The caller as the use cases see it: the token's name and role, the request id as correlation. */
export function requesterOf(request: FastifyRequest): Requester {
  if (request.principal === null) {
    throw new Error(`route ${request.routeOptions.url ?? '?'} needs a minRole to know its caller`);
  }
  return {
    actor: request.principal.name,
    correlationId: request.id,
    role: request.principal.role,
  };
}
