import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { beforeAll, expect, it } from 'vitest';
import { ensureBuilt, journey, JOURNEY_BIN } from './journey-binary.js';

beforeAll(ensureBuilt, 60_000);

async function demoDirectories(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('journey-demo-'));
}

it('journey demo tells the whole story and leaves nothing behind', async () => {
  const before = await demoDirectories();
  const run = await journey(['demo', '--client', 'initech'], {}, { timeoutMs: 90_000 });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const out = run.stdout;
  const steps = [
    '1. Start initech',
    '$ journey watch initech',
    'waiting for a person: demo_approved failed: 0 of 1 approvals',
    'gate of sandbox: passed (4 of 4)',
    'promoted sandbox -> pilot',
    '✗ user_satisfaction    3.2 is not > 4 (/5)',
    'rolled back to sandbox',
    'user satisfaction now reads 4.3/5',
    '✓ user_satisfaction    4.3 is > 4 (/5)',
    'promoted pilot -> production',
    'journey completed',
    'RollbackCompleted',
    'JourneyCompleted',
    'time to production',
    'demo done in',
  ];
  let from = 0;
  for (const step of steps) {
    const at = out.indexOf(step, from);
    expect(at, `"${step}" after position ${from}`).toBeGreaterThanOrEqual(0);
    from = at;
  }
  expect(out).toMatch(/rollback rate +33\.3% \(1 rollbacks of 3 promotions/);
  expect(out).toMatch(/✓ create_tenant +succeeded/);
  expect(out).not.toContain('\u001b[');
  expect(await demoDirectories()).toEqual(before);
}, 90_000);

it('journey demo stops everything it started on Ctrl-C (exit 130)', async () => {
  const before = await demoDirectories();
  const child = spawn(process.execPath, [JOURNEY_BIN, 'demo'], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('2. Watch the sandbox setup run')) {
        resolve();
      }
    });
    exited.then(
      () => reject(new Error(`the demo ended before its second step:\n${out}\n${err}`)),
      reject,
    );
  });
  const during = await demoDirectories();
  expect(during.length).toBe(before.length + 1);
  const servers = processesMentioning(during.find((name) => !before.includes(name)) ?? '?');
  expect(servers.length).toBeGreaterThan(0);
  child.kill('SIGINT');
  const [code] = (await exited) as [number | null];
  expect(code).toBe(130);
  expect(err).toContain('demo interrupted; everything it started is stopped and removed');
  expect(await demoDirectories()).toEqual(before);
  expect(servers.filter(isAlive)).toEqual([]);
}, 60_000);

/** Pids whose command line mentions `text` (Linux /proc). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false; // it ended while we looked
      }
    })
    .map(Number);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
