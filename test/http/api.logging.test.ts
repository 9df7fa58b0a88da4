import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApiServer, type RunningApiServer } from '../../src/http/server.js';
import { ApiTokens } from '../../src/http/tokens.js';
import { forEachBackend } from '../support/backends.js';
import { startTestEngine } from '../support/engine-harness.js';

const SECRET = 'tok-9f8e7d6c5b4a39281706f5e4d3c2b1a0';

forEachBackend(
  (backend) => {
    const lines: string[] = [];
    let server: RunningApiServer;

    beforeAll(async () => {
      const { store } = await backend.freshDatabase();
      const { engine } = await startTestEngine(store, backend.clock);
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      });
      server = await startApiServer({
        orchestrator: engine.orchestrator,
        store,
        clock: backend.clock,
        tokens: ApiTokens.of([{ name: 'logger-test', role: 'admin', token: SECRET }]),
        version: 'test',
        logger: pino({ level: 'trace' }, sink),
        host: '127.0.0.1',
        port: 0,
      });
    });
    afterAll(async () => {
      await server.close();
    });

    it('logs requests, and never a token, valid or not', async () => {
      for (const token of [SECRET, `${SECRET}-wrong`]) {
        await fetch(`${server.url}/v1/journeys`, { headers: { authorization: `Bearer ${token}` } });
        await fetch(`${server.url}/v1/journeys`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ clientId: 'logged' }),
        });
      }
      const text = lines.join('');
      expect(text).toContain('/v1/journeys');
      expect(text).not.toContain(SECRET);
    });

    it('asks for the token on HEAD as on GET', async () => {
      const response = await fetch(`${server.url}/v1/journeys`, { method: 'HEAD' });
      expect(response.status).toBe(401);
    });
  },
  { only: ['sqlite'] },
);
