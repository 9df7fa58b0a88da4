import { userInfo } from 'node:os';
import pg from 'pg';
import type { Row, SqlDriver, SqlSession, SqlValue } from '../sql.js';
import { postgresError } from './postgres-errors.js';

export interface PostgresDriverOptions {
  readonly connectionString: string;
  readonly schema: string;
  /** host:port/database, for messages. */
  readonly display: string;
  readonly poolSize: number;
}

function sessionOf(client: pg.Pool | pg.PoolClient): SqlSession {
  return {
    all: async <T extends Row>(sql: string, params?: readonly SqlValue[], prepareAs?: string) => {
      const values = (params ?? []) as SqlValue[];
      const result =
        prepareAs === undefined
          ? await client.query<T>(sql, values)
          : await client.query<T>({ name: prepareAs, text: sql, values });
      return result.rows;
    },
    run: async (sql, params) =>
      (await client.query(sql, params as SqlValue[] | undefined)).rowCount ?? 0,
    exec: async (sql) => {
      await client.query(sql);
    },
  };
}

/**
 * Like libpq, log in as the operating-system user when the URL names none. (pg would use $USER,
 * which is unset under CI and systemd; and a `user` option is overridden by the URL's empty one.)
 */
function withDefaultUser(connectionString: string): string {
  const url = new URL(connectionString);
  if (url.username === '') {
    url.username = userInfo().username;
  }
  return url.toString();
}

/** A pool of connections whose search_path is our schema, so SQL never names the schema. */
export class PostgresDriver implements SqlDriver {
  readonly #pool: pg.Pool;
  readonly #session: SqlSession;
  readonly #display: string;

  private constructor(pool: pg.Pool, display: string) {
    this.#pool = pool;
    this.#session = sessionOf(pool);
    this.#display = display;
  }

  /** Connects once to fail early, with a message an operator can act on. */
  static async open(options: PostgresDriverOptions): Promise<PostgresDriver> {
    const pool = new pg.Pool({
      connectionString: withDefaultUser(options.connectionString),
      max: options.poolSize,
      connectionTimeoutMillis: 5_000,
      options: `-c search_path=${options.schema}`,
    });
    // An idle connection can drop (server restart); the pool replaces it. Without a listener the
    // 'error' event would crash the process, so say what happened instead.
    pool.on('error', (error) => {
      console.error(
        `journey-orchestrator: an idle PostgreSQL connection to ${options.display} failed: ${error.message}`,
      );
    });
    const driver = new PostgresDriver(pool, options.display);
    try {
      await pool.query('SELECT 1');
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw postgresError(error, options.display);
    }
    return driver;
  }

  all<T extends Row = Row>(
    sql: string,
    params?: readonly SqlValue[],
    prepareAs?: string,
  ): Promise<T[]> {
    return this.#guard(() => this.#session.all<T>(sql, params, prepareAs));
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.#guard(() => this.#session.run(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.#guard(() => this.#session.exec(sql));
  }

  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.#guard(async () => {
      const client = await this.#pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(sessionOf(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    });
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  async #guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw postgresError(error, this.#display);
    }
  }
}
