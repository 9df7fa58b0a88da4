import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { PlaybookMissingError } from '../../application/playbook-catalog.js';
import type { JourneyFilter, JourneyRecord, Page } from '../../application/ports.js';
import { eventView, readJourneyEvents } from '../../application/queries/journey-events.js';
import { journeySummary } from '../../application/queries/journey-view.js';
import { requesterOf } from '../auth.js';
import { HttpProblem } from '../problem.js';
import { problemResponses } from '../schemas/problem.js';
import { ClientIdParams, JourneyListQuery, StartJourneyBody } from '../schemas/requests.js';
import {
  EventListSchema,
  ExitCriteriaSchema,
  JourneyPageSchema,
  JourneySchema,
} from '../schemas/views.js';
import { BEARER, needs, type RouteContext } from './context.js';
import { findJourneyRecord, viewOfJourney } from './journey-lookup.js';

const tags = ['journeys'];

/** Journeys: start one, list them, read one with its events, evaluate its exit criteria now. */
export const journeyRoutes: FastifyPluginCallbackZod<RouteContext> = (app, context, done) => {
  const { orchestrator, store } = context;

  app.post(
    '/v1/journeys',
    {
      config: needs('admin'),
      schema: {
        tags,
        summary: "Start a client's journey (admin)",
        security: BEARER,
        body: StartJourneyBody,
        response: { 201: JourneySchema, ...problemResponses(400, 401, 403, 409, 415, 422) },
      },
    },
    async (request, reply) => {
      const { clientId, playbook } = request.body;
      const started = await orchestrator
        .startJourney(
          { clientId, ...(playbook === undefined ? {} : { playbook }) },
          requesterOf(request),
        )
        .catch((error: unknown) => {
          throw error instanceof PlaybookMissingError
            ? new HttpProblem(
                'PLAYBOOK_NOT_FOUND',
                `No playbook named "${error.playbookName}" is loaded.`,
              )
            : error;
        });
      const view = await viewOfJourney(store, started.journeyId);
      return reply
        .code(201)
        .header('location', `/v1/journeys/${encodeURIComponent(clientId)}`)
        .send(view);
    },
  );

  app.get(
    '/v1/journeys',
    {
      config: needs('viewer'),
      schema: {
        tags,
        summary: 'List journeys, newest first',
        security: BEARER,
        querystring: JourneyListQuery,
        response: { 200: JourneyPageSchema, ...problemResponses(400, 401) },
      },
    },
    async (request) => {
      const { stage, status, active, clientId, limit, cursor } = request.query;
      const filter: JourneyFilter = {
        ...(stage === undefined ? {} : { stage }),
        ...(status === undefined ? {} : { status }),
        ...(active === undefined ? {} : { active: active === 'true' }),
        ...(clientId === undefined ? {} : { clientId }),
        limit: limit === undefined ? 50 : Number(limit),
        cursor: cursor ?? null,
      };
      const page = await listWithCursor(store, filter);
      return { items: page.items.map(journeySummary), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/journeys/:clientId',
    {
      config: needs('viewer'),
      schema: {
        tags,
        summary: "The client's active (else latest) journey",
        security: BEARER,
        params: ClientIdParams,
        response: { 200: JourneySchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const record = await findJourneyRecord(store, request.params.clientId);
      return viewOfJourney(store, record.journeyId, record);
    },
  );

  app.get(
    '/v1/journeys/:clientId/events',
    {
      config: needs('viewer'),
      schema: {
        tags,
        summary: "The journey's events and its units' events, oldest first",
        security: BEARER,
        params: ClientIdParams,
        response: { 200: EventListSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const record = await findJourneyRecord(store, request.params.clientId);
      const events = await readJourneyEvents(store, record.journeyId);
      return {
        journeyId: record.journeyId,
        clientId: record.clientId,
        items: events.map(eventView),
      };
    },
  );

  app.get(
    '/v1/journeys/:clientId/exit-criteria',
    {
      config: needs('viewer'),
      schema: {
        tags,
        summary: "Evaluate the current stage's exit criteria now (records nothing)",
        security: BEARER,
        params: ClientIdParams,
        response: { 200: ExitCriteriaSchema, ...problemResponses(400, 401, 404, 409) },
      },
    },
    async (request) => {
      const { stage, evaluation } = await orchestrator.validateExitCriteria(
        request.params.clientId,
      );
      return {
        stage,
        evaluatedAt: evaluation.evaluatedAt,
        allPassed: evaluation.allPassed,
        results: evaluation.results,
      };
    },
  );
  done();
};

/**
 * Lists a page. A forged cursor the store decodes but its database cannot use (PostgreSQL
 * refusing a timestamp) would be a 500: when the same filter without the cursor works, the
 * cursor is at fault and the answer is 400 CURSOR_INVALID.
 */
async function listWithCursor(
  store: RouteContext['store'],
  filter: JourneyFilter,
): Promise<Page<JourneyRecord>> {
  try {
    return await store.listJourneys(filter);
  } catch (error) {
    if (filter.cursor == null || (error instanceof Error && error.name === 'CursorError')) {
      throw error;
    }
    await store.listJourneys({ ...filter, cursor: null, limit: 1 });
    throw new HttpProblem('CURSOR_INVALID', 'The cursor is not one this API returned.');
  }
}
