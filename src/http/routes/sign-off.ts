import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CATALOG, isDomainError } from '../../domain/index.js';
import {
  badFormPage,
  decisionPage,
  failurePage,
  recordedPage,
  refusalPage,
  SIGN_OFF_CSP,
  type SignOffPage,
} from '../sign-off/sign-off-page.js';
import type { SignOffRefusal, SignOffs } from '../sign-off/sign-offs.js';

/**
 * The client's side of a sign-off link, without bearer auth: the token in the path is the
 * credential. GET shows the page and never uses the link (mail scanners and link previews open
 * links); the form POSTs back to the same URL and decides once. Request logs are kept at warn
 * for these routes, so the token is never written by the usual request lines; refusals are
 * logged with the link id only (useless without the signature).
 */
export const signOffRoutes: FastifyPluginCallback<{ readonly signOffs: SignOffs }> = (
  app,
  { signOffs },
  done,
) => {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 16 * 1024 },
    (_request, body, parsed) => {
      parsed(null, new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8')));
    },
  );

  const refuse = (request: FastifyRequest, reply: FastifyReply, refusal: SignOffRefusal) => {
    request.log.warn(
      {
        refusal: refusal.kind,
        ...(refusal.kind === 'invalid'
          ? { why: refusal.why }
          : { linkId: refusal.link.linkId, journeyId: refusal.link.journeyId }),
        ip: request.ip,
      },
      'sign-off link refused',
    );
    return sendPage(reply, refusalPage(refusal));
  };

  app.get<{ Params: { token: string } }>(
    '/sign-off/:token',
    { logLevel: 'warn', schema: { hide: true } },
    async (request, reply) => {
      const opened = await signOffs.open(request.params.token);
      if (!opened.ok) {
        return refuse(request, reply, opened.refusal);
      }
      return sendPage(
        reply,
        decisionPage({ link: opened.link, description: opened.criterion.description }),
      );
    },
  );

  app.post<{ Params: { token: string }; Body: unknown }>(
    '/sign-off/:token',
    { logLevel: 'warn', schema: { hide: true } },
    async (request, reply) => {
      const opened = await signOffs.open(request.params.token);
      if (!opened.ok) {
        return refuse(request, reply, opened.refusal);
      }
      const form = request.body instanceof URLSearchParams ? request.body : null;
      const decision = form?.get('decision');
      const comment = form?.get('comment')?.trim() ?? '';
      if (decision !== 'approved' && decision !== 'rejected') {
        return sendPage(reply, badFormPage('Choose Approve or Reject.'));
      }
      if (comment.length > 2_000) {
        return sendPage(reply, badFormPage('The comment is longer than 2,000 characters.'));
      }
      try {
        const result = await signOffs.decide(
          opened,
          { decision, ...(comment === '' ? {} : { comment }) },
          request.id,
        );
        if (!result.ok) {
          return refuse(request, reply, result.refusal);
        }
        app.log.info(
          {
            linkId: opened.link.linkId,
            journeyId: opened.link.journeyId,
            criterion: opened.link.criterionId,
            approverId: result.approverId,
            decision,
            reqId: request.id,
          },
          'sign-off recorded',
        );
      } catch (error) {
        if (isDomainError(error)) {
          request.log.warn(
            { linkId: opened.link.linkId, code: error.code },
            'sign-off refused by the journey',
          );
          return sendPage(reply, failurePage(ERROR_CATALOG[error.code].status, error.message));
        }
        throw error;
      }
      return sendPage(
        reply,
        recordedPage({ link: opened.link, description: opened.criterion.description, decision }),
      );
    },
  );
  done();
};

function sendPage(reply: FastifyReply, page: SignOffPage): FastifyReply {
  return reply
    .code(page.status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', SIGN_OFF_CSP)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .send(page.html);
}
