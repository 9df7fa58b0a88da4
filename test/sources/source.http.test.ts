import { afterEach, describe, expect, it } from 'vitest';
import type { ObservationRequest } from '../../src/application/metric-sources.js';
import type { MetricSource } from '../../src/domain/index.js';
import { HttpMetricReader } from '../../src/sources/index.js';
import { StepClock } from '../support/clock.js';
import { closedPort, replyJson, serve, type Handler, type LocalServer } from './local-server.js';

const T0 = '2026-03-01T12:00:00.000Z';
const clock = new StepClock(T0);
const reader = new HttpMetricReader({ clock });
const servers: LocalServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(handler: Handler): Promise<string> {
  const server = await serve(handler);
  servers.push(server);
  return server.url;
}

function request(
  url: string,
  jsonPath: string,
  extra: Partial<Extract<MetricSource, { type: 'http' }>> = {},
  timeout = 2_000,
): ObservationRequest {
  return {
    source: { type: 'http', url, jsonPath, ...extra },
    context: { journeyId: 'j-1', clientId: 'acme', stage: 'pilot', criterionId: 'search_quality' },
    timeout,
  };
}

async function read(body: unknown, jsonPath: string) {
  const url = await start(replyJson(body));
  return reader.observe(request(`${url}/metrics`, jsonPath), new AbortController().signal);
}

describe('http source: reading the value', () => {
  it('reads a number at a top-level member', async () => {
    expect(await read({ quality: 87.5 }, '$.quality')).toEqual({ value: 87.5, observedAt: T0 });
  });

  it('reads a nested member and a boolean', async () => {
    const observation = await read({ search: { scan: { passed: true } } }, '$.search.scan.passed');
    expect(observation).toEqual({ value: true, observedAt: T0 });
  });

  it('reads array indexes, bracketed names and the last item', async () => {
    const body = { runs: [{ 'p 95': 120 }, { 'p 95': 180 }] };
    expect((await read(body, "$.runs[0]['p 95']")).value).toBe(120);
    expect((await read(body, '$.runs[-1]["p 95"]')).value).toBe(180);
  });

  it('sends the configured headers', async () => {
    let seen: string | undefined;
    const url = await start((incoming, response) => {
      seen = incoming.headers['authorization'];
      replyJson({ v: 1 })(incoming, response);
    });
    const observation = await reader.observe(
      request(url, '$.v', { headers: { authorization: 'Bearer token-1' } }),
      new AbortController().signal,
    );
    expect(observation.value).toBe(1);
    expect(seen).toBe('Bearer token-1');
  });

  it('reports an explicit null as no data, not as an error', async () => {
    expect(await read({ quality: null }, '$.quality')).toEqual({ value: null, observedAt: T0 });
  });
});

