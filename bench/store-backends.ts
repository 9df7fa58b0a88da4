import { mkdtemp, rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Store } from '../src/application/ports.js';
import { parseDatabaseUrl } from '../src/config/database-url.js';
import { openStore } from '../src/storage/open-store.js';
import { postgresRawCommits, sqliteRawCommits, type RawCommits } from './raw-commits.js';

/** One database under test: the store on it, and the raw committer beside it. */
export interface BenchBackend {
  readonly name: 'sqlite' | 'postgres';
  /** Where it lives and how it is set up, for the report. */
  readonly description: string;
  readonly store: Store;
  readonly raw: RawCommits;
  /** Closes everything and removes the database (file or schema). */
  close(): Promise<void>;
}

/** A fresh SQLite file in `directory`, in WAL mode with synchronous=FULL (the store's default). */
export async function sqliteBackend(directory: string): Promise<BenchBackend> {
  const dir = await mkdtemp(join(directory, 'journey-bench-'));
  const file = join(dir, 'bench.db');
  const store = await openStore(`sqlite:${file}`, { sqlite: { synchronous: 'full' } });
  const raw = sqliteRawCommits(file);
  return {
    name: 'sqlite',
    description: `sqlite ${file} (WAL, synchronous=FULL)`,
    store,
    raw,
    async close() {
      await raw.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh schema `bench_store_<pid>` on the PostgreSQL server at `url`, dropped afterwards.
 * Resolves to a reason instead when no server answers there.
 */
export async function postgresBackend(url: string): Promise<BenchBackend | { skipped: string }> {
  const schema = `bench_store_${process.pid}`;
  const base = parseDatabaseUrl(url, '--postgres');
  if (base.backend !== 'postgres') {
    return { skipped: `--postgres ${url} is not a PostgreSQL URL` };
  }
  const connectionString = withDefaultUser(base.connectionString);
  const admin = new pg.Client({ connectionString, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (error) {
    // Why: the connection failed, so there is nothing to end; the reason is reported below.
    await admin.end().catch(() => undefined);
    return {
      skipped: `no PostgreSQL answers at ${base.display}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const dropSchema = async (): Promise<void> => {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  };
  try {
    const store = await openStore(
      { ...base, schema, display: `${base.display}?schema=${schema}` },
      { postgres: { poolSize: 8 } },
    );
    const raw = await postgresRawCommits(connectionString, schema);
    const settings = await admin.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync')`,
    );
    const described = settings.rows.map((row) => `${row.name}=${row.setting}`).join(', ');
    return {
      name: 'postgres',
      description: `postgres ${base.display}?schema=${schema} (pool of 8; ${described})`,
      store,
      raw,
      async close() {
        await raw.close();
        await store.close();
        await dropSchema();
      },
    };
  } catch (error) {
    await dropSchema();
    throw error;
  }
}

/** Like libpq (and the store's driver), log in as the operating-system user when the URL names none. */
function withDefaultUser(connectionString: string): string {
  const url = new URL(connectionString);
  if (url.username === '') {
    url.username = userInfo().username;
  }
  return url.toString();
}
