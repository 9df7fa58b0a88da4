import { afterAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/application/ports.js';
import { startApiServer, type RunningApiServer } from '../../src/http/server.js';
import { ApiTokens } from '../../src/http/tokens.js';
import { forEachBackend } from '../support/backends.js';
import { useApi } from './api-harness.js';
import { expectProblem } from './expect-problem.js';

/** Every route of the contract, as `METHOD path` in OpenAPI's form. */
const CONTRACT = [
  'post /v1/journeys',
  'get /v1/journeys',
  'get /v1/journeys/{clientId}',
  'get /v1/journeys/{clientId}/events',
  'get /v1/journeys/{clientId}/exit-criteria',
  'post /v1/journeys/{clientId}/promotions',
  'post /v1/journeys/{clientId}/rollback',
  'post /v1/journeys/{clientId}/cancel',
  'post /v1/journeys/{clientId}/approvals',
  'get /v1/units-of-work/{workId}',
  'post /v1/units-of-work/{workId}/retry',
  'post /v1/units-of-work/{workId}/cancel',
  'get /v1/reports/success-metrics',
  'get /healthz',
  'get /readyz',
  'get /metrics',
];

forEachBackend((backend) => {
  const api = useApi(backend);

  it('GET /healthz answers 200 with the version', async () => {
    const response = await api.request('GET', '/healthz', { as: 'none' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', version: '0.0.0-test' });
  });

  describe('GET /readyz', () => {
    const servers: RunningApiServer[] = [];
    afterAll(async () => {
      await Promise.all(servers.map((server) => server.close()));
    });
    const serveWith = async (ping: () => Promise<void>) => {
      const store: Store = Object.create(api.store, { ping: { value: ping } }) as Store;
      const server = await startApiServer({
        orchestrator: api.engine.orchestrator,
        store,
        clock: api.clock,
        tokens: ApiTokens.none,
        version: 'test',
        readinessTimeout: 100,
        host: '127.0.0.1',
        port: 0,
      });
      servers.push(server);
      const response = await fetch(`${server.url}/readyz`);
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        body: (await response.json()) as Record<string, unknown>,
      };
    };

    it('answers 200 when the database answers', async () => {
      const response = await api.request('GET', '/readyz', { as: 'none' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ready' });
    });

    it('answers 503 problem+json when the database fails or hangs, without its error', async () => {
      const failed = await serveWith(() =>
        Promise.reject(new Error('connect ECONNREFUSED 10.1.2.3')),
      );
      expect(failed.status).toBe(503);
      expect(failed.type).toMatch(/^application\/problem\+json/);
      expect(failed.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
      expect(JSON.stringify(failed.body)).not.toContain('10.1.2.3');
      const hung = await serveWith(() => new Promise(() => undefined));
      expect(hung.status).toBe(503);
    });
  });

  it('GET /metrics answers Prometheus text with journeys by stage and request durations', async () => {
    await api.request('POST', '/v1/journeys', { body: { clientId: 'metered' } });
    await api.request('GET', '/v1/journeys/metered', { as: 'viewer' });
    const response = await api.request('GET', '/metrics', { as: 'none' });
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^text\/plain/);
    const text = String(response.body);
    expect(text).toContain('journeys_by_stage{stage="sandbox"} 1');
    expect(text).toContain('journeys_by_stage{stage="completed"} 0');
    expect(text).toMatch(/journey_work_queue_depth \d+/);
    expect(text).toMatch(/journey_work_queue_lag_seconds \d/);
    expect(text).toContain(
      'journey_http_request_duration_seconds_count{method="GET",route="/v1/journeys/:clientId",status_code="200"} 1',
    );
    expect(text).toContain('# TYPE journey_stage_transitions_total counter');
    expect(text).toContain('# TYPE journey_task_attempt_duration_seconds histogram');
  });

  it('GET /openapi.json is an OpenAPI 3.1 document of every route', async () => {
    const response = await api.request('GET', '/openapi.json', { as: 'none' });
    expect(response.status).toBe(200);
    const document = response.json as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { security?: unknown; responses: Record<string, unknown> }>
      >;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    };
    expect(document.openapi).toBe('3.1.0');
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );
    for (const operation of CONTRACT) {
      expect(operations).toContain(operation);
    }
    expect(operations).not.toContain('get /openapi.json');
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining([
        'Journey',
        'UnitOfWork',
        'Problem',
        'CriterionResult',
        'SuccessMetrics',
      ]),
    );
    expect(document.components.securitySchemes).toEqual({
      bearerAuth: { type: 'http', scheme: 'bearer' },
    });
    const promotions = document.paths['/v1/journeys/{clientId}/promotions']?.post;
    expect(promotions?.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(promotions?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '409', '422']),
    );
    expect(document.paths['/healthz']?.get?.security).toBeUndefined();
  });

  it('GET /docs serves Swagger UI from this server, no CDN', async () => {
    const page = await api.request('GET', '/docs', { as: 'none' });
    expect(page.status).toBe(200);
    expect(page.contentType).toMatch(/^text\/html/);
    const html = String(page.body);
    expect(html).toContain('swagger-ui');
    expect(html).not.toMatch(/<script[^>]+src="https?:/);
    const bundle = await fetch(`${api.url}/docs/static/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    await bundle.arrayBuffer();
    const spec = await api.request('GET', '/docs/json', { as: 'none' });
    expect(spec.json.openapi).toBe('3.1.0');
  });

  it('answers unknown routes and methods with a 404 problem', async () => {
    expectProblem(await api.request('GET', '/v2/nothing', { as: 'none' }), 404, 'NOT_FOUND');
    expectProblem(await api.request('DELETE', '/v1/journeys', { as: 'admin' }), 404, 'NOT_FOUND');
  });
});
