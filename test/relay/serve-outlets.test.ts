import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { verifyWebhook } from '../../src/relay/webhook-signature.js';
import { runCli } from '../cli/run-cli.js';
import { ServeProcess } from '../support/engine-process.js';

/**
 * `journey serve --outlets FILE` end to end: the file is read and checked at start, and the
 * relay inside serve delivers the events of a journey started over the API, signed.
 */

const SECRET = 'a-webhook-secret-for-the-test';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) {
    await step();
  }
  cleanup = [];
});

async function receiver(): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, received };
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'journey-outlets-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

it('delivers the events of a journey to the webhooks of the outlets file, signed', async () => {
  const hook = await receiver();
  const dir = await tempDir();
  const outlets = join(dir, 'outlets.yaml');
  await writeFile(
    outlets,
    [
      'source: /test/serve',
      'outlets:',
      '  - name: monitoring',
      '    type: webhook',
      `    url: ${hook.url}`,
      `    secret: ${SECRET}`,
      '    events: [JourneyStarted, UnitOfWorkCreated]',
    ].join('\n'),
  );
  const serve = new ServeProcess('serve', [
    '--db',
    `sqlite:${dir}/journeys.db`,
    '--outlets',
    outlets,
  ]);
  cleanup.push(() => serve.kill());
  await serve.ready();
  const token = (await readFile(join(dir, 'admin.token'), 'utf8')).trim();
  const started = await fetch(`${serve.api ?? ''}/v1/journeys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ clientId: 'hooked' }),
  });
  expect(started.status).toBe(201);

  await expect.poll(() => hook.received.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
  const events = hook.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
  expect(events.map((e) => e.type)).toEqual([
    'journey-orchestrator.JourneyStarted.v1',
    'journey-orchestrator.UnitOfWorkCreated.v1',
  ]);
  expect(events[0]).toMatchObject({ source: '/test/serve', subject: 'hooked' });
  for (const { headers, body } of hook.received) {
    expect(headers['content-type']).toMatch(/^application\/cloudevents\+json/);
    expect(verifyWebhook(SECRET, headers, body).ok).toBe(true);
  }
  expect((await serve.stop()).code).toBe(0);
});

it('refuses to start with an outlets file that is not valid, naming each problem and its line', async () => {
  const dir = await tempDir();
  const outlets = join(dir, 'outlets.yaml');
  await writeFile(
    outlets,
    [
      'outlets:',
      '  - name: crm',
      '    type: webhook',
      '    url: not-a-url',
      '    secret: short',
    ].join('\n'),
  );
  const run = await runCli(['serve', '--db', `sqlite:${dir}/journeys.db`, '--outlets', outlets]);
  expect(run.exitCode).toBe(64);
  expect(run.err).toContain(`--outlets ${outlets}`);
  expect(run.err).toMatch(/outlets\[0\]\.url \(line 4/);
  expect(run.err).toMatch(/outlets\[0\]\.secret \(line 5.*at least 16/);
  const missing = await runCli([
    'serve',
    '--db',
    `sqlite:${dir}/journeys.db`,
    '--outlets',
    join(dir, 'nope.yaml'),
  ]);
  expect(missing.exitCode).toBe(64);
  expect(missing.err).toMatch(/cannot read it/);
});
