import { expect, it, vi } from 'vitest';
import { readJourneyEvents } from '../../src/application/queries/journey-events.js';
import { SuccessMetricsSchema } from '../../src/http/schemas/views.js';
import { forEachBackend } from '../support/backends.js';
import { useApi } from './api-harness.js';

const HOUR = 60 * 60_000;

forEachBackend((backend) => {
  const api = useApi(backend);

  it('GET /v1/reports/success-metrics: time to production, rollback rate, pass rate, by stage', async () => {
    const empty = SuccessMetricsSchema.parse(
      (await api.request('GET', '/v1/reports/success-metrics', { as: 'viewer' })).body,
    );
    expect(empty.journeys.total).toBe(0);
    expect(empty.timeToProduction).toEqual({ count: 0, medianMs: null, p90Ms: null });
    expect(empty.rollbacks.rate).toBeNull();
    expect(empty.exitCriteria.passRate).toBeNull();

    // One journey reaches production an hour after it started, and completes.
    await api.request('POST', '/v1/journeys', { body: { clientId: 'fast' } });
    await api.settle();
    api.clock.advance(HOUR);
    await api.request('POST', '/v1/journeys/fast/approvals', {
      body: { criterion: 'demo_approved' },
    });
    await api.settle();

    // Another waits in pilot (its users are unhappy), three hours in, and is rolled back.
    api.agents.setMetric('measure_user_satisfaction', 2.5);
    await api.request('POST', '/v1/journeys', { body: { clientId: 'slow' } });
    await api.settle();
    api.clock.advance(3 * HOUR);
    await api.request('POST', '/v1/journeys/slow/approvals', {
      body: { criterion: 'demo_approved' },
    });
    await api.settle();
    const rollback = await api.request('POST', '/v1/journeys/slow/rollback', {
      as: 'operator',
      body: { reason: 'users unhappy' },
    });
    expect(rollback.status).toBe(202);
    await api.settle();

    // The journeys' own streams say how many evaluations were recorded. The report follows the
    // global log, which on PostgreSQL may hold back the newest commits for a moment (while any
    // transaction in the cluster is open), so it is asked until it has caught up.
    const evaluations = (
      await Promise.all(
        ['fast', 'slow'].map(async (clientId) => {
          const record = await api.store.findJourneyByClientId(clientId);
          return readJourneyEvents(api.store, record?.journeyId ?? '');
        }),
      )
    )
      .flat()
      .flatMap((e) => (e.event.type === 'ExitCriteriaEvaluated' ? [e.event] : []));
    const passed = evaluations.filter((e) => e.evaluation.allPassed).length;
    const report = await vi.waitFor(async () => {
      const response = await api.request('GET', '/v1/reports/success-metrics', { as: 'viewer' });
      expect(response.status).toBe(200);
      const parsed = SuccessMetricsSchema.parse(response.body);
      expect(parsed.exitCriteria.evaluations).toBe(evaluations.length);
      return parsed;
    });
    expect(report.generatedAt).toBe(api.clock.now());
    expect(report.journeys).toMatchObject({ total: 2, active: 1 });
    expect(report.journeys.byStage).toEqual({
      sandbox: 1,
      pilot: 0,
      production: 0,
      rollback: 0,
      completed: 1,
      cancelled: 0,
    });
    expect(report.timeToProduction).toEqual({ count: 1, medianMs: HOUR, p90Ms: HOUR });
    expect(report.timeToCompletion.count).toBe(1);
    // Promotions: fast sandbox->pilot->production, slow sandbox->pilot; one rolled back.
    expect(report.rollbacks).toEqual({
      count: 1,
      promotions: 3,
      rate: 1 / 3,
      journeysRolledBack: 1,
      journeyRate: 1 / 2,
    });

    expect(report.exitCriteria.passed).toBe(passed);
    expect(report.exitCriteria.passRate).toBeCloseTo(passed / evaluations.length);
    const satisfaction = report.exitCriteria.byCriterion.find(
      (c) => c.criterionId === 'user_satisfaction',
    );
    expect(satisfaction?.failed).toBeGreaterThan(0);

    // Asked again, it reads only what is new: the counts stay put.
    const again = SuccessMetricsSchema.parse(
      (await api.request('GET', '/v1/reports/success-metrics', { as: 'viewer' })).body,
    );
    expect(again.exitCriteria).toEqual(report.exitCriteria);
  });
});
