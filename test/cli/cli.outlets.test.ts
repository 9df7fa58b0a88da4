import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureBuilt, journey, startServer, type RunningServer } from './journey-binary.js';
import { tempDirectory } from './run-cli.js';

/**
 * The relay operators' commands (outlets, dead-letters, replay, discard): the built binary
 * against a real `journey serve --outlets FILE` whose webhook points at a receiver that refuses
 * everything. A refusal (a non-2xx other than 429 and 503) spends an attempt, so with
 * `retry: {maxAttempts: 1}` each event is dead-lettered at once; a refused connection would
 * not spend any (an outage waits), which is why the receiver answers rather than being absent.
 */

let server: RunningServer;
let receiver: Server;
let refused = 0;
let removeDir: () => Promise<void> = () => Promise.resolve();

beforeAll(async () => {
  await ensureBuilt();
  receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      refused += 1;
      response.writeHead(400, { 'content-type': 'text/plain' }).end('not today');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as AddressInfo;
  const dir = await tempDirectory();
  removeDir = dir.remove;
  const outlets = join(dir.path, 'outlets.yaml');
  await writeFile(
    outlets,
    [
      'outlets:',
      '  - name: refused',
      '    type: webhook',
      `    url: http://127.0.0.1:${port}/hooks`,
      '    secret: a-webhook-secret-for-the-test',
      '    events: [JourneyStarted, UnitOfWorkCreated]',
      '    retry: {maxAttempts: 1}',
    ].join('\n'),
  );
  server = await startServer({ serveArgs: ['--outlets', outlets] });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => receiver?.close(resolve));
  await removeDir();
});

interface DeadLetters {
  items: {
    eventId: string;
    type: string;
    attempts: number;
    lastError: string;
    deadAt: string;
    replayRequestedAt: string | null;
  }[];
  nextCursor: string | null;
}

it('lists the outlets and the dead letters of one refused by its receiver', async () => {
  expect((await journey(['start', 'hooked'], server.env('admin'))).code).toBe(0);
  await expect
    .poll(
      async () => {
        const run = await journey(['outlets', '--json'], server.env('viewer'));
        const body = JSON.parse(run.stdout) as { items: { name: string; deadLetters: number }[] };
        return body.items.find((o) => o.name === 'refused')?.deadLetters ?? 0;
      },
      { timeout: 20_000, interval: 300 },
    )
    .toBe(2);
  const table = await journey(['outlets'], server.env('viewer'));
  expect(table.code).toBe(0);
  expect(table.stdout).toMatch(/^NAME +DELIVERED +DEAD LETTERS +DELIVERING PROCESS +UPDATED/);
  expect(table.stdout).toMatch(/^refused +0 +2 +\S+:\d+/m);

  const letters = await journey(['dead-letters', 'refused'], server.env('viewer'));
  expect(letters.code).toBe(0);
  expect(letters.stdout).toMatch(/^EVENT ID +TYPE +JOURNEY +ATTEMPTS +LAST ERROR +DEAD AT/);
  expect(letters.stdout).toMatch(/ JourneyStarted +\S+ +1 +HTTP 400 from http:\/\/127\.0\.0\.1/);
  expect(letters.stdout).toMatch(/ UnitOfWorkCreated /);
  expect(letters.stdout).not.toContain('more dead letters');

  const first = await journey(['dead-letters', 'refused', '--limit', '1'], server.env('viewer'));
  expect(first.stdout.trim().split('\n')).toHaveLength(3);
  expect(first.stdout).toContain('more dead letters: raise --limit (up to 500) or add --all-pages');
  const all = await journey(
    ['dead-letters', 'refused', '--limit', '1', '--all-pages', '--json'],
    server.env('viewer'),
  );
  const body = JSON.parse(all.stdout) as DeadLetters;
  expect(body.items.map((l) => l.type)).toEqual(['JourneyStarted', 'UnitOfWorkCreated']);
  expect(body.nextCursor).toBeNull();
});

it('discards one dead letter, replays another, and replays them all', async () => {
  const listed = await journey(['dead-letters', 'refused', '--json'], server.env('viewer'));
  const [started, created] = (JSON.parse(listed.stdout) as DeadLetters).items;
  if (started === undefined || created === undefined) {
    throw new Error(`expected two dead letters, got ${listed.stdout}`);
  }

  const discard = await journey(['discard', 'refused', created.eventId], server.env('operator'));
  expect(discard.code).toBe(0);
  expect(discard.stdout).toBe(`discarded ${created.eventId} from the dead letters of refused\n`);
  const again = await journey(['discard', 'refused', created.eventId], server.env('operator'));
  expect(again.code).toBe(66);
  expect(again.stderr).toMatch(/has no dead letter .*\[NOT_FOUND\]/);

  const before = refused;
  const one = await journey(['replay', 'refused', started.eventId], server.env('operator'));
  expect(one.code).toBe(0);
  expect(one.stdout).toBe(
    `replay requested: ${started.eventId} on refused; the relay delivers again shortly\n`,
  );
  // Delivered again, refused again: still a dead letter, with the new error.
  await expect.poll(() => refused, { timeout: 15_000 }).toBeGreaterThan(before);
  // The failed replay leaves the dead letter in place (its place in the list too: deadAt stays
  // when it first died), one attempt more, no longer waiting for a replay: nothing is lost by
  // replaying into a receiver that still refuses.
  await expect
    .poll(
      async () => {
        const run = await journey(['dead-letters', 'refused', '--json'], server.env('viewer'));
        const letter = (JSON.parse(run.stdout) as DeadLetters).items.find(
          (l) => l.eventId === started.eventId,
        );
        return (
          letter !== undefined &&
          letter.replayRequestedAt === null &&
          letter.attempts === started.attempts + 1 &&
          letter.deadAt === started.deadAt
        );
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  const all = await journey(['replay', 'refused', '--all', '--json'], server.env('operator'));
  expect(all.code).toBe(0);
  expect(JSON.parse(all.stdout)).toEqual({ requested: 1 });
  const human = await journey(['replay', 'refused', '--all'], server.env('operator'));
  expect(human.stdout).toMatch(/^replay requested: [01] dead letters? of refused;/);
});

it('refuses what it cannot do with the usual exit codes', async () => {
  const [viewer, neither, both, unknown, badName] = await Promise.all([
    journey(['replay', 'refused', '--all'], server.env('viewer')),
    journey(['replay', 'refused'], server.env('operator')),
    journey(['replay', 'refused', 'some-id', '--all'], server.env('operator')),
    journey(['dead-letters', 'nowhere'], server.env('viewer')),
    journey(['dead-letters', 'Not_An_Outlet'], server.env('viewer')),
  ]);
  expect(viewer.code).toBe(77);
  expect(viewer.stderr).toMatch(/\[FORBIDDEN\]/);
  for (const run of [neither, both]) {
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/^error: give one event id or --all \(not both\)$/m);
  }
  expect(unknown.code).toBe(66);
  expect(unknown.stderr).toMatch(/No outlet named nowhere/);
  expect(badName.code).toBe(64);
  expect(badName.stderr).toMatch(/is not an outlet name/);
  const help = await journey(['dead-letters', '--help']);
  expect(help.stdout).toContain('Examples:');
  expect(help.stdout).toContain('journey replay crm --all');
});
