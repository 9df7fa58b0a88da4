import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConcurrencyConflictError } from '../../src/application/errors.js';
import { PlaybookMissingError } from '../../src/application/playbook-catalog.js';
import type { ApiOrchestrator } from '../../src/http/routes/context.js';
import { startApiServer, type RunningApiServer } from '../../src/http/server.js';
import { ApiTokens } from '../../src/http/tokens.js';
import { forEachBackend } from '../support/backends.js';

/**
 * Answers an Idempotency-Key must not keep: a 5xx and a refusal that asks for a retry. The use
 * case fails on purpose here (a stand-in orchestrator), the store is real, over real HTTP.
 */

const TOKEN = 'failures-admin-token-0123456789';

forEachBackend((backend) => {
  const failures: Error[] = [];
  let calls = 0;
  const orchestrator = {
    startJourney: () => {
      calls += 1;
      return Promise.reject(failures.shift() ?? new Error('no failure left to play'));
    },
  } as unknown as ApiOrchestrator;
  let server: RunningApiServer;
  beforeAll(async () => {
    const { store } = await backend.freshDatabase();
    server = await startApiServer({
      orchestrator,
      store,
      clock: backend.clock,
      tokens: ApiTokens.of([{ name: 'ada', role: 'admin', token: TOKEN }]),
      version: '0.0.0-test',
      host: '127.0.0.1',
      port: 0,
    });
  });
  afterAll(() => server?.close());

  const post = async () => {
    const response = await fetch(`${server.url}/v1/journeys`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        'idempotency-key': 'retry-me',
      },
      body: JSON.stringify({ clientId: 'flaky' }),
    });
    const body = (await response.json()) as { code?: string };
    return [response.status, body.code, response.headers.get('idempotency-replayed')];
  };

  it('runs the request again after a 500 or a CONCURRENT_CHANGE, keeps the final answer', async () => {
    failures.push(
      new Error('the database went away'),
      new ConcurrencyConflictError('j', 1, 2),
      new ConcurrencyConflictError('j', 2, 3),
    );
    expect(await post()).toEqual([500, 'INTERNAL_ERROR', null]);
    expect(await post()).toEqual([409, 'CONCURRENT_CHANGE', null]);
    expect(await post()).toEqual([409, 'CONCURRENT_CHANGE', null]);
    expect(calls).toBe(3);
    // A refusal that is final (starting with an unknown playbook) is kept and replayed.
    failures.push(new PlaybookMissingError('nope'));
    expect(await post()).toEqual([422, 'PLAYBOOK_NOT_FOUND', null]);
    expect(await post()).toEqual([422, 'PLAYBOOK_NOT_FOUND', 'true']);
    expect(calls).toBe(4);
  });
});
