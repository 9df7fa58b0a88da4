import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { DAY, HOUR, MINUTE, parseDuration } from '../../domain/index.js';
import { requesterOf } from '../auth.js';
import { HttpProblem } from '../problem.js';
import { SignOffLinkBody, SignOffLinkSchema } from '../schemas/evidence.js';
import { problemResponses } from '../schemas/problem.js';
import { ClientIdParams } from '../schemas/requests.js';
import {
  IssuedSignOffLinkSchema,
  RevokeSignOffLinkQuery,
  SignOffLinkListSchema,
  SignOffLinkParams,
} from '../schemas/sign-off-links.js';
import type { SignOffs } from '../sign-off/sign-offs.js';
import { BEARER, needs } from './context.js';

const DEFAULT_EXPIRES_IN = 72 * HOUR;
const MAX_EXPIRES_IN = 30 * DAY;

/**
 * `/v1/journeys/{clientId}/sign-off-links`: issue a link the client approves through, once
 * (POST), list the journey's links (GET) and revoke one (DELETE …/{linkId}).
 */
export const signOffLinkRoutes: FastifyPluginCallbackZod<{
  readonly signOffs: SignOffs;
  /** The address clients reach this server at; else the request's own. */
  readonly publicUrl?: string;
}> = (app, { signOffs, publicUrl }, done) => {
  app.post(
    '/v1/journeys/:clientId/sign-off-links',
    {
      config: needs('operator'),
      schema: {
        tags: ['journeys'],
        summary: 'Issue a single-use, expiring sign-off link for one approval criterion (operator)',
        description:
          'The client opens the URL without an account and approves or rejects once; the decision is recorded as role client. 403 APPROVER_NOT_ALLOWED when the policy does not allow role client.',
        security: BEARER,
        params: ClientIdParams,
        body: SignOffLinkBody,
        response: {
          201: SignOffLinkSchema,
          ...problemResponses(400, 401, 403, 404, 409, 415, 422),
        },
      },
    },
    async (request, reply) => {
      const { criterion, expiresIn, approverName, note } = request.body;
      const expiry = expiresIn === undefined ? DEFAULT_EXPIRES_IN : parseDuration(expiresIn);
      if (expiry === undefined || expiry < MINUTE || expiry > MAX_EXPIRES_IN) {
        throw new HttpProblem(
          'VALIDATION_FAILED',
          'expiresIn must be a duration from 1m to 30d, e.g. 72h.',
          {},
          { errors: [{ in: 'body', path: '/expiresIn', message: 'must be from 1m to 30d' }] },
        );
      }
      const issued = await signOffs.issue(
        request.params.clientId,
        {
          criterionId: criterion,
          expiresIn: expiry,
          ...(approverName === undefined ? {} : { approverName }),
          ...(note === undefined ? {} : { note }),
        },
        requesterOf(request),
      );
      const base = (publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
      request.log.info(
        { linkId: issued.linkId, journeyId: issued.link.journeyId, criterion },
        'sign-off link issued',
      );
      return reply.code(201).send({
        linkId: issued.linkId,
        url: `${base}/sign-off/${issued.token}`,
        expiresAt: issued.link.expiresAt,
        journeyId: issued.link.journeyId,
        clientId: issued.link.clientId,
        stage: issued.link.stage,
        criterion: issued.link.criterionId,
        approverName: issued.link.approverName,
      });
    },
  );

  app.get(
    '/v1/journeys/:clientId/sign-off-links',
    {
      config: needs('viewer'),
      schema: {
        tags: ['journeys'],
        summary: "The sign-off links issued for the client's journey, with their status",
        description:
          'Never the token or URL: a link is a bearer credential, shown once when it is issued.',
        security: BEARER,
        params: ClientIdParams,
        response: { 200: SignOffLinkListSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => ({ items: await signOffs.list(request.params.clientId) }),
  );

  app.delete(
    '/v1/journeys/:clientId/sign-off-links/:linkId',
    {
      config: needs('operator'),
      schema: {
        tags: ['journeys'],
        summary: 'Revoke a sign-off link that was not used (operator)',
        description:
          'The link is refused from then on (410 page "revoked"). 404 SIGN_OFF_LINK_NOT_FOUND (also for a link of another journey); 409 SIGN_OFF_LINK_USED, SIGN_OFF_LINK_REVOKED. Of a revocation and the client using the link, exactly one wins.',
        security: BEARER,
        params: SignOffLinkParams,
        querystring: RevokeSignOffLinkQuery,
        response: { 200: IssuedSignOffLinkSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { clientId, linkId } = request.params;
      const { reason } = request.query;
      const revoked = await signOffs.revoke(
        clientId,
        linkId,
        reason === undefined ? {} : { reason },
        requesterOf(request),
      );
      request.log.info({ linkId, journeyId: revoked.journeyId }, 'sign-off link revoked');
      return revoked;
    },
  );
  done();
};
