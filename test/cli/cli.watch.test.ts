import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ensureBuilt,
  journey,
  JOURNEY_BIN,
  startServer,
  TOKENS,
  type RunningServer,
} from './journey-binary.js';
import { startStreamProxy } from './stream-proxy.js';

/**
 * `journey watch` on the live event stream: it resumes a dropped stream with Last-Event-ID and
 * says every step once, and it polls a server that has no stream.
 */

let server: RunningServer;
beforeAll(async () => {
  await ensureBuilt();
  server = await startServer();
}, 60_000);
afterAll(async () => {
  await server?.close();
});

const SANDBOX_TASKS = [
  'create_tenant',
  'install_connectors',
  'provision_test_dataset',
  'capture_search_baseline',
];

/** How many times `text` occurs in `output`. */
function count(output: string, text: RegExp): number {
  return output.match(new RegExp(text.source, 'gm'))?.length ?? 0;
}

function expectSandboxStory(out: string): void {
  for (const task of SANDBOX_TASKS) {
    expect(count(out, new RegExp(`✓ ${task} +succeeded`)), task).toBe(1);
  }
  expect(count(out, /sandbox setup: 4 tasks/)).toBe(1);
  expect(count(out, /sandbox setup completed/)).toBe(1);
  expect(count(out, /gate of sandbox: not met \(3 of 4\)/)).toBe(1);
  expect(out).toContain('waiting for a person: demo_approved failed: 0 of 1 approvals');
}

it('resumes a dropped stream after the last event: nothing missed, nothing said twice', async () => {
  // The first task takes its time, so the stream is cut while it runs.
  server.agents.behaviour.set(
    'tenancy',
    'create_tenant',
    { kind: 'slow', delayMs: 2_000 },
    { clientId: 'resumed' },
  );
  const proxy = await startStreamProxy(server.url);
  try {
    expect((await journey(['start', 'resumed'], server.env('admin'))).code).toBe(0);
    const child = spawn(process.execPath, [JOURNEY_BIN, 'watch', 'resumed'], {
      env: { PATH: process.env.PATH ?? '', JOURNEY_URL: proxy.url, JOURNEY_TOKEN: TOKENS.viewer },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = once(child, 'exit');
    let dropped = false;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!dropped && /▸ create_tenant +running/.test(out)) {
        dropped = true;
        proxy.dropStreams();
      }
    });
    const [code] = (await exited) as [number | null];
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(dropped).toBe(true);
    expectSandboxStory(out);
    // A fresh subscription, then a resumption after the last id it had (not a TTY: no note).
    expect(proxy.streamRequests.length).toBeGreaterThanOrEqual(2);
    expect(proxy.streamRequests[0]).toBeUndefined();
    expect(proxy.streamRequests[1]).toMatch(/^\d+$/);
    expect(out).not.toContain('reconnecting');
  } finally {
    await proxy.close();
  }
}, 60_000);

it('polls a server that does not serve the event stream (404)', async () => {
  const proxy = await startStreamProxy(server.url, { withoutStream: true });
  try {
    expect((await journey(['start', 'polled'], server.env('admin'))).code).toBe(0);
    const run = await journey(['watch', 'polled'], {
      JOURNEY_URL: proxy.url,
      JOURNEY_TOKEN: TOKENS.viewer,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(proxy.streamRequests).toEqual([undefined]);
    expect(run.stdout).toMatch(/✓ capture_search_baseline +succeeded/);
    expect(run.stdout).toContain('waiting for a person: demo_approved failed: 0 of 1 approvals');
  } finally {
    await proxy.close();
  }
});

it('says each event of a journey that runs to its end, and prints the last journey with --json', async () => {
  expect((await journey(['start', 'finished'], server.env('admin'))).code).toBe(0);
  const first = await journey(['watch', 'finished'], server.env('viewer'));
  expectSandboxStory(first.stdout);
  const approve = await journey(['approve', 'finished', 'demo_approved'], server.env('operator'));
  expect(approve.code).toBe(0);
  const run = await journey(['watch', 'finished', '--json'], server.env('viewer'));
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout)).toMatchObject({ clientId: 'finished', status: 'completed' });
  expect(run.stderr).toMatch(/^watching finished /);
  expect(run.stderr).toContain('journey completed');
});
