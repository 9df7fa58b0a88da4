import { afterEach, describe, expect, it } from 'vitest';
import type { ObservationRequest } from '../../src/application/metric-sources.js';
import { PrometheusMetricReader } from '../../src/sources/index.js';
import { StepClock } from '../support/clock.js';
import { closedPort, serve, type LocalServer } from './local-server.js';

const T0 = '2026-03-01T12:00:00.000Z';
const clock = new StepClock(T0);
const QUERY = 'sum(rate(search_requests_total{client="acme"}[5m]))';
const servers: LocalServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/**
 * A Prometheus-compatible endpoint: answers `/api/v1/query` for QUERY with `answer`, and a
 * bad_data error (as Prometheus does) for any other path or query.
 */
async function prometheus(answer: unknown, status = 200): Promise<LocalServer> {
  const server = await serve((incoming, response) => {
    const url = new URL(incoming.url ?? '/', 'http://localhost');
    const known = url.pathname.endsWith('/api/v1/query') && url.searchParams.get('query') === QUERY;
    response.writeHead(known ? status : 400, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify(
        known
          ? answer
          : { status: 'error', errorType: 'bad_data', error: `unexpected ${incoming.url}` },
      ),
    );
  });
  servers.push(server);
  return server;
}

function request(url?: string, query = QUERY, timeout = 2_000): ObservationRequest {
  return {
    source: { type: 'prometheus', query, ...(url === undefined ? {} : { url }) },
    context: { journeyId: 'j-1', clientId: 'acme', stage: 'pilot', criterionId: 'latency' },
    timeout,
  };
}

const vector = (...values: string[]) => ({
  status: 'success',
  data: {
    resultType: 'vector',
    result: values.map((value, index) => ({
      metric: { __name__: 'up', job: `job-${index}` },
      value: [1772366400, value],
    })),
  },
});

async function observe(answer: unknown, status = 200) {
  const server = await prometheus(answer, status);
  const reader = new PrometheusMetricReader({ clock, baseUrl: server.url });
  return reader.observe(request(), new AbortController().signal);
}

describe('prometheus source', () => {
  it('reads the one sample of an instant vector, sending the query', async () => {
    const server = await prometheus(vector('0.93'));
    const reader = new PrometheusMetricReader({ clock, baseUrl: server.url });
    const observation = await reader.observe(request(), new AbortController().signal);
    expect(observation).toEqual({ value: 0.93, observedAt: T0 });
    const sent = new URL(server.requests[0]?.url ?? '', server.url);
    expect(sent.pathname).toBe('/api/v1/query');
    expect(sent.searchParams.get('query')).toBe(QUERY);
  });

  it('reports an empty vector as no data', async () => {
    expect(await observe(vector())).toEqual({ value: null, observedAt: T0 });
  });

  it('refuses several samples, naming how many and which', async () => {
    const observation = await observe(vector('1', '2', '3', '4'));
    expect(observation.value).toBeUndefined();
    expect(observation.error).toContain(
      'the query returned 4 samples (up{job="job-0"}, up{job="job-1"}, up{job="job-2"}, …); it must return exactly one',
    );
  });

  it('reads a scalar', async () => {
    const answer = { status: 'success', data: { resultType: 'scalar', result: [1, '42'] } };
    expect(await observe(answer)).toEqual({ value: 42, observedAt: T0 });
  });

  it('reports status error with Prometheus’s own reason', async () => {
    const answer = { status: 'error', errorType: 'execution', error: 'query timed out in expr' };
    const observation = await observe(answer, 422);
    expect(observation.error).toMatch(
      /^Prometheus query `sum\(rate\(.*\)\)` at http:\/\/127\.0\.0\.1:\d+: Prometheus answered execution: query timed out in expr \(HTTP 422 Unprocessable Entity\)$/,
    );
  });

  it.each(['NaN', '+Inf', '-Inf'])('refuses a %s sample', async (sample) => {
    const observation = await observe(vector(sample));
    expect(observation.value).toBeUndefined();
    expect(observation.error).toContain(`the sample value is "${sample}", not a finite number`);
  });

  it('refuses a range vector (matrix)', async () => {
    const observation = await observe({
      status: 'success',
      data: { resultType: 'matrix', result: [] },
    });
    expect(observation.error).toContain('the result is a matrix');
  });

  it('refuses a reply that is not the Prometheus API', async () => {
    expect((await observe({ value: 3 })).error).toContain('not a Prometheus query response');
  });

  it('uses the source’s url before the default, keeping a path prefix', async () => {
    const server = await prometheus(vector('7'));
    const reader = new PrometheusMetricReader({ clock, baseUrl: await closedPort() });
    const observation = await reader.observe(
      request(`${server.url}/prom/`),
      new AbortController().signal,
    );
    expect(observation.value).toBe(7);
    expect(server.requests[0]?.url).toMatch(/^\/prom\/api\/v1\/query\?query=/);
  });

  it('reports a missing URL when neither the source nor the reader has one', async () => {
    const reader = new PrometheusMetricReader({ clock });
    expect(await reader.observe(request(), new AbortController().signal)).toEqual({
      observedAt: T0,
      error: `Prometheus query \`${QUERY}\`: no Prometheus URL (give the source a url or configure a default one)`,
    });
  });

  it('reports an unreachable server and a timeout', { timeout: 5_000 }, async () => {
    const reader = new PrometheusMetricReader({ clock, baseUrl: await closedPort() });
    const refused = await reader.observe(request(), new AbortController().signal);
    expect(refused.error).toContain('ECONNREFUSED');
    const hanging = await serve(() => undefined);
    servers.push(hanging);
    const slow = await reader.observe(
      request(hanging.url, QUERY, 30),
      new AbortController().signal,
    );
    expect(slow.error).toBe(
      `Prometheus query \`${QUERY}\` at ${hanging.url}: timed out after 30 ms`,
    );
  });

  it('reports an HTTP error without a Prometheus body', async () => {
    const server = await serve((_incoming, response) => {
      response.writeHead(502, { 'content-type': 'text/plain' });
      response.end('bad gateway');
    });
    servers.push(server);
    const reader = new PrometheusMetricReader({ clock, baseUrl: server.url });
    const observation = await reader.observe(request(), new AbortController().signal);
    expect(observation.error).toBe(
      `Prometheus query \`${QUERY}\` at ${server.url}: answered HTTP 502 Bad Gateway`,
    );
  });
});
