import { describe, expect, it } from 'vitest';
import { JourneySchema } from '../../src/http/schemas/views.js';
import { forEachBackend } from '../support/backends.js';
import { manualPlaybook, NAMES, useApi } from './api-harness.js';
import { expectProblem } from './expect-problem.js';

/** Promotions, rollback, cancel and approvals, on a playbook whose stages wait for people. */
forEachBackend((backend) => {
  const api = useApi(backend, { playbook: manualPlaybook });
  const journeyOf = async (clientId: string) =>
    JourneySchema.parse((await api.request('GET', `/v1/journeys/${clientId}`)).body);

  it('walks a journey through the API: 422, 403, 201, 409, 200, 202, 409, 200, 409', async () => {
    expect((await api.request('POST', '/v1/journeys', { body: { clientId: 'walk' } })).status).toBe(
      201,
    );
    await api.settle();

    // The demo is not approved yet: 422 with the failing results, and the evaluation is kept.
    const refused = await api.request('POST', '/v1/journeys/walk/promotions', {
      as: 'operator',
      body: { to: 'pilot' },
    });
    const problem = expectProblem(refused, 422, 'EXIT_CRITERIA_NOT_MET');
    expect((problem.results as { criterionId: string }[]).map((r) => r.criterionId)).toEqual([
      'demo_approved',
    ]);

    // A viewer may not decide anything (the route needs operator); an operator approves.
    expectProblem(
      await api.request('POST', '/v1/journeys/walk/approvals', {
        as: 'viewer',
        body: { criterion: 'demo_approved' },
      }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await api.request('POST', '/v1/journeys/walk/approvals', {
        body: { criterion: 'no_such_criterion' },
      }),
      404,
      'UNKNOWN_CRITERION',
    );
    const approved = await api.request('POST', '/v1/journeys/walk/approvals', {
      as: 'operator',
      body: { criterion: 'demo_approved', comment: 'great demo', stage: 'sandbox' },
    });
    expect(approved.status).toBe(201);
    expect(JourneySchema.parse(approved.body).approvals).toEqual([
      expect.objectContaining({
        criterionId: 'demo_approved',
        approverId: NAMES.operator,
        role: 'operator',
        decision: 'approved',
        comment: 'great demo',
      }),
    ]);
    await api.settle();
    expect((await journeyOf('walk')).status).toBe('ready_to_promote');

    // Skipping a stage is not allowed now: 409.
    expectProblem(
      await api.request('POST', '/v1/journeys/walk/promotions', {
        as: 'operator',
        body: { to: 'production' },
      }),
      409,
      'STAGE_SKIP',
    );
    const promoted = await api.request('POST', '/v1/journeys/walk/promotions', {
      as: 'operator',
      body: { reason: 'demo went well' },
    });
    expect(promoted.status).toBe(200);
    const pilot = JourneySchema.parse(promoted.body);
    expect(pilot.currentStage).toBe('pilot');
    expect(pilot.stageHistory).toEqual([
      expect.objectContaining({
        kind: 'promotion',
        fromStage: 'sandbox',
        toStage: 'pilot',
        reason: 'demo went well',
        by: NAMES.operator,
      }),
    ]);
    expect(pilot.stageHistory[0]?.exitCriteriaResults.length).toBeGreaterThan(0);
    // The pilot's setup has not run: promoting again is refused before any criterion is read.
    expectProblem(
      await api.request('POST', '/v1/journeys/walk/promotions', { as: 'operator' }),
      409,
      'SETUP_NOT_COMPLETED',
    );
    await api.settle();

    const rolledBack = await api.request('POST', '/v1/journeys/walk/rollback', {
      as: 'operator',
      body: { reason: 'pilot users unhappy' },
    });
    expect(rolledBack.status).toBe(202);
    expect(JourneySchema.parse(rolledBack.body)).toMatchObject({
      currentStage: 'rollback',
      status: 'rolling_back',
      rollback: { fromStage: 'pilot', toStage: 'sandbox', initiatedBy: NAMES.operator },
    });
    const initiated = (await api.store.readStream(pilot.journeyId)).find(
      (e) => e.type === 'RollbackInitiated',
    );
    expect(initiated?.event).toMatchObject({ initiatedBy: NAMES.operator });
    expect(initiated?.metadata.causedBy).toBe(NAMES.operator);
    await api.settle();
    expect((await journeyOf('walk')).currentStage).toBe('sandbox');
    expectProblem(
      await api.request('POST', '/v1/journeys/walk/rollback', {
        as: 'operator',
        body: { reason: 'again' },
      }),
      409,
      'ROLLBACK_NOT_ALLOWED',
    );

    const cancelled = await api.request('POST', '/v1/journeys/walk/cancel', {
      as: 'operator',
      body: { reason: 'client left' },
    });
    expect(cancelled.status).toBe(200);
    expect(JourneySchema.parse(cancelled.body)).toMatchObject({
      currentStage: 'cancelled',
      status: 'cancelled',
      active: false,
    });
    expectProblem(
      await api.request('POST', '/v1/journeys/walk/cancel', {
        as: 'operator',
        body: { reason: 'again' },
      }),
      409,
      'JOURNEY_TERMINAL',
    );
    expectProblem(
      await api.request('POST', '/v1/journeys/walk/promotions', { as: 'operator' }),
      409,
      'JOURNEY_TERMINAL',
    );
    expectProblem(
      await api.request('POST', '/v1/journeys/walk/approvals', {
        body: { criterion: 'demo_approved' },
      }),
      409,
      'JOURNEY_TERMINAL',
    );
  });

  describe('refusals without a journey', () => {
    for (const [path, body] of [
      ['promotions', {}],
      ['rollback', { reason: 'x' }],
      ['cancel', { reason: 'x' }],
      ['approvals', { criterion: 'demo_approved' }],
    ] as const) {
      it(`POST /v1/journeys/{clientId}/${path} answers 404`, async () => {
        expectProblem(
          await api.request('POST', `/v1/journeys/ghost/${path}`, { body }),
          404,
          'JOURNEY_NOT_STARTED',
        );
      });
    }
  });

  it('completes a journey from production with a promotion', async () => {
    expect((await api.request('POST', '/v1/journeys', { body: { clientId: 'done' } })).status).toBe(
      201,
    );
    await api.settle();
    await api.request('POST', '/v1/journeys/done/approvals', {
      body: { criterion: 'demo_approved' },
    });
    for (const stage of ['pilot', 'production', 'completed']) {
      await api.settle();
      const response = await api.request('POST', '/v1/journeys/done/promotions', {
        as: 'operator',
        body: { to: stage },
      });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(JourneySchema.parse(response.body).currentStage).toBe(stage);
    }
    const done = await journeyOf('done');
    expect(done).toMatchObject({ status: 'completed', active: false, currentUnitOfWork: null });
    expect(done.stageHistory.map((t) => t.kind)).toEqual(['promotion', 'promotion', 'completion']);
  });
});
