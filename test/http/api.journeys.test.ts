import { describe, expect, it } from 'vitest';
import {
  EventListSchema,
  ExitCriteriaSchema,
  JourneyPageSchema,
  JourneySchema,
} from '../../src/http/schemas/views.js';
import { forEachBackend } from '../support/backends.js';
import { NAMES, useApi } from './api-harness.js';
import { expectProblem } from './expect-problem.js';

forEachBackend((backend) => {
  const api = useApi(backend);

  describe('POST /v1/journeys', () => {
    it('starts a journey: 201 with the journey, its location, and the caller in the events', async () => {
      const response = await api.request('POST', '/v1/journeys', { body: { clientId: 'acme' } });
      expect(response.status).toBe(201);
      expect(response.headers.get('location')).toBe('/v1/journeys/acme');
      const journey = JourneySchema.parse(response.body);
      expect(journey).toMatchObject({
        clientId: 'acme',
        currentStage: 'sandbox',
        status: 'setting_up',
        active: true,
        stageHistory: [],
        playbook: { name: 'default' },
      });
      expect(journey.version).toBe(1);
      expect(journey.currentUnitOfWork).toBeNull();
      const events = await api.store.readStream(journey.journeyId);
      expect(events[0]?.metadata.causedBy).toBe(NAMES.admin);
      expect(events[0]?.event).toMatchObject({ type: 'JourneyStarted', startedBy: NAMES.admin });
    });

    it('answers 409 JOURNEY_ACTIVE when the client already has an active journey', async () => {
      const response = await api.request('POST', '/v1/journeys', { body: { clientId: 'acme' } });
      expectProblem(response, 409, 'JOURNEY_ACTIVE');
    });

    it('answers 422 PLAYBOOK_NOT_FOUND for a playbook that is not loaded', async () => {
      const response = await api.request('POST', '/v1/journeys', {
        body: { clientId: 'other', playbook: 'nope' },
      });
      expectProblem(response, 422, 'PLAYBOOK_NOT_FOUND');
      expect(await api.store.findJourneyByClientId('other')).toBeNull();
    });

    it('answers 400 VALIDATION_FAILED naming the field for a clientId that is not a slug', async () => {
      const response = await api.request('POST', '/v1/journeys', {
        body: { clientId: 'not a slug!' },
      });
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(response.json.errors).toEqual([
        expect.objectContaining({ in: 'body', path: '/clientId' }),
      ]);
    });
  });

  describe('GET /v1/journeys/{clientId}', () => {
    it('shows the journey with its current unit of work, tasks and exit-criteria results', async () => {
      await api.settle();
      const response = await api.request('GET', '/v1/journeys/acme', { as: 'viewer' });
      expect(response.status).toBe(200);
      const journey = JourneySchema.parse(response.body);
      expect(journey.status).toBe('blocked');
      expect(journey.statusDetail).toMatchObject({ kind: 'blocked', stage: 'sandbox' });
      const unit = journey.currentUnitOfWork;
      expect(unit?.workId).toBe(journey.currentWorkId);
      expect(unit).toMatchObject({ status: 'completed', purpose: 'setup', stage: 'sandbox' });
      const tenant = unit?.tasks.find((task) => task.taskId === 'create_tenant');
      expect(tenant).toMatchObject({
        status: 'succeeded',
        attemptCount: 1,
        output: { tenantId: 'acme-sandbox' },
      });
      expect(tenant?.attempts).toEqual([
        expect.objectContaining({
          attempt: 1,
          status: 'succeeded',
          output: { tenantId: 'acme-sandbox' },
        }),
      ]);
      expect(journey.exitCriteria?.stage).toBe('sandbox');
      expect(journey.exitCriteria?.results.map((r) => r.criterionId)).toContain('demo_approved');
      expect(journey.version).toBeGreaterThan(1);
    });

    it('answers 404 JOURNEY_NOT_STARTED for a client without a journey', async () => {
      const response = await api.request('GET', '/v1/journeys/nobody', { as: 'viewer' });
      expectProblem(response, 404, 'JOURNEY_NOT_STARTED');
    });

    it('answers 400 for a clientId that is not a slug', async () => {
      const response = await api.request('GET', `/v1/journeys/${'x'.repeat(129)}`, {
        as: 'viewer',
      });
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(response.json.errors).toEqual([
        expect.objectContaining({ in: 'params', path: '/clientId' }),
      ]);
    });
  });

  describe('GET /v1/journeys', () => {
    it('lists newest first, filters, and pages with nextCursor', async () => {
      for (const clientId of ['page-1', 'page-2', 'page-3']) {
        api.clock.advance(1_000);
        const started = await api.request('POST', '/v1/journeys', { body: { clientId } });
        expect(started.status).toBe(201);
      }
      const first = await api.request('GET', '/v1/journeys?limit=2', { as: 'viewer' });
      expect(first.status).toBe(200);
      const page = JourneyPageSchema.parse(first.body);
      expect(page.items.map((j) => j.clientId)).toEqual(['page-3', 'page-2']);
      expect(page.nextCursor).not.toBeNull();
      const second = JourneyPageSchema.parse(
        (
          await api.request('GET', `/v1/journeys?limit=2&cursor=${page.nextCursor ?? ''}`, {
            as: 'viewer',
          })
        ).body,
      );
      expect(second.items.map((j) => j.clientId)).toEqual(['page-1', 'acme']);
      expect(second.nextCursor).toBeNull();

      const filtered = JourneyPageSchema.parse(
        (
          await api.request('GET', '/v1/journeys?stage=sandbox&status=blocked&active=true', {
            as: 'viewer',
          })
        ).body,
      );
      expect(filtered.items.map((j) => j.clientId)).toEqual(['acme']);
      const byClient = JourneyPageSchema.parse(
        (await api.request('GET', '/v1/journeys?clientId=page-2', { as: 'viewer' })).body,
      );
      expect(byClient.items.map((j) => j.clientId)).toEqual(['page-2']);
    });

    it('answers 400 for a bad filter or a cursor it did not return', async () => {
      expectProblem(
        await api.request('GET', '/v1/journeys?stage=moon', { as: 'viewer' }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await api.request('GET', '/v1/journeys?limit=501', { as: 'viewer' }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await api.request('GET', '/v1/journeys?cursor=bm90LWEtY3Vyc29y', { as: 'viewer' }),
        400,
        'CURSOR_INVALID',
      );
      expectProblem(
        await api.request('GET', '/v1/journeys?unknown=1', { as: 'viewer' }),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('GET /v1/journeys/{clientId}/events', () => {
    it("returns the journey's and its units' events, oldest first", async () => {
      const response = await api.request('GET', '/v1/journeys/acme/events', { as: 'viewer' });
      expect(response.status).toBe(200);
      const { items, clientId } = EventListSchema.parse(response.body);
      expect(clientId).toBe('acme');
      const types = items.map((e) => e.type);
      expect(types[0]).toBe('JourneyStarted');
      expect(types).toContain('UnitOfWorkCreated');
      expect(types).toContain('TaskExecutionCompleted');
      expect(types.indexOf('UnitOfWorkCompleted')).toBeLessThan(
        types.indexOf('StageSetupCompleted'),
      );
      expect(items[0]?.data).toMatchObject({ type: 'JourneyStarted', clientId: 'acme' });
      const journeyVersions = items.filter((e) => e.streamType === 'journey').map((e) => e.version);
      expect(journeyVersions).toEqual([...journeyVersions].sort((a, b) => a - b));
    });

    it('answers 404 for a client without a journey', async () => {
      const response = await api.request('GET', '/v1/journeys/nobody/events', { as: 'viewer' });
      expectProblem(response, 404, 'JOURNEY_NOT_STARTED');
    });
  });

  describe('GET /v1/journeys/{clientId}/exit-criteria', () => {
    it('evaluates now and records nothing', async () => {
      const journey = await api.store.findJourneyByClientId('acme');
      const before = await api.store.readStream(journey?.journeyId ?? '');
      const response = await api.request('GET', '/v1/journeys/acme/exit-criteria', {
        as: 'viewer',
      });
      expect(response.status).toBe(200);
      const evaluation = ExitCriteriaSchema.parse(response.body);
      expect(evaluation.stage).toBe('sandbox');
      expect(evaluation.allPassed).toBe(false);
      const approval = evaluation.results.find((r) => r.criterionId === 'demo_approved');
      expect(approval?.outcome).not.toBe('passed');
      expect(evaluation.results.find((r) => r.criterionId === 'search_quality')).toMatchObject({
        outcome: 'passed',
        observed: 92,
      });
      expect(evaluation.results.find((r) => r.criterionId === 'search_quality')?.comparator).toBe(
        'gt',
      );
      const after = await api.store.readStream(journey?.journeyId ?? '');
      expect(after).toHaveLength(before.length);
    });

    it('answers 404 without a journey and 409 once the journey has ended', async () => {
      expectProblem(
        await api.request('GET', '/v1/journeys/nobody/exit-criteria', { as: 'viewer' }),
        404,
        'JOURNEY_NOT_STARTED',
      );
      await api.request('POST', '/v1/journeys/page-1/cancel', {
        as: 'operator',
        body: { reason: 'not needed' },
      });
      expectProblem(
        await api.request('GET', '/v1/journeys/page-1/exit-criteria', { as: 'viewer' }),
        409,
        'JOURNEY_TERMINAL',
      );
    });
  });
});
