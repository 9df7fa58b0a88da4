import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessAgentGateway } from '../../src/agents/in-process/index.js';
import type { ObservationRequest } from '../../src/application/metric-sources.js';
import type { MetricSource } from '../../src/domain/index.js';
import {
  AgentMetricReader,
  HttpMetricReader,
  MetricSourceRouter,
  PrometheusMetricReader,
} from '../../src/sources/index.js';
import { StepClock } from '../support/clock.js';
import { replyJson, serve, type LocalServer } from './local-server.js';

const T0 = '2026-03-01T12:00:00.000Z';
const clock = new StepClock(T0);
const context = { journeyId: 'j-1', clientId: 'acme', stage: 'pilot', criterionId: 'c' };
const servers: LocalServer[] = [];
const agents = new InProcessAgentGateway().register('count_bugs', () => ({ value: 0 }));

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const request = (source: MetricSource): ObservationRequest => ({ source, context, timeout: 2_000 });
const signal = () => new AbortController().signal;

describe('MetricSourceRouter', () => {
  it('hands each source to the reader of its type', async () => {
    const metrics = await serve(replyJson({ quality: 91 }));
    const prometheus = await serve(
      replyJson({ status: 'success', data: { resultType: 'scalar', result: [0, '0.25'] } }),
    );
    servers.push(metrics, prometheus);
    const router = new MetricSourceRouter({ clock, agents, prometheusUrl: prometheus.url });
    const observe = (source: MetricSource) => router.observe(request(source), signal());

    expect(await observe({ type: 'http', url: metrics.url, jsonPath: '$.quality' })).toEqual({
      value: 91,
      observedAt: T0,
    });
    expect(await observe({ type: 'prometheus', query: 'vector(0.25)' })).toEqual({
      value: 0.25,
      observedAt: T0,
    });
    expect(await observe({ type: 'agent', intent: 'count_bugs' })).toEqual({
      value: 0,
      observedAt: T0,
    });
  });

  it('reports a source type it has no reader for, instead of throwing', async () => {
    const router = new MetricSourceRouter({ clock, agents });
    const approval = { type: 'approval' } as unknown as MetricSource;
    expect(await router.observe(request(approval), signal())).toEqual({
      observedAt: T0,
      error: 'no reader for source type "approval"',
    });
  });

  it('uses the fetch it is given', async () => {
    const urls: string[] = [];
    const fetch: typeof globalThis.fetch = (input) => {
      urls.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      return Promise.resolve(Response.json({ v: false }));
    };
    const router = new MetricSourceRouter({ clock, agents, fetch });
    const observation = await router.observe(
      request({ type: 'http', url: 'http://metrics.invalid/q', jsonPath: '$.v' }),
      signal(),
    );
    expect(observation.value).toBe(false);
    expect(urls).toEqual(['http://metrics.invalid/q']);
  });

  it('each reader refuses a source of another type', async () => {
    const http = { type: 'http', url: 'http://x.invalid', jsonPath: '$' } as const;
    const readers = [
      new PrometheusMetricReader({ clock }),
      new AgentMetricReader({ clock, agents }),
    ];
    for (const reader of readers) {
      expect((await reader.observe(request(http), signal())).error).toMatch(
        /reader cannot read source type "http"$/,
      );
    }
    const agent = { type: 'agent', intent: 'count_bugs' } as const;
    expect((await new HttpMetricReader({ clock }).observe(request(agent), signal())).error).toBe(
      'the http reader cannot read source type "agent"',
    );
  });

  it('leaves nothing attached to a long-lived caller signal', async () => {
    const metrics = await serve(replyJson({ v: 1 }));
    servers.push(metrics);
    const router = new MetricSourceRouter({ clock, agents });
    const shutdown = new AbortController().signal;
    for (let reading = 0; reading < 3; reading += 1) {
      await router.observe(request({ type: 'http', url: metrics.url, jsonPath: '$.v' }), shutdown);
      await router.observe(request({ type: 'agent', intent: 'count_bugs' }), shutdown);
    }
    expect(getEventListeners(shutdown, 'abort')).toHaveLength(0);
  });

  it('does not ask an agent when the caller has already given up', async () => {
    let asked = false;
    const gateway = new InProcessAgentGateway().register('count_bugs', () => {
      asked = true;
      return { value: 1 };
    });
    const router = new MetricSourceRouter({ clock, agents: gateway });
    const observation = await router.observe(
      request({ type: 'agent', intent: 'count_bugs' }),
      AbortSignal.abort(new Error('shutting down')),
    );
    expect(observation.error).toBe(
      'agent for intent count_bugs: stopped before the agent answered (shutting down)',
    );
    expect(asked).toBe(false);
  });
});