describe('http source: never inventing a value', () => {
  it('names the missing member and where the path stopped', async () => {
    const observation = await read({ search: { latency: 3 } }, '$.search.quality');
    expect(observation.value).toBeUndefined();
    expect(observation.error).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/metrics: no value at/);
    expect(observation.error).toContain('$.search has no member "quality"');
  });

  it('names an index past the end of an array', async () => {
    const observation = await read({ runs: [1, 2] }, '$.runs[5]');
    expect(observation.error).toContain('$.runs has no index 5 (it holds 2 items)');
  });

  it('refuses a value of the wrong type', async () => {
    const observation = await read({ quality: { score: 1 } }, '$.quality');
    expect(observation.error).toContain(
      'the value at $.quality is an object, not a number or true/false',
    );
  });

  it('does not coerce a string that looks like a number', async () => {
    const observation = await read({ quality: '0.92' }, '$.quality');
    expect(observation.value).toBeUndefined();
    expect(observation.error).toContain('is a string ("0.92"), not a number or true/false');
  });

  it('reports an HTTP error status', async () => {
    const url = await start(replyJson({ quality: 99 }, 500));
    const observation = await reader.observe(
      request(url, '$.quality'),
      new AbortController().signal,
    );
    expect(observation).toEqual({
      observedAt: T0,
      error: `GET ${url}: answered HTTP 500 Internal Server Error`,
    });
  });

  it('reports a body that is not JSON', async () => {
    const observation = await read('<html>oops</html>', '$.quality');
    expect(observation.error).toContain('the reply is not JSON: "<html>oops</html>"');
  });

  it('reports an unreachable server', async () => {
    const url = await closedPort();
    const observation = await reader.observe(request(url, '$.q'), new AbortController().signal);
    expect(observation.error).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  });

  it('gives up on a server that never answers, at the timeout', { timeout: 5_000 }, async () => {
    const url = await start(() => undefined);
    const observation = await reader.observe(
      request(url, '$.q', {}, 50),
      new AbortController().signal,
    );
    expect(observation).toEqual({ observedAt: T0, error: `GET ${url}: timed out after 50 ms` });
  });

  it('gives up when the caller aborts', { timeout: 5_000 }, async () => {
    const url = await start(() => undefined);
    const controller = new AbortController();
    const pending = reader.observe(request(url, '$.q'), controller.signal);
    controller.abort(new Error('shutting down'));
    expect((await pending).error).toBe(`GET ${url}: stopped before the reply came (shutting down)`);
  });

  it('gives up on a body that stops half-way, at the timeout', { timeout: 5_000 }, async () => {
    const url = await start((_incoming, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"quality": ');
    });
    const observation = await reader.observe(
      request(url, '$.quality', {}, 50),
      new AbortController().signal,
    );
    expect(observation.error).toBe(`GET ${url}: timed out after 50 ms`);
  });

  it('refuses a body over the size cap, streamed or declared', async () => {
    const small = new HttpMetricReader({ clock, maxBodyBytes: 1024 });
    const chunked = await start((_incoming, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write(`{"pad": "${'x'.repeat(600)}`);
      response.end(`${'x'.repeat(600)}", "v": 1}`);
    });
    const declared = await start(replyJson({ pad: 'x'.repeat(2048), v: 1 }));
    for (const url of [chunked, declared]) {
      const observation = await small.observe(request(url, '$.v'), new AbortController().signal);
      expect(observation.error).toBe(`GET ${url}: the reply is larger than 1024 bytes`);
    }
  });

  it('caps bodies at 1 MiB by default', async () => {
    const url = await start((_incoming, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = 'x'.repeat(64 * 1024);
      response.write('{"pad": "');
      for (let sent = 0; sent < 20; sent += 1) {
        response.write(chunk);
      }
      response.end('"}');
    });
    const observation = await reader.observe(request(url, '$.v'), new AbortController().signal);
    expect(observation.error).toBe(`GET ${url}: the reply is larger than 1048576 bytes`);
  });

  it('refuses a JSONPath that could select several values, without sending', async () => {
    const url = await start(replyJson({ v: 1 }));
    const observation = await reader.observe(request(url, '$..v'), new AbortController().signal);
    expect(observation.error).toContain('recursive descent ("..") can select several values');
    expect(servers[0]!.requests).toHaveLength(0);
  });

  it('sends URL credentials as Basic auth and masks the password in reports', async () => {
    let seen: string | undefined;
    const url = await start((incoming, response) => {
      seen = incoming.headers['authorization'];
      replyJson({ v: 1 }, 503)(incoming, response);
    });
    const withUser = url.replace('http://', 'http://reader:s3cret@');
    const observation = await reader.observe(
      request(withUser, '$.v'),
      new AbortController().signal,
    );
    expect(seen).toBe(`Basic ${Buffer.from('reader:s3cret').toString('base64')}`);
    expect(observation.error).toBe(
      `GET ${url.replace('http://', 'http://reader:***@')}/: answered HTTP 503 Service Unavailable`,
    );
  });

  it('refuses a header it cannot send without quoting its value', async () => {
    const url = await start(replyJson({ v: 1 }));
    const observation = await reader.observe(
      request(url, '$.v', { headers: { authorization: 'Bearer s3cret\nx' } }),
      new AbortController().signal,
    );
    expect(observation.error).toBe(
      `GET ${url}: header "authorization" is not a valid HTTP header name or value`,
    );
  });
});
