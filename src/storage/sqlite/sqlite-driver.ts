import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Millis } from '../../domain/index.js';
import type { Row, SqlDriver, SqlSession, SqlValue } from '../sql.js';
import { sqliteError } from './sqlite-errors.js';

export interface SqliteDriverOptions {
  readonly synchronous: 'full' | 'normal';
  readonly busyTimeout: Millis;
}

/**
 * Transactions of every driver on one file in this process take turns. better-sqlite3 waits for
 * a busy lock synchronously, so a second connection in the same process would block the event
 * loop that the first connection's transaction needs to finish: a deadlock until the busy
 * timeout. Other processes are kept apart by SQLite's own lock (BEGIN IMMEDIATE + busy_timeout).
 */
const turns = new Map<string, Promise<unknown>>();

function inTurn<T>(key: string, work: () => Promise<T> | T): Promise<T> {
  const previous = turns.get(key) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.then(
    () => undefined,
    () => undefined,
  );
  turns.set(key, settled);
  void settled.then(() => {
    if (turns.get(key) === settled) {
      turns.delete(key);
    }
  });
  return next;
}

/** better-sqlite3 binds `$1` as the named parameter "1" and cannot bind booleans. */
function bind(params: readonly SqlValue[] = []): Record<string, string | number | null> {
  const bound: Record<string, string | number | null> = {};
  params.forEach((value, index) => {
    bound[String(index + 1)] = typeof value === 'boolean' ? Number(value) : value;
  });
  return bound;
}

export class SqliteDriver implements SqlDriver {
  readonly #db: Database.Database;
  readonly #key: string;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #session: SqlSession;

  private constructor(db: Database.Database, key: string) {
    this.#db = db;
    this.#key = key;
    this.#session = {
      all: <T extends Row>(sql: string, params?: readonly SqlValue[]) =>
        Promise.resolve(this.#statement(sql).all(bind(params)) as T[]),
      run: (sql, params) => Promise.resolve(this.#statement(sql).run(bind(params)).changes),
      exec: (sql) => Promise.resolve(void this.#db.exec(sql)),
    };
  }

  /** Opens (creating the file and its folder if needed) and sets WAL and durability. */
  static open(path: string, options: SqliteDriverOptions): SqliteDriver {
    const file = resolve(path);
    try {
      mkdirSync(dirname(file), { recursive: true });
      const db = new Database(file, { timeout: options.busyTimeout });
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous.toUpperCase()}`);
      db.pragma('foreign_keys = ON');
      // Fail now, not at the first write, when the file cannot be written.
      db.exec('BEGIN IMMEDIATE; COMMIT');
      return new SqliteDriver(db, file);
    } catch (error) {
      throw sqliteError(error, file);
    }
  }

  all<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.#guard(() => this.#session.all<T>(sql, params));
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.#guard(() => this.#session.run(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.#guard(() => this.#session.exec(sql));
  }

  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.#guard(async () => {
      // Prepared once: `exec` would parse these on every transaction.
      this.#statement('BEGIN IMMEDIATE').run();
      try {
        const result = await work(this.#session);
        this.#statement('COMMIT').run();
        return result;
      } catch (error) {
        if (this.#db.inTransaction) {
          this.#statement('ROLLBACK').run();
        }
        throw error;
      }
    });
  }

  close(): Promise<void> {
    return inTurn(this.#key, () => {
      this.#db.close();
    });
  }

  #guard<T>(work: () => Promise<T>): Promise<T> {
    return inTurn(this.#key, async () => {
      try {
        return await work();
      } catch (error) {
        throw sqliteError(error, this.#key);
      }
    });
  }

  #statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}
