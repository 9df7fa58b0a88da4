import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../application/ports.js';
import { evidenceMarkdown } from '../../application/queries/evidence-markdown.js';
import { journeyEvidence } from '../../application/queries/evidence.js';
import { domainError } from '../../domain/index.js';
import { EvidenceQuery, EvidenceSchema } from '../schemas/evidence.js';
import { problemResponses } from '../schemas/problem.js';
import { ClientIdParams } from '../schemas/requests.js';
import { BEARER, needs, type ApiStore } from './context.js';
import { findJourneyRecord } from './journey-lookup.js';

/** GET /v1/journeys/{clientId}/evidence: every gate evaluation and decision, JSON or Markdown. */
export const evidenceRoutes: FastifyPluginCallbackZod<{
  readonly store: ApiStore;
  readonly clock: Clock;
}> = (app, { store, clock }, done) => {
  app.get(
    '/v1/journeys/:clientId/evidence',
    {
      config: needs('viewer'),
      schema: {
        tags: ['journeys'],
        summary: "The journey's evidence: every gate evaluation and decision, by stage visit",
        description:
          '`?format=markdown` answers a report a client could be shown (text/markdown), with a heading per stage visit.',
        security: BEARER,
        params: ClientIdParams,
        querystring: EvidenceQuery,
        response: {
          200: {
            description: 'The evidence',
            content: {
              'application/json': { schema: EvidenceSchema },
              'text/markdown': { schema: z.string().describe('The report (Markdown)') },
            },
          },
          ...problemResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const record = await findJourneyRecord(store, request.params.clientId);
      const evidence = journeyEvidence(await store.readStream(record.journeyId), clock.now());
      if (evidence === null) {
        throw domainError('JOURNEY_NOT_STARTED', `Journey ${record.journeyId} has no history.`, {
          journeyId: record.journeyId,
        });
      }
      if (request.query.format === 'markdown') {
        const file = `evidence-${record.clientId}.md`;
        return reply
          .type('text/markdown; charset=utf-8')
          .header('content-disposition', `inline; filename="${file}"`)
          .send(evidenceMarkdown(evidence));
      }
      return evidence;
    },
  );
  done();
};
