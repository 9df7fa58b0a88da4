import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import type { JourneyState } from '../../domain/index.js';
import { requesterOf } from '../auth.js';
import { problemResponses } from '../schemas/problem.js';
import {
  ApprovalBody,
  CancelBody,
  ClientIdParams,
  CriterionParams,
  InconclusiveDecisionBody,
  PauseBody,
  PromotionBody,
  ResumeBody,
  RevokeApprovalQuery,
  RollbackBody,
} from '../schemas/requests.js';
import { JourneySchema } from '../schemas/views.js';
import { BEARER, needs, type RouteContext } from './context.js';
import { viewOfJourney } from './journey-lookup.js';

const tags = ['journeys'];

/** What people do to a journey: promote, roll back, cancel, approve. Each answers the journey. */
export const journeyCommandRoutes: FastifyPluginCallbackZod<RouteContext> = (
  app,
  context,
  done,
) => {
  const { orchestrator, store } = context;
  const view = (state: JourneyState) =>
    viewOfJourney(store, state.status === 'started' ? state.journeyId : '');

  app.post(
    '/v1/journeys/:clientId/promotions',
    {
      config: needs('operator'),
      schema: {
        tags,
        summary: 'Validate the exit criteria, then promote (or complete, from production)',
        description:
          '422 EXIT_CRITERIA_NOT_MET lists the failing results under `results`; 409 when a promotion is not allowed now (a skip, setup not done, rolling back, ended; JOURNEY_PAUSED, PROMOTIONS_PAUSED, FREEZE_IN_FORCE, SOAK_TIME_NOT_ELAPSED: docs/controls.md). `overrideFreeze` needs the admin role (403 FREEZE_OVERRIDE_NOT_ALLOWED).',
        security: BEARER,
        params: ClientIdParams,
        body: PromotionBody,
        response: { 200: JourneySchema, ...problemResponses(400, 401, 403, 404, 409, 415, 422) },
      },
    },
    async (request) => {
      const body = request.body ?? {};
      // The use case refuses an override by anyone but an admin (FREEZE_OVERRIDE_NOT_ALLOWED).
      const result = await orchestrator.executeStageTransition(
        request.params.clientId,
        {
          ...(body.to === undefined ? {} : { to: body.to }),
          ...(body.reason === undefined ? {} : { reason: body.reason }),
          ...(body.overrideFreeze === undefined ? {} : { overrideFreeze: body.overrideFreeze }),
        },
        requesterOf(request),
      );
      return view(result.journey);
    },
  );

  app.post(
    '/v1/journeys/:clientId/pause',
    {
      config: needs('operator'),
      schema: {
        tags,
        summary: 'Pause the journey: nothing new starts for it until it is resumed',
        description:
          'No reaction, re-check, promotion or new task attempt runs while paused; attempts already running finish and are recorded; a rollback in progress goes on. 409 JOURNEY_ALREADY_PAUSED, JOURNEY_TERMINAL.',
        security: BEARER,
        params: ClientIdParams,
        body: PauseBody,
        response: { 200: JourneySchema, ...problemResponses(400, 401, 403, 404, 409, 415) },
      },
    },
    async (request) =>
      view(
        await orchestrator.pauseJourney(
          request.params.clientId,
          { reason: request.body.reason },
          requesterOf(request),
        ),
      ),
  );

  app.post(
    '/v1/journeys/:clientId/resume',
    {
      config: needs('operator'),
      schema: {
        tags,
        summary: 'Resume a paused journey: the work that waited runs now',
        description: '409 JOURNEY_NOT_PAUSED when it is not paused.',
        security: BEARER,
        params: ClientIdParams,
        body: ResumeBody,
        response: { 200: JourneySchema, ...problemResponses(400, 401, 403, 404, 409, 415) },
      },
    },
    async (request) => {
      const reason = request.body?.reason;
      return view(
        await orchestrator.resumeJourney(
          request.params.clientId,
          reason === undefined ? {} : { reason },
          requesterOf(request),
        ),
      );
    },
  );

  app.post(
    '/v1/journeys/:clientId/rollback',
    {
      config: needs('operator'),
      schema: {
        tags,
        summary: 'Roll back to the previous stage (accepted: the rollback unit runs next)',
        security: BEARER,
        params: ClientIdParams,
        body: RollbackBody,
        response: { 202: JourneySchema, ...problemResponses(400, 401, 403, 404, 409, 415) },
      },
    },
    async (request, reply) => {
      const { reason, to } = request.body;
      const state = await orchestrator.initiateRollback(
        request.params.clientId,
        { reason, ...(to === undefined ? {} : { to }) },
        requesterOf(request),
      );
      return reply.code(202).send(await view(state));
    },
  );

  app.post(
    '/v1/journeys/:clientId/cancel',
    {
      config: needs('operator'),
      schema: {
        tags,
        summary: 'Cancel the journey (its running unit of work is cancelled too)',
        security: BEARER,
        params: ClientIdParams,
        body: CancelBody,
        response: { 200: JourneySchema, ...problemResponses(400, 401, 403, 404, 409, 415) },
      },
    },
    async (request) => {
      const state = await orchestrator.cancelJourney(
        request.params.clientId,
        { reason: request.body.reason },
        requesterOf(request),
      );
      return view(state);
    },
  );

  app.post(
    '/v1/journeys/:clientId/approvals',
    {
      config: needs('operator'),
      schema: {
        tags,
        summary: 'Record the caller’s approval (or rejection) of an approval criterion',
        description:
          "The approver is the token's name and its role is the token's role; the criterion's policy in the playbook says which roles may decide (403 APPROVER_NOT_ALLOWED otherwise).",
        security: BEARER,
        params: ClientIdParams,
        body: ApprovalBody,
        response: { 201: JourneySchema, ...problemResponses(400, 401, 403, 404, 409, 415, 422) },
      },
    },
    async (request, reply) => {
      const { criterion, comment, decision, stage } = request.body;
      const requester = requesterOf(request);
      const state = await orchestrator.approve(
        request.params.clientId,
        {
          criterionId: criterion,
          role: request.principal?.role ?? 'viewer',
          ...(decision === undefined ? {} : { decision }),
          ...(comment === undefined ? {} : { comment }),
          ...(stage === undefined ? {} : { expectedStage: stage }),
        },
        requester,
      );
      return reply.code(201).send(await view(state));
    },
  );

  app.delete(
    '/v1/journeys/:clientId/approvals/:criterion',
    {
      config: needs('operator'),
      schema: {
        tags,
        summary: 'Withdraw the caller’s own approval or rejection of a criterion',
        description:
          'A withdrawn rejection no longer blocks the gate, which is judged again. Recorded as ApprovalRevoked (who, when, why).',
        security: BEARER,
        params: CriterionParams,
        querystring: RevokeApprovalQuery,
        response: { 200: JourneySchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { reason } = request.query;
      const state = await orchestrator.revokeApproval(
        request.params.clientId,
        { criterionId: request.params.criterion, ...(reason === undefined ? {} : { reason }) },
        requesterOf(request),
      );
      return view(state);
    },
  );

  app.post(
    '/v1/journeys/:clientId/exit-criteria/:criterion/decisions',
    {
      config: needs('operator'),
      schema: {
        tags,
        summary: 'Accept or reject an exit criterion that is inconclusive now',
        description:
          'accept counts the criterion as passed, reject as failed, for this stage visit while it stays inconclusive (a new definite result wins); the gate is evaluated again at once. 404 UNKNOWN_CRITERION; 409 CRITERION_NOT_INCONCLUSIVE, GATE_NOT_WAITING (rolling back, setup not done, not evaluated yet), JOURNEY_TERMINAL.',
        security: BEARER,
        params: CriterionParams,
        body: InconclusiveDecisionBody,
        response: { 201: JourneySchema, ...problemResponses(400, 401, 403, 404, 409, 415) },
      },
    },
    async (request, reply) => {
      const state = await orchestrator.resolveInconclusive(
        request.params.clientId,
        {
          criterionId: request.params.criterion,
          decision: request.body.decision,
          reason: request.body.reason,
        },
        requesterOf(request),
      );
      return reply.code(201).send(await view(state));
    },
  );
  done();
};
