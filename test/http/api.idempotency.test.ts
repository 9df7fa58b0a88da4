import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { addMillis } from '../../src/domain/index.js';
import { requestHash } from '../../src/http/idempotency-key.js';
import { forEachBackend } from '../support/backends.js';
import {
  manualPlaybook,
  NAMES,
  snapshotState,
  TOKENS,
  useApi,
  type ApiResponse,
} from './api-harness.js';
import { expectProblem } from './expect-problem.js';

/** `Idempotency-Key` on POSTs over real HTTP: replay, reuse, races, callers, bad keys, expiry. */

const HOUR = 3_600_000;
const key = (value: string) => ({ 'idempotency-key': value });
const replayed = (response: ApiResponse) => response.headers.get('idempotency-replayed');

forEachBackend((backend) => {
  const api = useApi(backend, { playbook: manualPlaybook });
  let counter = 0;
  /** A key no other test uses (the clock may not move between tests). */
  const fresh = (label: string) => `${label}-${(counter += 1)}`;
  const start = (clientId: string, idempotencyKey: string) =>
    api.request('POST', '/v1/journeys', { body: { clientId }, headers: key(idempotencyKey) });

  it('answers a repeat with the first answer, identical, and changes nothing', async () => {
    const k = fresh('start');
    const first = await start('idem-replay', k);
    expect(first.status).toBe(201);
    expect(replayed(first)).toBeNull();
    await api.settle();
    const before = await snapshotState(api.store);

    const again = await start('idem-replay', k);
    expect(again.status).toBe(201);
    expect(replayed(again)).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.contentType).toBe(first.contentType);
    expect(await snapshotState(api.store)).toEqual(before);

    // The same JSON with its keys in another order is the same request.
    const approval = fresh('approval');
    const body = { criterion: 'demo_approved', comment: 'fine' };
    const approved = await api.request('POST', '/v1/journeys/idem-replay/approvals', {
      body,
      headers: key(approval),
    });
    expect(approved.status).toBe(201);
    const reordered = await api.request('POST', '/v1/journeys/idem-replay/approvals', {
      raw: '{"comment":"fine","criterion":"demo_approved"}',
      contentType: 'application/json',
      headers: key(approval),
    });
    expect([reordered.status, replayed(reordered)]).toEqual([201, 'true']);
    expect(reordered.body).toEqual(approved.body);
  });

  it('stores a domain refusal too, and replays it', async () => {
    await start('idem-refused', fresh('first'));
    const k = fresh('twice');
    const refused = expectProblem(await start('idem-refused', k), 409, 'JOURNEY_ACTIVE');
    const again = await start('idem-refused', k);
    expectProblem(again, 409, 'JOURNEY_ACTIVE');
    expect(replayed(again)).toBe('true');
    expect(again.body).toEqual(refused);
  });

  it('refuses the key with another body, method or path: 422, nothing changes', async () => {
    const k = fresh('reuse');
    expect((await start('idem-reuse-a', k)).status).toBe(201);
    await api.settle();
    const before = await snapshotState(api.store);
    const otherBody = expectProblem(await start('idem-reuse-b', k), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(otherBody.detail).toMatch(/another body/);
    const otherPath = expectProblem(
      await api.request('POST', '/v1/journeys/idem-reuse-a/cancel', {
        body: { reason: 'oops' },
        headers: key(k),
      }),
      422,
      'IDEMPOTENCY_KEY_REUSED',
    );
    expect(otherPath.detail).toContain('POST /v1/journeys');
    expect(await snapshotState(api.store)).toEqual(before);
  });

  it('runs one of many concurrent requests with one key; the others wait or replay', async () => {
    const k = fresh('race');
    const answers = await Promise.all(Array.from({ length: 8 }, () => start('idem-race', k)));
    const executed = answers.filter((a) => a.status === 201 && replayed(a) === null);
    expect(executed).toHaveLength(1);
    for (const answer of answers) {
      if (answer.status === 201) {
        expect(answer.body).toEqual(executed[0]?.body);
      } else {
        expectProblem(answer, 409, 'IDEMPOTENCY_KEY_IN_FLIGHT');
        expect(answer.headers.get('retry-after')).toBe('1');
      }
    }
    const page = await api.store.listJourneys({ clientId: 'idem-race' });
    expect(page.items).toHaveLength(1);
  });

  it('scopes keys per caller', async () => {
    const k = fresh('shared');
    expect((await start('idem-callers', k)).status).toBe(201);
    await api.settle();
    const byOperator = await api.request('POST', '/v1/journeys/idem-callers/cancel', {
      as: 'operator',
      body: { reason: 'the operator has a key of that name too' },
      headers: key(k),
    });
    expect([byOperator.status, replayed(byOperator)]).toEqual([200, null]);
    const events = await api.request('GET', '/v1/journeys/idem-callers/events');
    const cancelled = (
      events.json.items as { type: string; metadata: { causedBy: string } }[]
    ).find((e) => e.type === 'JourneyCancelled');
    expect(cancelled?.metadata.causedBy).toBe(NAMES.operator);
  });

  it('refuses a bad key with 400 before anything runs', async () => {
    const before = await snapshotState(api.store);
    for (const bad of ['', 'x'.repeat(256), 'tab\tinside', 'caf\u00e9']) {
      const problem = expectProblem(await start('idem-bad', bad), 400, 'IDEMPOTENCY_KEY_INVALID');
      expect(problem.detail).toMatch(/Idempotency-Key/);
    }
    const twice = await rawPost(api.url, '/v1/journeys', ['one', 'two'], { clientId: 'idem-bad' });
    expect([twice.status, twice.code]).toEqual([400, 'IDEMPOTENCY_KEY_INVALID']);
    expect(await snapshotState(api.store)).toEqual(before);
    // The longest key, every printable character, is fine.
    const longest = Array.from({ length: 255 }, (_, i) => String.fromCharCode(32 + (i % 95))).join(
      '',
    );
    expect((await start('idem-longest', longest)).status).toBe(201);
  });

  it('does not keep a refusal before the handler: the corrected request may reuse the key', async () => {
    const k = fresh('fix');
    expectProblem(
      await api.request('POST', '/v1/journeys', { body: { clientId: '' }, headers: key(k) }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await api.request('POST', '/v1/journeys', {
        as: 'viewer',
        body: { clientId: 'idem-fix' },
        headers: key(k),
      }),
      403,
      'FORBIDDEN',
    );
    expect((await start('idem-fix', k)).status).toBe(201);
  });

  it('takes over a key whose first request died in flight, once it is abandoned', async () => {
    const k = fresh('dead');
    const body = { clientId: 'idem-dead' };
    // What a process killed mid-request leaves behind: the key claimed, no answer.
    const now = api.clock.now();
    await api.store.claimIdempotencyKey(
      {
        actor: NAMES.admin,
        key: k,
        method: 'POST',
        path: '/v1/journeys',
        requestHash: requestHash(body),
      },
      { now, expiredBefore: addMillis(now, -24 * HOUR), abandonedBefore: addMillis(now, -60_000) },
    );
    expectProblem(await start('idem-dead', k), 409, 'IDEMPOTENCY_KEY_IN_FLIGHT');
    api.clock.advance(60_001);
    const taken = await start('idem-dead', k);
    expect([taken.status, replayed(taken)]).toEqual([201, null]);
    expect(replayed(await start('idem-dead', k))).toBe('true');
  });

  it('forgets keys after 24 hours and removes them', async () => {
    const k = fresh('expiring');
    expect((await start('idem-expiry-a', k)).status).toBe(201);
    api.clock.advance(HOUR);
    expectProblem(await start('idem-expiry-b', k), 422, 'IDEMPOTENCY_KEY_REUSED');
    api.clock.advance(23 * HOUR + 1);
    // A day later the key is new again: another body runs.
    const reused = await start('idem-expiry-b', k);
    expect([reused.status, replayed(reused)]).toEqual([201, null]);
    // That request swept the expired keys (at most once an hour): none older than a day is left.
    const dayAgo = addMillis(api.clock.now(), -24 * HOUR);
    expect(await api.store.removeExpiredIdempotencyKeys(dayAgo)).toBe(0);
  });

  it('documents the header on every POST of the OpenAPI document', async () => {
    const document = await api.request('GET', '/openapi.json', { as: 'none' });
    const paths = document.json.paths as Record<string, Record<string, { parameters?: unknown[] }>>;
    const posts = Object.values(paths).flatMap((methods) =>
      methods.post === undefined ? [] : [methods.post],
    );
    expect(posts.length).toBeGreaterThanOrEqual(7);
    for (const post of posts) {
      expect(post.parameters).toContainEqual(
        expect.objectContaining({ in: 'header', name: 'Idempotency-Key', required: false }),
      );
    }
  });

  it('property: a repeat replays exactly when its body is the same', async () => {
    await fc.assert(
      fc.asyncProperty(
        // A small alphabet, so that the two bodies are often the same.
        fc.stringMatching(/^[ab]{1,3}$/),
        fc.stringMatching(/^[ab]{1,3}$/),
        async (first, second) => {
          const k = fresh('prop');
          const path = '/v1/journeys/idem-nobody/cancel';
          const a = await api.request('POST', path, { body: { reason: first }, headers: key(k) });
          expectProblem(a, 404);
          const b = await api.request('POST', path, { body: { reason: second }, headers: key(k) });
          if (first === second) {
            expect([b.status, replayed(b)]).toEqual([404, 'true']);
            expect(b.body).toEqual(a.body);
          } else {
            expectProblem(b, 422, 'IDEMPOTENCY_KEY_REUSED');
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});

/** A POST with the Idempotency-Key header sent once per value (fetch would join them). */
function rawPost(
  url: string,
  path: string,
  keys: readonly string[],
  body: unknown,
): Promise<{ status: number; code: unknown }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${url}${path}`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TOKENS.admin}`,
          'content-type': 'application/json',
          'idempotency-key': [...keys],
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            code: (JSON.parse(text) as { code?: unknown }).code,
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}
