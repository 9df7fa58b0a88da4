import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Store } from '../src/application/ports.js';
import { parseDatabaseUrl } from '../src/config/database-url.js';
import { openStore } from '../src/storage/open-store.js';

/**
 * Fresh databases for the engine bench: a new SQLite file (WAL, synchronous=FULL: the store's
 * defaults) in a temporary folder, or a new PostgreSQL schema `<prefix>_<random>`, each removed
 * by `close()`.
 */

export interface EngineBackend {
  readonly name: 'sqlite' | 'postgres';
  readonly description: string;
  readonly store: Store;
  close(): Promise<void>;
}

export async function freshSqlite(directory: string): Promise<EngineBackend & { file: string }> {
  const dir = await mkdtemp(join(directory, 'journey-bench-engine-'));
  const file = join(dir, 'engine.db');
  const store = await openStore(`sqlite:${file}`, { sqlite: { synchronous: 'full' } });
  return {
    name: 'sqlite',
    description: `sqlite ${file} (WAL, synchronous=FULL)`,
    store,
    file,
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A new, empty schema on the server at `url`, and how to drop it. */
export async function freshSchema(
  url: string,
  prefix: string,
): Promise<{ connectionString: string; schema: string; display: string; drop(): Promise<void> }> {
  const base = parseDatabaseUrl(url, '--postgres');
  if (base.backend !== 'postgres') {
    throw new Error(`--postgres ${url} is not a PostgreSQL URL`);
  }
  const schema = `${prefix}_${randomBytes(4).toString('hex')}`;
  const connectionString = withDefaultUser(base.connectionString);
  const admin = new pg.Client({ connectionString, connectionTimeoutMillis: 3000 });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA "${schema}"`);
  } finally {
    await admin.end();
  }
  return {
    connectionString,
    schema,
    display: `${base.display}?schema=${schema}`,
    async drop() {
      const client = new pg.Client({ connectionString });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

export async function freshPostgres(url: string, poolSize: number): Promise<EngineBackend> {
  const fresh = await freshSchema(url, 'bench_engine');
  try {
    const store = await openStore(`${url}${url.includes('?') ? '&' : '?'}schema=${fresh.schema}`, {
      postgres: { poolSize },
    });
    const settings = await describeServer(fresh.connectionString);
    return {
      name: 'postgres',
      description: `postgres ${fresh.display} (pool of ${poolSize}; ${settings})`,
      store,
      async close() {
        await store.close();
        await fresh.drop();
      },
    };
  } catch (error) {
    await fresh.drop();
    throw error;
  }
}

async function describeServer(connectionString: string): Promise<string> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync', 'max_connections') ORDER BY name`,
    );
    const version = await client.query<{ v: string }>(
      `SELECT current_setting('server_version') AS v`,
    );
    return [
      `PostgreSQL ${version.rows[0]?.v ?? '?'}`,
      ...rows.map((row) => `${row.name}=${row.setting}`),
    ].join(', ');
  } finally {
    await client.end();
  }
}

/** Like libpq (and the store's driver), log in as the operating-system user when the URL names none. */
export function withDefaultUser(connectionString: string): string {
  const url = new URL(connectionString);
  if (url.username === '') {
    url.username = userInfo().username;
  }
  return url.toString();
}
