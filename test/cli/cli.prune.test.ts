import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/storage/open-store.js';
import { runCli, seedJourneys, tempDirectory } from './run-cli.js';

const NOW = '2026-11-28T12:00:00.000Z';
let dir: { path: string; remove: () => Promise<void> };
let db: string;

beforeEach(async () => {
  dir = await tempDirectory();
  db = `sqlite:${join(dir.path, 'journeys.db')}`;
  await seedJourneys(db, [
    // Ended three years ago: its history goes.
    {
      journeyId: 'j-old',
      startedAt: '2023-01-10T09:00:00.000Z',
      endedAt: '2023-02-01T09:00:00.000Z',
    },
    // Started even earlier but still active: never pruned, whatever its age.
    { journeyId: 'j-active', startedAt: '2022-05-01T09:00:00.000Z' },
    // Ended a year ago: inside the retention period.
    {
      journeyId: 'j-recent',
      startedAt: '2025-10-01T09:00:00.000Z',
      endedAt: '2025-11-01T09:00:00.000Z',
    },
  ]);
});

afterEach(async () => {
  await dir.remove();
});

async function journeysLeft(): Promise<string[]> {
  const store = await openStore(db);
  try {
    const ids: string[] = [];
    for (const id of ['j-old', 'j-active', 'j-recent']) {
      const found = await store.findJourney(id);
      const events = await store.readStream(id);
      expect(found === null).toBe(events.length === 0);
      if (found !== null) {
        ids.push(id);
      }
    }
    return ids;
  } finally {
    await store.close();
  }
}

describe('journey prune', () => {
  it('removes the history of journeys that ended before the cutoff, never an active one', async () => {
    const { out, err, exitCode } = await runCli(['prune', '--older-than', '2y', '--db', db], {
      now: NOW,
    });
    expect(err).toBe('');
    expect(exitCode).toBe(0);
    // 2y = 730 days before NOW.
    expect(out).toBe(
      [
        `removed from sqlite ${join(dir.path, 'journeys.db')} the history of journeys ended before 2024-11-28T12:00:00.000Z:`,
        '  journeys       1',
        '  units of work  0',
        '  events         2',
        '  work items     0',
        'journey ids: j-old',
        '',
      ].join('\n'),
    );
    expect(await journeysLeft()).toEqual(['j-active', 'j-recent']);

    const again = await runCli(['prune', '--older-than', '2y', '--db', db], { now: NOW });
    expect(again.out).toBe(
      `nothing to prune in sqlite ${join(dir.path, 'journeys.db')}: no journey ended before 2024-11-28T12:00:00.000Z\n`,
    );
  });

  it('reports without removing anything with --dry-run', async () => {
    const dry = await runCli(['prune', '--older-than', '300d', '--dry-run', '--db', db], {
      now: NOW,
    });
    expect(dry.exitCode).toBe(0);
    expect(dry.out).toMatch(
      /^dry run: would remove from sqlite .+ ended before 2026-02-01T12:00:00\.000Z:\n/,
    );
    expect(dry.out).toContain('  journeys       2\n');
    expect(dry.out).toContain('journey ids: j-old, j-recent\n');
    expect(await journeysLeft()).toEqual(['j-old', 'j-active', 'j-recent']);
  });

  it('prints the report as JSON with --json', async () => {
    const { out, exitCode } = await runCli(
      ['prune', '--older-than', '1y20d', '--json', '--db', db],
      { now: NOW },
    );
    expect(exitCode).toBe(0);
    expect(JSON.parse(out)).toEqual({
      database: `sqlite ${join(dir.path, 'journeys.db')}`,
      dryRun: false,
      olderThan: '1y20d',
      cutoff: '2025-11-08T12:00:00.000Z',
      journeys: 2,
      unitsOfWork: 0,
      events: 4,
      workItems: 0,
      journeyIds: expect.arrayContaining(['j-old', 'j-recent']) as unknown,
    });
    expect(await journeysLeft()).toEqual(['j-active']);
  });

  it('lists the first 20 journey ids and how many more', async () => {
    await seedJourneys(
      db,
      Array.from({ length: 24 }, (_, index) => ({
        journeyId: `j-gone-${String(index).padStart(2, '0')}`,
        startedAt: '2020-01-01T09:00:00.000Z',
        endedAt: '2020-01-02T09:00:00.000Z',
      })),
    );
    const { out } = await runCli(['prune', '--older-than', '2y', '--db', db], { now: NOW });
    expect(out).toContain('  journeys       25\n');
    const ids = /^journey ids: (.+) and (\d+) more$/m.exec(out);
    expect(ids?.[1]?.split(', ')).toHaveLength(20);
    expect(ids?.[2]).toBe('5');
  });

  it('refuses a duration it cannot read, naming --older-than, with exit code 64', async () => {
    for (const bad of ['two years', '2', '-2y', 'y', '']) {
      const { out, err, exitCode } = await runCli(['prune', '--older-than', bad, '--db', db]);
      expect(exitCode).toBe(64);
      expect(out).toBe('');
      expect(err).toMatch(/^error: --older-than: /);
    }
    expect(await journeysLeft()).toEqual(['j-old', 'j-active', 'j-recent']);
  });

  it('needs --older-than', async () => {
    const { err, exitCode } = await runCli(['prune', '--db', db]);
    expect(exitCode).toBe(1);
    expect(err).toContain("required option '--older-than <duration>' not specified");
  });
});
