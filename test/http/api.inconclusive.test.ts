import { expect, it } from 'vitest';
import { MINUTE } from '../../src/domain/index.js';
import { JourneySchema } from '../../src/http/schemas/views.js';
import { forEachBackend } from '../support/backends.js';
import { NAMES, useApi } from './api-harness.js';
import { expectProblem } from './expect-problem.js';

/** Inconclusive gates decided by people, over HTTP (docs/controls.md). */
forEachBackend((backend) => {
  const api = useApi(backend);
  const decisions = (clientId: string, criterion = 'search_quality') =>
    `/v1/journeys/${clientId}/exit-criteria/${criterion}/decisions`;
  const journeyOf = async (clientId: string) =>
    JourneySchema.parse((await api.request('GET', `/v1/journeys/${clientId}`)).body);

  /** A sandbox journey whose search quality source errs: its gate waits on it. */
  const blocked = async (clientId: string) => {
    api.agents.failMetric('measure_search_quality');
    expect((await api.request('POST', '/v1/journeys', { body: { clientId } })).status).toBe(201);
    await api.settle();
    const approved = await api.request('POST', `/v1/journeys/${clientId}/approvals`, {
      as: 'operator',
      body: { criterion: 'demo_approved' },
    });
    expect(approved.status).toBe(201);
    await api.settle();
    const journey = await journeyOf(clientId);
    expect(journey.currentStage).toBe('sandbox');
    expect(journey.statusDetail).toMatchObject({
      kind: 'blocked',
      reasons: [{ kind: 'criterion', criterionId: 'search_quality', outcome: 'inconclusive' }],
    });
    expect(journey.statusDetail.kind === 'blocked' && journey.statusDetail.summary).toMatch(
      /search_quality inconclusive: source error.*accept or reject it/,
    );
  };

  it('an operator accepts an inconclusive criterion: 201, recorded, and the journey promotes', async () => {
    await blocked('inc-accept');
    const response = await api.request('POST', decisions('inc-accept'), {
      as: 'operator',
      body: { decision: 'accept', reason: 'quality service outage; 91% last week' },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const answered = JourneySchema.parse(response.body);
    expect(answered.currentStage).toBe('sandbox');
    await api.settle();
    const after = await journeyOf('inc-accept');
    expect(after.currentStage).toBe('pilot');
    const promotion = after.stageHistory.find((t) => t.kind === 'promotion');
    expect(promotion?.exitCriteriaResults).toContainEqual(
      expect.objectContaining({
        criterionId: 'search_quality',
        outcome: 'passed',
        resolution: expect.objectContaining({
          decision: 'accept',
          decidedBy: NAMES.operator,
          reason: 'quality service outage; 91% last week',
        }) as unknown,
      }),
    );
    const events = await api.request('GET', `/v1/journeys/inc-accept/events`, { as: 'viewer' });
    expect(events.status).toBe(200);
    expect(JSON.stringify(events.body)).toContain('InconclusiveResolved');
    api.agents.healMetric('measure_search_quality');
  });

  it('rejected, the journey stays in its stage with the criterion failed', async () => {
    await blocked('inc-reject');
    const response = await api.request('POST', decisions('inc-reject'), {
      as: 'operator',
      body: { decision: 'reject', reason: 'cannot promote blind' },
    });
    expect(response.status).toBe(201);
    await api.settle({ maxAdvance: 10 * MINUTE });
    const after = await journeyOf('inc-reject');
    expect(after.currentStage).toBe('sandbox');
    expect(after.statusDetail).toMatchObject({
      kind: 'blocked',
      reasons: [{ criterionId: 'search_quality', outcome: 'failed' }],
    });
    expect(after.exitCriteria?.results).toContainEqual(
      expect.objectContaining({
        criterionId: 'search_quality',
        outcome: 'failed',
        resolution: expect.objectContaining({ decision: 'reject' }) as unknown,
      }),
    );
    api.agents.healMetric('measure_search_quality');
  });

  it('refuses: 409 when not inconclusive or not waiting on the gate, 404 unknown criterion, 400 bad input, 403 viewer', async () => {
    await blocked('inc-refused');
    const body = { decision: 'accept', reason: 'because' };
    expectProblem(
      await api.request('POST', decisions('inc-refused', 'connectors_syncing'), {
        as: 'operator',
        body,
      }),
      409,
      'CRITERION_NOT_INCONCLUSIVE',
    );
    expectProblem(
      await api.request('POST', decisions('inc-refused', 'no_such_criterion'), {
        as: 'operator',
        body,
      }),
      404,
      'UNKNOWN_CRITERION',
    );
    expectProblem(
      await api.request('POST', decisions('inc-unknown-client'), { as: 'operator', body }),
      404,
    );
    for (const bad of [
      {},
      { decision: 'accept' },
      { decision: 'maybe', reason: 'x' },
      { decision: 'accept', reason: '   ' },
      { decision: 'accept', reason: 'x', extra: true },
    ]) {
      expectProblem(
        await api.request('POST', decisions('inc-refused'), { as: 'operator', body: bad }),
        400,
      );
    }
    expectProblem(
      await api.request('POST', decisions('inc-refused'), { as: 'viewer', body }),
      403,
      'FORBIDDEN',
    );
    // Setup still running: the journey is not waiting on its gate.
    api.agents.hang('install_connectors');
    expect(
      (await api.request('POST', '/v1/journeys', { body: { clientId: 'inc-setting-up' } })).status,
    ).toBe(201);
    await api.settle({ maxAdvance: 1_000 });
    expectProblem(
      await api.request('POST', decisions('inc-setting-up'), { as: 'operator', body }),
      409,
      'GATE_NOT_WAITING',
    );
    await api.request('POST', '/v1/journeys/inc-setting-up/cancel', {
      as: 'operator',
      body: { reason: 'test done' },
    });
    api.agents.heal('install_connectors');
    await api.settle();
    // An ended journey.
    await api.request('POST', '/v1/journeys/inc-refused/cancel', {
      as: 'operator',
      body: { reason: 'test done' },
    });
    expectProblem(
      await api.request('POST', decisions('inc-refused'), { as: 'operator', body }),
      409,
    );
    api.agents.healMetric('measure_search_quality');
  });
});
