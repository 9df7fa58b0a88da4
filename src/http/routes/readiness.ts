import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { PlaybookCatalog } from '../../application/playbook-catalog.js';
import type { Clock } from '../../application/ports.js';
import {
  DEFAULT_BLOCKER_SOURCES,
  type BlockerSource,
} from '../../application/queries/readiness-blockers.js';
import { readinessOf } from '../../application/queries/readiness.js';
import { isWorkingStage } from '../../domain/index.js';
import { ReadinessSchema } from '../schemas/evidence.js';
import { problemResponses } from '../schemas/problem.js';
import { ClientIdParams } from '../schemas/requests.js';
import { currentCriteria } from '../sign-off/playbook-lookup.js';
import { BEARER, needs, type ApiOrchestrator, type ApiStore } from './context.js';
import { findJourneyRecord } from './journey-lookup.js';

export interface ReadinessRouteContext {
  readonly orchestrator: ApiOrchestrator;
  readonly store: ApiStore;
  readonly clock: Clock;
  readonly playbooks: () => Promise<PlaybookCatalog>;
  /** Blocker sources asked after the built-in ones (DEFAULT_BLOCKER_SOURCES). */
  readonly blockerSources?: readonly BlockerSource[];
}

/** GET /v1/journeys/{clientId}/readiness: what blocks promotion right now (records nothing). */
export const readinessRoutes: FastifyPluginCallbackZod<ReadinessRouteContext> = (
  app,
  context,
  done,
) => {
  const { orchestrator, store, clock } = context;
  app.get(
    '/v1/journeys/:clientId/readiness',
    {
      config: needs('viewer'),
      schema: {
        tags: ['journeys'],
        summary:
          'What blocks promotion of the current stage right now (evaluates now, records nothing)',
        security: BEARER,
        params: ClientIdParams,
        response: { 200: ReadinessSchema, ...problemResponses(400, 401, 404, 409) },
      },
    },
    async (request) => {
      const { clientId } = request.params;
      const record = await findJourneyRecord(store, clientId);
      const journey = record.state;
      const criteria = currentCriteria(await context.playbooks(), journey);
      const evaluation = isWorkingStage(journey.stage)
        ? (await orchestrator.validateExitCriteria(clientId)).evaluation
        : null;
      return readinessOf({
        journey,
        criteria,
        evaluation,
        signOffLinks: await store.listSignOffLinks(record.journeyId),
        now: clock.now(),
        sources: [...DEFAULT_BLOCKER_SOURCES, ...(context.blockerSources ?? [])],
      });
    },
  );
  done();
};
