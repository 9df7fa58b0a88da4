import { request as httpRequest } from 'node:http';
import { beforeAll, expect, it } from 'vitest';
import { forEachBackend } from '../support/backends.js';
import { snapshotState, TOKENS, useApi, type ApiResponse } from './api-harness.js';
import { expectProblem } from './expect-problem.js';

/** Sends bytes as they are (no fetch normalisation), and reads the answer. */
function rawRequest(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${url}${path}`, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const contentType = String(response.headers['content-type'] ?? '');
        const parsed: unknown = /json/.test(contentType) ? JSON.parse(text) : text;
        resolve({
          status: response.statusCode ?? 0,
          headers: new Headers(response.headers as Record<string, string>),
          contentType,
          body: parsed,
          json: (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<
            string,
            unknown
          >,
        });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

forEachBackend((backend) => {
  const api = useApi(backend);
  const admin = { authorization: `Bearer ${TOKENS.admin}` };
  let before: unknown;

  beforeAll(async () => {
    await api.request('POST', '/v1/journeys', { body: { clientId: 'steady' } });
    await api.settle();
    before = await snapshotState(api.store);
  });

  const post = (body: string | Buffer, contentType?: string, path = '/v1/journeys') =>
    rawRequest(
      api.url,
      'POST',
      path,
      { ...admin, ...(contentType === undefined ? {} : { 'content-type': contentType }) },
      body,
    );

  it('refuses bodies that are not JSON with 415', async () => {
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
      expectProblem(await post('clientId=x', type), 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
    expectProblem(await post('{"clientId":"x"}', 'multipart/form-data; boundary=x'), 415);
  });

  it('refuses broken JSON and an empty JSON body with 400, a body without a type with 415', async () => {
    expectProblem(await post('{"clientId":', 'application/json'), 400, 'BAD_REQUEST');
    expectProblem(await post('', 'application/json'), 400, 'BAD_REQUEST');
    expectProblem(await post('{"clientId":"no-type"}'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectProblem(await post('\u0000\u0001', 'application/json'), 400, 'BAD_REQUEST');
  });

  it('refuses a body over 64 KiB with 413', async () => {
    const big = JSON.stringify({ clientId: 'x', playbook: 'y'.repeat(70 * 1024) });
    expectProblem(await post(big, 'application/json'), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers deep, wide and poisoned JSON with 400, quickly', async () => {
    const deepArray = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;
    const deepObject = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const wide = JSON.stringify(
      Object.fromEntries(Array.from({ length: 3_000 }, (_, i) => [`k${i}`, i])),
    );
    for (const body of [deepArray, deepObject, wide, '1e999999', '"clientId"', 'null', '[]']) {
      const started = Date.now();
      const response = await post(body, 'application/json');
      expectProblem(response, 400);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(JSON.stringify(response.body).length).toBeLessThan(8_000);
    }
    for (const poisoned of [
      '{"clientId":"p","__proto__":{"admin":true}}',
      '{"clientId":"p","constructor":{"prototype":{"admin":true}}}',
    ]) {
      expectProblem(await post(poisoned, 'application/json'), 400);
    }
  });

  it('refuses wrong types and values of every body field with 400 naming them', async () => {
    const response = await post(
      JSON.stringify({ clientId: 12, playbook: ['x'], extra: true }),
      'application/json',
    );
    const problem = expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(problem.errors?.map((e) => e.path).sort()).toEqual(['', '/clientId', '/playbook']);
    const rollback = await post(
      JSON.stringify({ reason: '   ' }),
      'application/json',
      '/v1/journeys/steady/rollback',
    );
    expectProblem(rollback, 400, 'VALIDATION_FAILED');
    const unicode = await post(JSON.stringify({ clientId: 'ünïcode' }), 'application/json');
    expectProblem(unicode, 400, 'VALIDATION_FAILED');
  });

  it('answers bad URLs and query strings with 4xx problems', async () => {
    const get = (path: string) => rawRequest(api.url, 'GET', path, admin);
    expectProblem(await get('/v1/journeys/%E0%A4%A'), 400);
    expectProblem(await get(`/v1/journeys/${'a'.repeat(600)}`), 414, 'URI_TOO_LONG');
    expectProblem(await get('/v1/journeys?stage=sandbox&stage=pilot'), 400, 'VALIDATION_FAILED');
    expectProblem(await get('/v1/journeys?limit=0'), 400, 'VALIDATION_FAILED');
    expectProblem(await get('/v1/journeys?limit=1e2'), 400, 'VALIDATION_FAILED');
    expectProblem(await get('/v1/journeys?active=yes'), 400, 'VALIDATION_FAILED');
    expectProblem(await get('/v1/journeys?cursor=%00'), 400, 'VALIDATION_FAILED');
    expectProblem(await get(`/v1/journeys?cursor=${'A'.repeat(600)}`), 400, 'VALIDATION_FAILED');
    expectProblem(await get('/v1/journeys?cursor=WyJ4IiwieSJd'), 400, 'CURSOR_INVALID');
    // Cursors that decode to a time one database reads differently and the other not at all:
    // SQLite compares the text (an empty page), PostgreSQL refuses it (400, never a 500).
    for (const forged of [
      ['1', 'x'],
      ['x 1', 'x'],
      ['+275760-09-13T00:00:00.000Z', 'x'],
    ]) {
      const cursor = Buffer.from(JSON.stringify(forged)).toString('base64url');
      const response = await get(`/v1/journeys?cursor=${cursor}`);
      if (response.status !== 200) {
        expectProblem(response, 400, 'CURSOR_INVALID');
      }
    }
    expectProblem(await get(`/v1/journeys?x=${'q'.repeat(20_000)}`), 431, 'HEADERS_TOO_LARGE');
  });

  it('changed nothing', async () => {
    expect(await snapshotState(api.store)).toEqual(before);
  });
});
