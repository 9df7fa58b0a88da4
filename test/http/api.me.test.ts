import { expect, it } from 'vitest';
import { forEachBackend } from '../support/backends.js';
import { NAMES, useApi } from './api-harness.js';
import { expectProblem } from './expect-problem.js';

forEachBackend(
  (backend) => {
    const api = useApi(backend);

    it("GET /v1/me answers the token's name and role, for every role", async () => {
      for (const role of ['viewer', 'operator', 'admin'] as const) {
        const response = await api.request('GET', '/v1/me', { as: role });
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ name: NAMES[role], role });
      }
    });

    it('GET /v1/me refuses a missing or unknown token', async () => {
      expectProblem(await api.request('GET', '/v1/me', { as: 'none' }), 401, 'UNAUTHORIZED');
      expectProblem(await api.request('GET', '/v1/me', { as: 'bad' }), 401, 'UNAUTHORIZED');
    });
  },
  { only: ['sqlite'] },
);
