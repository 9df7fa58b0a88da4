import { expect, it } from 'vitest';
import { JourneySchema, UnitOfWorkSchema } from '../../src/http/schemas/views.js';
import { forEachBackend } from '../support/backends.js';
import { manualPlaybook, useApi } from './api-harness.js';
import { expectProblem } from './expect-problem.js';

forEachBackend((backend) => {
  const api = useApi(backend, { playbook: manualPlaybook });
  const start = async (clientId: string) => {
    const response = await api.request('POST', '/v1/journeys', { body: { clientId } });
    expect(response.status).toBe(201);
    await api.settle();
    return JourneySchema.parse((await api.request('GET', `/v1/journeys/${clientId}`)).body);
  };

  it('GET /v1/units-of-work/{workId}: 200 with tasks, attempts and outputs; 404; 400', async () => {
    const journey = await start('read-unit');
    const response = await api.request('GET', `/v1/units-of-work/${journey.currentWorkId ?? ''}`, {
      as: 'viewer',
    });
    expect(response.status).toBe(200);
    const unit = UnitOfWorkSchema.parse(response.body);
    expect(unit).toMatchObject({
      workId: journey.currentWorkId,
      journeyId: journey.journeyId,
      clientId: 'read-unit',
      stage: 'sandbox',
      purpose: 'setup',
      status: 'completed',
    });
    expect(unit.tasks.map((t) => t.taskId)).toEqual([
      'create_tenant',
      'install_connectors',
      'provision_test_dataset',
      'capture_search_baseline',
    ]);
    const connectors = unit.tasks.find((t) => t.taskId === 'install_connectors');
    expect(connectors).toMatchObject({ dependsOn: ['create_tenant'], status: 'succeeded' });
    expect(connectors?.attempts[0]).toMatchObject({
      attempt: 1,
      status: 'succeeded',
      agentId: 'connectors',
      output: { tenantId: 'read-unit-sandbox', connectors: 3 },
    });

    expectProblem(
      await api.request('GET', '/v1/units-of-work/no-such-unit', { as: 'viewer' }),
      404,
      'UNIT_NOT_FOUND',
    );
    expectProblem(
      await api.request('GET', '/v1/units-of-work/-dash-first', { as: 'viewer' }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('retry: 202 for a failed unit (its failed tasks run again), 409 when it has ended, 404', async () => {
    api.agents.fail('install_connectors', Number.POSITIVE_INFINITY, false);
    const journey = await start('retry-unit');
    const workId = journey.currentWorkId ?? '';
    expect(journey.currentUnitOfWork?.status).toBe('failed');
    expect(journey.statusDetail).toMatchObject({ kind: 'blocked' });

    api.agents.heal('install_connectors');
    const retried = await api.request('POST', `/v1/units-of-work/${workId}/retry`, {
      as: 'operator',
    });
    expect(retried.status).toBe(202);
    expect(UnitOfWorkSchema.parse(retried.body).status).toBe('running');
    await api.settle();
    const unit = UnitOfWorkSchema.parse(
      (await api.request('GET', `/v1/units-of-work/${workId}`)).body,
    );
    expect(unit.status).toBe('completed');
    expect(
      unit.tasks.find((t) => t.taskId === 'install_connectors')?.attempts.map((a) => a.status),
    ).toEqual(['failed', 'succeeded']);

    expectProblem(
      await api.request('POST', `/v1/units-of-work/${workId}/retry`, { as: 'operator', body: {} }),
      409,
      'UNIT_TERMINAL',
    );
    expectProblem(
      await api.request('POST', '/v1/units-of-work/no-such-unit/retry', { as: 'operator' }),
      404,
      'UNIT_NOT_FOUND',
    );
  });

  it('cancel: 202, the agent is told, the journey records a failed setup; then 409', async () => {
    api.agents.hang('create_tenant');
    const journey = await start('cancel-unit');
    const workId = journey.currentWorkId ?? '';
    expect(journey.currentUnitOfWork?.tasks[0]?.status).toBe('running');

    const cancelled = await api.request('POST', `/v1/units-of-work/${workId}/cancel`, {
      as: 'operator',
      body: { reason: 'tenant service is down' },
    });
    expect(cancelled.status).toBe(202);
    const unit = UnitOfWorkSchema.parse(cancelled.body);
    expect(unit).toMatchObject({ status: 'cancelled', cancelReason: 'tenant service is down' });
    expect(unit.tasks[0]?.attempts).toEqual([
      expect.objectContaining({ attempt: 1, status: 'cancelled' }),
    ]);
    await api.settle();
    api.agents.heal('create_tenant');
    expect(api.agents.cancelled.map((call) => call.intent)).toEqual(['create_tenant']);
    const after = JourneySchema.parse((await api.request('GET', '/v1/journeys/cancel-unit')).body);
    expect(after.statusDetail).toMatchObject({
      kind: 'blocked',
      reasons: [{ kind: 'setup_failed', workId }],
    });

    expectProblem(
      await api.request('POST', `/v1/units-of-work/${workId}/cancel`, {
        as: 'operator',
        body: { reason: 'again' },
      }),
      409,
      'UNIT_TERMINAL',
    );
    expectProblem(
      await api.request('POST', `/v1/units-of-work/${workId}/retry`, { as: 'operator' }),
      409,
      'UNIT_TERMINAL',
    );
    expectProblem(
      await api.request('POST', '/v1/units-of-work/no-such-unit/cancel', {
        as: 'operator',
        body: { reason: 'x' },
      }),
      404,
      'UNIT_NOT_FOUND',
    );
  });

  it("cancelling a pilot's setup rolls the journey back to sandbox (rollbackOnFailure)", async () => {
    await start('pilot-cancel');
    await api.request('POST', '/v1/journeys/pilot-cancel/approvals', {
      body: { criterion: 'demo_approved' },
    });
    await api.settle();
    api.agents.hang('invite_pilot_users');
    const promoted = await api.request('POST', '/v1/journeys/pilot-cancel/promotions', {
      as: 'operator',
    });
    expect(promoted.status).toBe(200);
    await api.settle();
    const pilot = JourneySchema.parse((await api.request('GET', '/v1/journeys/pilot-cancel')).body);
    expect(pilot.status).toBe('setting_up');
    const cancelled = await api.request(
      'POST',
      `/v1/units-of-work/${pilot.currentWorkId ?? ''}/cancel`,
      { as: 'operator', body: { reason: 'pilot users not ready' } },
    );
    expect(cancelled.status).toBe(202);
    await api.settle();
    api.agents.heal('invite_pilot_users');
    const back = JourneySchema.parse((await api.request('GET', '/v1/journeys/pilot-cancel')).body);
    expect(back.currentStage).toBe('sandbox');
    expect(back.stageHistory.map((t) => `${t.kind}:${t.by}`)).toEqual([
      'promotion:otto',
      'rollback_started:system',
      'rollback_completed:system',
    ]);
  });
});
