import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApiServer } from '../../src/http/server.js';
import { ApiTokens } from '../../src/http/tokens.js';
import { forEachBackend } from '../support/backends.js';
import { startTestEngine, type EngineHarness } from '../support/engine-harness.js';

/** The dashboard's files, served at `/` from a build folder (here a small stand-in build). */
forEachBackend(
  (backend) => {
    let root = '';
    let app: FastifyInstance;
    let unbuilt: FastifyInstance;
    let harness: EngineHarness;

    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'journey-web-'));
      await mkdir(join(root, 'assets'));
      await writeFile(join(root, 'index.html'), '<!doctype html><title>Journeys</title>');
      await writeFile(join(root, 'assets', 'index-abc123.js'), 'console.log(1);');
      harness = await startTestEngine(backend.store, backend.clock);
      const options = {
        orchestrator: harness.engine.orchestrator,
        store: backend.store,
        clock: backend.clock,
        tokens: ApiTokens.of([]),
        version: '0.0.0-test',
      };
      app = await buildApiServer({ ...options, webRoot: root });
      unbuilt = await buildApiServer({ ...options, webRoot: join(root, 'missing') });
    });
    afterAll(async () => {
      await app.close();
      await unbuilt.close();
      await harness.engine.stop();
      await rm(root, { recursive: true, force: true });
    });

    it('serves index.html at / without a token, locked down by a content security policy', async () => {
      const page = await app.inject({ method: 'GET', url: '/' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.body).toContain('<title>Journeys</title>');
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(page.headers['x-content-type-options']).toBe('nosniff');
    });

    it('serves the hashed assets with a long cache life', async () => {
      const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['content-type']).toMatch(/javascript/);
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    });

    it('leaves every other path to the API: its 404 problem, its routes', async () => {
      const missing = await app.inject({ method: 'GET', url: '/assets/nothing.js' });
      expect(missing.statusCode).toBe(404);
      expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/v1/me' })).statusCode).toBe(401);
    });

    it('serves nothing at / when the dashboard is not built', async () => {
      const page = await unbuilt.inject({ method: 'GET', url: '/' });
      expect(page.statusCode).toBe(404);
      expect(page.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  },
  { only: ['sqlite'] },
);
