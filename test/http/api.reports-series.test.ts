import { expect, it, vi } from 'vitest';
import { SuccessMetricsSeriesSchema } from '../../src/http/schemas/success-metrics-series.js';
import { SuccessMetricsSchema } from '../../src/http/schemas/views.js';
import { forEachBackend } from '../support/backends.js';
import { useApi } from './api-harness.js';
import { expectProblem } from './expect-problem.js';

const HOUR = 60 * 60_000;

forEachBackend((backend) => {
  const api = useApi(backend);

  it('GET /v1/reports/success-metrics/series: the report over time, in equal buckets up to now', async () => {
    const startedAt = api.clock.now();
    // One journey reaches production an hour in and completes; another is rolled back from pilot.
    await api.request('POST', '/v1/journeys', { body: { clientId: 'fast' } });
    await api.settle();
    api.clock.advance(HOUR);
    await api.request('POST', '/v1/journeys/fast/approvals', {
      body: { criterion: 'demo_approved' },
    });
    await api.settle();
    api.agents.setMetric('measure_user_satisfaction', 2.5);
    await api.request('POST', '/v1/journeys', { body: { clientId: 'slow' } });
    await api.settle();
    api.clock.advance(3 * HOUR);
    await api.request('POST', '/v1/journeys/slow/approvals', {
      body: { criterion: 'demo_approved' },
    });
    await api.settle();
    await api.request('POST', '/v1/journeys/slow/rollback', {
      as: 'operator',
      body: { reason: 'users unhappy' },
    });
    await api.settle();

    // Both follow the global log, which may hold back the newest commits for a moment on
    // PostgreSQL: ask until the two agree on the evaluations counted.
    const { report, series } = await vi.waitFor(async () => {
      const report = SuccessMetricsSchema.parse(
        (await api.request('GET', '/v1/reports/success-metrics', { as: 'viewer' })).body,
      );
      const response = await api.request('GET', '/v1/reports/success-metrics/series?points=4', {
        as: 'viewer',
      });
      expect(response.status).toBe(200);
      const series = SuccessMetricsSeriesSchema.parse(response.body);
      const counted = series.buckets.reduce((sum, bucket) => sum + bucket.evaluations, 0);
      expect(counted).toBe(report.exitCriteria.evaluations);
      return { report, series };
    });

    expect(series.from).toBe(startedAt);
    expect(series.to).toBe(api.clock.now());
    expect(series.bucketMs).toBe(HOUR);
    expect(series.buckets.map((b) => b.start)).toEqual(
      [0, 1, 2, 3].map((i) => new Date(Date.parse(startedAt) + i * HOUR).toISOString()),
    );
    const total = (field: 'journeysStarted' | 'promotions' | 'rollbacks' | 'reachedProduction') =>
      series.buckets.reduce((sum, bucket) => sum + bucket[field], 0);
    expect(total('journeysStarted')).toBe(2);
    expect(total('promotions')).toBe(report.rollbacks.promotions);
    expect(total('rollbacks')).toBe(1);
    expect(total('reachedProduction')).toBe(1);
    // The first hour saw only fast's start: nothing reached production, nothing rolled back.
    expect(series.buckets[0]?.cumulative).toMatchObject({
      timeToProductionMedianMs: null,
      rollbackRate: null,
    });
    // At the end, the cumulative numbers are the report's.
    expect(series.buckets.at(-1)?.cumulative).toEqual({
      timeToProductionMedianMs: report.timeToProduction.medianMs,
      rollbackRate: report.rollbacks.rate,
      passRate: report.exitCriteria.passRate,
    });
  });

  it('GET /v1/reports/success-metrics/series?since starts the span there', async () => {
    const since = new Date(Date.parse(api.clock.now()) - 10 * HOUR).toISOString();
    const response = await api.request(
      'GET',
      `/v1/reports/success-metrics/series?points=10&since=${since}`,
      { as: 'viewer' },
    );
    const series = SuccessMetricsSeriesSchema.parse(response.body);
    expect(series.from).toBe(since);
    expect(series.buckets).toHaveLength(10);
    expect(series.bucketMs).toBe(HOUR);
  });

  it('GET /v1/reports/success-metrics/series refuses bad queries with the field named', async () => {
    for (const query of ['points=1', 'points=121', 'points=ten', 'since=yesterday', 'bucket=day']) {
      const problem = expectProblem(
        await api.request('GET', `/v1/reports/success-metrics/series?${query}`, { as: 'viewer' }),
        400,
        'VALIDATION_FAILED',
      );
      expect(JSON.stringify(problem.errors)).toContain(query.split('=')[0]);
    }
    expectProblem(
      await api.request('GET', '/v1/reports/success-metrics/series', { as: 'none' }),
      401,
      'UNAUTHORIZED',
    );
  });
});
