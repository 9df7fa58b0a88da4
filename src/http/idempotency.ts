import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock, IdempotencyKeys, IdempotentResponse } from '../application/ports.js';
import { addMillis, millisBetween, type Instant, type Millis } from '../domain/index.js';
import { IDEMPOTENCY_REPLAYED_HEADER, idempotencyKeyOf, requestHash } from './idempotency-key.js';
import { HttpProblem, type ProblemCode } from './problem.js';

/**
 * `Idempotency-Key` on every POST (docs/api.md): the first answer to a caller's key is stored
 * and returned again to a repeat of the same request; the key reused for another request is
 * refused (422), and a repeat that arrives while the first is still running is told so (409).
 * The key is claimed after authentication and validation: a request refused before its handler
 * runs stores nothing, so the client may correct it and send it again under the same key.
 */

declare module 'fastify' {
  interface FastifyRequest {
    /** The key this request claimed, to store its answer under; null when it claimed none. */
    idempotencyClaim: { actor: string; key: string; claimedAt: Instant } | null;
  }
}

export interface IdempotencyOptions {
  readonly keys: IdempotencyKeys;
  readonly clock: Clock;
  /** How long a key is remembered, from its first use. */
  readonly ttl: Millis;
  /** After this long in flight, a key's request is deemed dead with its process and taken over. */
  readonly abandonAfter: Millis;
}

export const DEFAULT_IDEMPOTENCY_KEY_TTL: Millis = 24 * 60 * 60_000;
/** Longer than any answer takes (requests must arrive within 60 s; sources time out sooner). */
export const DEFAULT_IDEMPOTENCY_ABANDON_AFTER: Millis = 60_000;

/** How often expired keys are removed, at most (the first claim after that does it). */
const SWEEP_EVERY: Millis = 60 * 60_000;

/**
 * Refusals that invite a retry: storing them would refuse the very retry they ask for. The
 * controls' refusals lift by themselves or when a person says so (a stop, a pause, a freeze, a
 * soak time), and a retry with the same key must then be able to promote.
 */
const RETRYABLE_CODES: ReadonlySet<ProblemCode> = new Set([
  'CONCURRENT_CHANGE',
  'PLAYBOOK_NOT_LOADED',
  'JOURNEY_PAUSED',
  'PROMOTIONS_PAUSED',
  'FREEZE_IN_FORCE',
  'SOAK_TIME_NOT_ELAPSED',
]);

/** The headers of an answer that are part of it (the rest are per response). */
const KEPT_HEADERS = ['content-type', 'location'] as const;

export function registerIdempotency(app: FastifyInstance, options: IdempotencyOptions): void {
  const { keys, clock, ttl, abandonAfter } = options;
  let nextSweepAt: Instant | null = null;
  const sweep = async (request: FastifyRequest, now: Instant): Promise<void> => {
    if (nextSweepAt !== null && millisBetween(now, nextSweepAt) > 0) {
      return;
    }
    nextSweepAt = addMillis(now, Math.min(ttl, SWEEP_EVERY));
    try {
      await keys.removeExpiredIdempotencyKeys(addMillis(now, -ttl));
    } catch (error) {
      // The claim below still treats expired keys as unused; the next sweep tries again.
      request.log.warn({ err: error }, 'removing expired idempotency keys failed');
    }
  };

  app.decorateRequest('idempotencyClaim', null);
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || request.principal === null) {
      return;
    }
    const key = idempotencyKeyOf(request.raw);
    if (key === null) {
      return;
    }
    const actor = request.principal.name;
    const now = clock.now();
    await sweep(request, now);
    const path = request.url;
    const claim = await keys.claimIdempotencyKey(
      { actor, key, method: request.method, path, requestHash: requestHash(request.body) },
      { now, expiredBefore: addMillis(now, -ttl), abandonedBefore: addMillis(now, -abandonAfter) },
    );
    switch (claim.kind) {
      case 'claimed':
        request.idempotencyClaim = { actor, key, claimedAt: claim.claimedAt };
        return;
      case 'replay':
        return replay(reply, claim.response);
      case 'in_flight':
        throw new HttpProblem(
          'IDEMPOTENCY_KEY_IN_FLIGHT',
          `The first request with this Idempotency-Key (since ${claim.since}) is still being answered; repeat it once that one is answered.`,
          { 'retry-after': '1' },
        );
      case 'mismatch':
        throw new HttpProblem(
          'IDEMPOTENCY_KEY_REUSED',
          claim.method === request.method && claim.path === path
            ? 'This Idempotency-Key was first used with another body; use a new key for a new request.'
            : `This Idempotency-Key was first used for ${claim.method} ${claim.path}; use a new key for a new request.`,
        );
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotencyClaim;
    if (claim === null) {
      return payload;
    }
    request.idempotencyClaim = null;
    const response = keptResponse(reply, payload);
    try {
      if (response === null) {
        await keys.releaseIdempotencyKey(claim.actor, claim.key, claim.claimedAt);
      } else if (
        !(await keys.completeIdempotencyKey(
          claim.actor,
          claim.key,
          claim.claimedAt,
          response,
          clock.now(),
        ))
      ) {
        request.log.warn('an idempotency key was taken over before its first answer was stored');
      }
    } catch (error) {
      // The answer still goes out; the key stays in flight until it counts as abandoned.
      request.log.warn({ err: error }, 'storing the answer of an idempotency key failed');
    }
    return payload;
  });
}

function replay(reply: FastifyReply, response: IdempotentResponse): FastifyReply {
  return reply
    .code(response.status)
    .headers(response.headers)
    .header(IDEMPOTENCY_REPLAYED_HEADER, 'true')
    .send(response.body);
}

/** The answer to keep for the key, or null when it must not be kept (a 5xx, a retryable 4xx). */
function keptResponse(reply: FastifyReply, payload: unknown): IdempotentResponse | null {
  const status = reply.statusCode;
  const body =
    typeof payload === 'string'
      ? payload
      : Buffer.isBuffer(payload)
        ? payload.toString('utf8')
        : payload == null
          ? ''
          : null;
  if (status >= 500 || body === null || (status >= 400 && isRetryableProblem(body))) {
    return null;
  }
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) {
      headers[name] = String(value);
    }
  }
  return { status, headers, body };
}

function isRetryableProblem(body: string): boolean {
  try {
    const { code } = JSON.parse(body) as { code?: unknown };
    return typeof code === 'string' && RETRYABLE_CODES.has(code as ProblemCode);
  } catch {
    // Not JSON, so not a problem document: nothing says the refusal is retryable.
    return false;
  }
}
