import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DatabaseTooNewError, StorageUnavailableError } from '../../src/application/errors.js';
import { parseDatabaseUrl } from '../../src/config/database-url.js';
import type { Dialect } from '../../src/storage/dialect.js';
import { migrate } from '../../src/storage/migrator.js';
import { openStore } from '../../src/storage/open-store.js';
import { postgresDialect } from '../../src/storage/postgres/postgres-dialect.js';
import { PostgresDriver } from '../../src/storage/postgres/postgres-driver.js';
import type { SqlDriver } from '../../src/storage/sql.js';
import { sqliteDialect } from '../../src/storage/sqlite/sqlite-dialect.js';
import { SqliteDriver } from '../../src/storage/sqlite/sqlite-driver.js';
import { forEachBackend } from '../support/backends.js';
import { started, T0 } from '../support/journey-fixtures.js';

/** A raw connection to a test database, bypassing the store (to build old or foreign schemas). */
async function rawConnection(url: string): Promise<{ driver: SqlDriver; dialect: Dialect }> {
  const target = parseDatabaseUrl(url);
  if (target.backend === 'sqlite') {
    return {
      driver: SqliteDriver.open(target.path, { synchronous: 'full', busyTimeout: 5_000 }),
      dialect: sqliteDialect,
    };
  }
  const driver = await PostgresDriver.open({ ...target, poolSize: 1 });
  return { driver, dialect: postgresDialect(target.schema) };
}

forEachBackend((backend) => {
  it('upgrades a database of an older schema version in place, keeping what it holds', async () => {
    const { url } = await backend.freshDatabase({ migrate: false });
    const { driver, dialect } = await rawConnection(url);
    // The database of a release that had only the first migration, holding one event.
    await migrate(driver, { ...dialect, migrations: dialect.migrations.slice(0, 1) }, () => T0);
    await driver.run(
      `INSERT INTO events (event_id, stream_id, stream_type, version, journey_id, type, data, metadata, occurred_at, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        'e-1',
        'j-1',
        'journey',
        1,
        'j-1',
        started.type,
        JSON.stringify(started),
        '{"causedBy":"admin","correlationId":"c","causationId":null}',
        T0,
        T0,
      ],
    );
    await driver.close();

    const store = await backend.open({ migrate: false }, url);
    const report = await store.migrate();
    expect(report.from).toBe(1);
    expect(report.to).toBe(dialect.migrations.length);
    expect(report.applied.map((m) => m.version)).toEqual(
      dialect.migrations.slice(1).map((m) => m.version),
    );
    const [event] = await store.readStream('j-1');
    expect(event?.event).toEqual(started);
    await store.enqueue([{ kind: 'recheck', payload: {}, dueAt: T0 }]);
    expect(await store.countQueued()).toBe(1);
    expect((await store.migrate()).applied).toEqual([]);
  });

  it('refuses a database migrated by a newer release, without touching it', async () => {
    const { url, store } = await backend.freshDatabase();
    await store.close();
    const { driver } = await rawConnection(url);
    await driver.run(
      'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
      [99, '0099_future', T0],
    );
    await expect(openStore(url)).rejects.toBeInstanceOf(DatabaseTooNewError);
    await expect(openStore(url, { migrate: false })).rejects.toThrow(/version 99 .* only up to/);
    const [row] = await driver.all('SELECT MAX(version) AS v FROM schema_migrations');
    expect(Number(row?.v)).toBe(99);
    await driver.close();
  });
});

forEachBackend(
  () => {
    it('says so when another process holds the SQLite file locked', async () => {
      const path = join(mkdtempSync(join(tmpdir(), 'journey-lock-')), 'locked.db');
      await (await openStore(`sqlite:${path}`)).close();
      // Another process takes the write lock and keeps it.
      const holder = spawn(
        process.execPath,
        [
          '-e',
          `const D=require('better-sqlite3');const d=new D(${JSON.stringify(path)});d.exec('BEGIN IMMEDIATE');console.log('locked');setTimeout(()=>{},20000)`,
        ],
        { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
      );
      try {
        await new Promise<void>((resolve, reject) => {
          holder.stdout.once('data', () => resolve());
          holder.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
        });
        const opening = openStore(`sqlite:${path}`, { sqlite: { busyTimeout: 100 } });
        await expect(opening).rejects.toBeInstanceOf(StorageUnavailableError);
        await expect(openStore(`sqlite:${path}`, { sqlite: { busyTimeout: 100 } })).rejects.toThrow(
          /locked by another process/,
        );
      } finally {
        holder.kill('SIGKILL');
      }
    });
  },
  { only: ['sqlite'] },
);
