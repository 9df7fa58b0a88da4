import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiRole } from '../../src/http/tokens.js';
import { forEachBackend } from '../support/backends.js';
import { snapshotState, TOKENS, useApi, type Caller } from './api-harness.js';
import { expectProblem } from './expect-problem.js';

interface Route {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly role: ApiRole;
  /** A body the schema refuses: a caller with the role gets 400, proving auth let it through. */
  readonly invalid?: unknown;
}

const ROUTES: readonly Route[] = [
  { method: 'POST', path: '/v1/journeys', role: 'admin', invalid: { clientId: 5 } },
  { method: 'GET', path: '/v1/journeys', role: 'viewer' },
  { method: 'GET', path: '/v1/journeys/matrix', role: 'viewer' },
  { method: 'GET', path: '/v1/journeys/matrix/events', role: 'viewer' },
  { method: 'GET', path: '/v1/journeys/matrix/exit-criteria', role: 'viewer' },
  {
    method: 'POST',
    path: '/v1/journeys/matrix/promotions',
    role: 'operator',
    invalid: { to: 'moon' },
  },
  { method: 'POST', path: '/v1/journeys/matrix/rollback', role: 'operator', invalid: {} },
  { method: 'POST', path: '/v1/journeys/matrix/cancel', role: 'operator', invalid: {} },
  { method: 'POST', path: '/v1/journeys/matrix/approvals', role: 'operator', invalid: {} },
  { method: 'GET', path: '/v1/units-of-work/some-unit', role: 'viewer' },
  {
    method: 'POST',
    path: '/v1/units-of-work/some-unit/retry',
    role: 'operator',
    invalid: { x: 1 },
  },
  { method: 'POST', path: '/v1/units-of-work/some-unit/cancel', role: 'operator', invalid: {} },
  { method: 'GET', path: '/v1/reports/success-metrics', role: 'viewer' },
];

const PUBLIC = ['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs'];

const RANK: Readonly<Record<ApiRole, number>> = { viewer: 0, operator: 1, admin: 2 };

forEachBackend((backend) => {
  const api = useApi(backend);

  beforeAll(async () => {
    expect(
      (await api.request('POST', '/v1/journeys', { body: { clientId: 'matrix' } })).status,
    ).toBe(201);
    await api.settle();
  });

  describe('the role matrix', () => {
    for (const route of ROUTES) {
      it(`${route.method} ${route.path} needs ${route.role}`, async () => {
        const before = await snapshotState(api.store);
        for (const caller of ['none', 'bad', 'viewer', 'operator', 'admin'] as const) {
          const response = await api.request(route.method, route.path, {
            as: caller,
            ...(route.invalid === undefined ? {} : { body: route.invalid }),
          });
          const expected = expectation(caller, route);
          const text = JSON.stringify(response.body);
          const label = `${caller}: ${text.slice(0, 300)}`;
          // No answer ever echoes a token.
          expect(
            Object.values(TOKENS).some((token) => text.includes(token)),
            label,
          ).toBe(false);
          if (expected === 'allowed') {
            expect([401, 403], label).not.toContain(response.status);
            expect(response.status, label).toBeLessThan(500);
            if (route.invalid !== undefined) {
              expectProblem(response, 400, 'VALIDATION_FAILED');
            }
          } else {
            expectProblem(response, expected, expected === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN');
          }
          if (expected === 401) {
            expect(response.headers.get('www-authenticate'), label).toMatch(
              caller === 'none'
                ? /^Bearer realm="journey-orchestrator"$/
                : /^Bearer realm="journey-orchestrator", error="invalid_token"$/,
            );
          }
        }
        expect(await snapshotState(api.store)).toEqual(before);
      });
    }
  });

  it('serves the operational routes without a token', async () => {
    for (const path of PUBLIC) {
      const response = await api.request('GET', path, { as: 'none' });
      expect(response.status, path).toBe(200);
    }
  });

  it('refuses malformed Authorization headers with 401', async () => {
    for (const value of [
      'Basic dXNlcjpwYXNz',
      'Bearer',
      'Bearer ',
      'Bearer two tokens',
      `Bearer ${'x'.repeat(5_000)}`,
      'Token abc',
    ]) {
      const response = await api.request('GET', '/v1/journeys', {
        as: 'none',
        headers: { authorization: value },
      });
      expectProblem(response, 401, 'UNAUTHORIZED');
    }
  });

  it('accepts the scheme in any case', async () => {
    const response = await api.request('GET', '/v1/journeys', {
      as: 'none',
      headers: { authorization: `bearer ${TOKENS.viewer}` },
    });
    expect(response.status).toBe(200);
  });

  it('checks the token before reading the body', async () => {
    const response = await api.request('POST', '/v1/journeys', {
      as: 'none',
      raw: '{not json',
      contentType: 'application/json',
    });
    expectProblem(response, 401, 'UNAUTHORIZED');
  });
});

function expectation(caller: Caller, route: Route): 401 | 403 | 'allowed' {
  if (caller === 'none' || caller === 'bad') {
    return 401;
  }
  return RANK[caller] >= RANK[route.role] ? 'allowed' : 403;
}
