import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  DatabaseTooNewError,
  StorageUnavailableError,
} from '../../src/application/errors.js';
import { openStore } from '../../src/storage/open-store.js';
import { runCli, tempDirectory } from './run-cli.js';

let dir: { path: string; remove: () => Promise<void> };
let db: string;

beforeEach(async () => {
  dir = await tempDirectory();
  db = `sqlite:${join(dir.path, 'journeys.db')}`;
});

afterEach(async () => {
  await dir.remove();
});

describe('journey migrate', () => {
  it('applies every migration once, then says the database is already at that version', async () => {
    const first = await runCli(['migrate', '--db', db]);
    expect(first.err).toBe('');
    expect(first.exitCode).toBe(0);
    expect(first.out).toMatch(
      new RegExp(
        `^migrated sqlite ${join(dir.path, 'journeys.db')} from version 0 to (\\d+) \\(applied: 0001_\\w+(, \\d{4}_\\w+)*\\)\\n$`,
      ),
    );
    const version = /to (\d+) /.exec(first.out)?.[1];

    const second = await runCli(['migrate', '--db', db]);
    expect(second).toEqual({
      out: `sqlite ${join(dir.path, 'journeys.db')} is already at version ${version}\n`,
      err: '',
      exitCode: 0,
    });
  });

  it('prints the report as JSON with --json', async () => {
    const { out, exitCode } = await runCli(['migrate', '--json', '--db', db]);
    expect(exitCode).toBe(0);
    const report = JSON.parse(out) as {
      database: string;
      from: number;
      to: number;
      applied: { version: number; name: string }[];
    };
    expect(report.database).toBe(`sqlite ${join(dir.path, 'journeys.db')}`);
    expect(report.from).toBe(0);
    expect(report.applied.length).toBe(report.to);
    expect(report.applied[0]?.version).toBe(1);

    const again = JSON.parse((await runCli(['migrate', '--json', '--db', db])).out) as unknown;
    expect(again).toMatchObject({ from: report.to, to: report.to, applied: [] });
  });

  it('takes the database from JOURNEY_DB when --db is not given, and --db over it', async () => {
    const fromEnvironment = await runCli(['migrate'], { environment: { databaseUrl: db } });
    expect(fromEnvironment.out).toMatch(/^migrated sqlite /);

    const other = `sqlite:${join(dir.path, 'other.db')}`;
    const fromFlag = await runCli(['migrate', '--db', other], { environment: { databaseUrl: db } });
    expect(fromFlag.out).toContain(`migrated sqlite ${join(dir.path, 'other.db')} `);
  });
});

describe('store commands with a database they cannot use', () => {
  it('refuses a bad --db value with exit code 64 and a message naming --db', async () => {
    for (const command of [['migrate'], ['prune', '--older-than', '2y']]) {
      const { out, err, exitCode } = await runCli([...command, '--db', 'mysql://127.0.0.1/x']);
      expect(exitCode).toBe(ConfigError.exitCode);
      expect(exitCode).toBe(64);
      expect(out).toBe('');
      expect(err).toMatch(/^error: --db: "mysql:\/\/127\.0\.0\.1\/x" is not a supported database/);
      expect(err).not.toContain('    at ');
    }
  });

  it('names JOURNEY_DB when the bad value came from the environment', async () => {
    const { err, exitCode } = await runCli(['migrate'], {
      environment: { databaseUrl: 'sqlite::memory:' },
    });
    expect(exitCode).toBe(64);
    expect(err).toMatch(/^error: JOURNEY_DB: /);
  });

  it('reports a path through a regular file with exit code 69', async () => {
    // A file where a folder should be: refused even for root, unlike permissions.
    await writeFile(join(dir.path, 'not-a-folder'), 'x');
    for (const path of [
      join(dir.path, 'not-a-folder', 'journeys.db'),
      join(dir.path, 'not-a-folder', 'deeper', 'journeys.db'),
    ]) {
      const { out, err, exitCode } = await runCli(['migrate', '--db', `sqlite:${path}`]);
      expect(exitCode).toBe(StorageUnavailableError.exitCode);
      expect(exitCode).toBe(69);
      expect(out).toBe('');
      expect(err).toMatch(new RegExp(`^error: sqlite database ${path}: .+\\n$`));
      expect(err).not.toContain('    at ');
    }
  });

  it.skipIf(process.platform !== 'linux')(
    'reports a place where no file can be created (/proc) with exit code 69',
    async () => {
      const { err, exitCode } = await runCli(['migrate', '--db', 'sqlite:/proc/journeys.db']);
      expect(exitCode).toBe(69);
      expect(err).toBe(
        'error: sqlite database /proc/journeys.db: the file cannot be opened: check the path and the folder permissions\n',
      );
    },
  );

  it.skipIf(process.getuid?.() === 0)(
    'reports a read-only directory with exit code 69 (not run as root: root may write anywhere)',
    async () => {
      const readOnly = join(dir.path, 'read-only');
      await mkdir(readOnly, { mode: 0o555 });
      const { err, exitCode } = await runCli([
        'migrate',
        '--db',
        `sqlite:${join(readOnly, 'journeys.db')}`,
      ]);
      expect(exitCode).toBe(69);
      expect(err).toMatch(/^error: sqlite database .+: .+\n$/);
    },
  );

  it('reports a file that is not a database with exit code 69', async () => {
    const path = join(dir.path, 'notes.db');
    await writeFile(path, 'these are not the tables you are looking for\n'.repeat(200));
    const { err, exitCode } = await runCli(['migrate', '--db', `sqlite:${path}`]);
    expect(exitCode).toBe(69);
    expect(err).toMatch(new RegExp(`^error: sqlite database ${path}: .+\\n$`));
  });

  it('refuses a database migrated by a newer release with exit code 75', async () => {
    const path = join(dir.path, 'journeys.db');
    const store = await openStore(db);
    await store.close();
    const file = new Database(path);
    file
      .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
      .run(999, '0999_from_the_future', '2030-01-01T00:00:00.000Z');
    file.close();
    for (const command of [['migrate'], ['prune', '--older-than', '2y']]) {
      const { out, err, exitCode } = await runCli([...command, '--db', db]);
      expect(exitCode).toBe(DatabaseTooNewError.exitCode);
      expect(exitCode).toBe(75);
      expect(out).toBe('');
      expect(err).toMatch(
        /^error: the database schema is at version 999 but this release knows only up to \d+: upgrade/,
      );
    }
  });

  it('says it cannot connect to a PostgreSQL server that does not answer, with exit code 69', async () => {
    const { out, err, exitCode } = await runCli(['migrate', '--db', 'postgres://127.0.0.1:1/test']);
    expect(exitCode).toBe(69);
    expect(out).toBe('');
    expect(err).toMatch(/^error: postgres database 127\.0\.0\.1:1\/test: .*cannot connect/i);
    expect(err).not.toContain('    at ');
  });
});
