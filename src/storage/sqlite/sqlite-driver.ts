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

/**
 * What a write (see `SqliteDriver.write`) may do: run prepared statements, synchronously, in the
 * transaction it is given. Statements take positional `?` parameters.
 */
export interface SqliteWriter {
  /** The statement for `sql`, prepared once per connection. */
  statement(sql: string): Database.Statement;
}

interface QueuedWrite {
  readonly work: (writer: SqliteWriter) => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

type Outcome =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: Error };

/**
 * After SQLite rolled back a whole group: rejects the writes that had failed by themselves, and
 * returns those that had succeeded (their changes are gone, so they must be written again).
 */
function settleRefused(group: readonly QueuedWrite[], outcomes: readonly Outcome[]): QueuedWrite[] {
  const again: QueuedWrite[] = [];
  outcomes.forEach((outcome, index) => {
    const write = group[index];
    if (write === undefined) {
      return;
    }
    if (outcome.ok) {
      again.push(write);
    } else {
      write.reject(outcome.error);
    }
  });
  return again;
}

/** How many queued writes at most share one transaction. */
const MAX_GROUP = 64;
/** Groups committed back to back in microtasks before one waits for the event loop. */
const GROUPS_BEFORE_YIELD = 8;

export class SqliteDriver implements SqlDriver {
  readonly #db: Database.Database;
  readonly #key: string;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #session: SqlSession;
  readonly #writer: SqliteWriter;
  /** Writes waiting for the next group commit. */
  #queued: QueuedWrite[] = [];
  #groupsWithoutYield = 0;

  private constructor(db: Database.Database, key: string) {
    this.#db = db;
    this.#key = key;
    this.#session = {
      all: <T extends Row>(sql: string, params?: readonly SqlValue[]) =>
        Promise.resolve(this.#statement(sql).all(bind(params)) as T[]),
      run: (sql, params) => Promise.resolve(this.#statement(sql).run(bind(params)).changes),
      exec: (sql) => Promise.resolve(void this.#db.exec(sql)),
    };
    this.#writer = { statement: (sql) => this.#statement(sql) };
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

  /**
   * Runs `work` (synchronous: it only runs statements) in a write transaction, with group
   * commit: the writes queued while this file's previous turn runs, or issued by the same round
   * of promise callbacks (concurrent writers resuming together), share one transaction, hence
   * one WAL sync, each in a savepoint of its own. A write that throws is rolled back to its
   * savepoint and rejected alone; the others commit. Every promise settles only after the
   * transaction committed (or failed), so an acknowledged write is as durable as one committed
   * alone. A lone write pays no savepoint.
   */
  write<T>(work: (writer: SqliteWriter) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queued.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.#queued.length === 1) {
        this.#scheduleGroup();
      }
    });
  }

  close(): Promise<void> {
    return inTurn(this.#key, () => {
      this.#db.close();
    });
  }

  /**
   * Takes this file's turn now (so a close or a read asked for later waits for these writes),
   * and commits the group a microtask after the turn comes: writers resumed by the same round of
   * promise callbacks have queued their writes by then. (A macrotask, `setImmediate`, gathered
   * no more writes and cost a 1-writer append a trip through the event loop.) But writers that
   * queue again as soon as they resume would keep the chain in microtasks for ever, and timers
   * and I/O (lease extensions, HTTP, agent replies) would starve: every few groups in a row, the
   * next one waits for the event loop.
   */
  #scheduleGroup(): void {
    const yieldFirst = this.#groupsWithoutYield >= GROUPS_BEFORE_YIELD;
    this.#groupsWithoutYield = yieldFirst ? 0 : this.#groupsWithoutYield + 1;
    const defer = yieldFirst ? (run: () => void) => setImmediate(run) : queueMicrotask;
    void inTurn(
      this.#key,
      () =>
        new Promise<void>((done) => {
          defer(() => {
            const group = this.#queued.splice(0, MAX_GROUP);
            if (this.#queued.length > 0) {
              this.#scheduleGroup();
            }
            let pending = group;
            while (pending.length > 0) {
              pending = this.#commitGroup(pending);
            }
            done();
          });
        }),
    );
  }

  /**
   * One transaction for `group`; settles every write in it, except those it returns: writes
   * whose changes were lost when SQLite itself rolled the transaction back (an I/O error, a full
   * disk) because of a later write. Those did not fail, so they are written again.
   */
  #commitGroup(group: readonly QueuedWrite[]): QueuedWrite[] {
    const shared = group.length > 1;
    const outcomes: Outcome[] = [];
    try {
      this.#statement('BEGIN IMMEDIATE').run();
      for (const [index, write] of group.entries()) {
        if (shared) {
          this.#statement('SAVEPOINT write').run();
        }
        try {
          const value = write.work(this.#writer);
          if (shared) {
            this.#statement('RELEASE write').run();
          }
          outcomes.push({ ok: true, value });
        } catch (thrown) {
          const error = sqliteError(thrown, this.#key);
          if (!this.#db.inTransaction) {
            write.reject(error);
            return settleRefused(group, outcomes).concat(group.slice(index + 1));
          }
          if (shared) {
            this.#statement('ROLLBACK TO write').run();
            this.#statement('RELEASE write').run();
          }
          outcomes.push({ ok: false, error });
        }
      }
      this.#statement(outcomes.some((outcome) => outcome.ok) ? 'COMMIT' : 'ROLLBACK').run();
    } catch (thrown) {
      // BEGIN, COMMIT or a savepoint failed: nothing of the group was written.
      const error = sqliteError(thrown, this.#key);
      this.#rollback();
      group.forEach((write, index) => {
        const outcome = outcomes[index];
        write.reject(outcome?.ok === false ? outcome.error : error);
      });
      return [];
    }
    group.forEach((write, index) => {
      const outcome = outcomes[index];
      if (outcome?.ok === true) {
        write.resolve(outcome.value);
      } else {
        write.reject(outcome?.error ?? new Error('write was not run'));
      }
    });
    return [];
  }

  #rollback(): void {
    if (this.#db.inTransaction) {
      try {
        this.#statement('ROLLBACK').run();
      } catch {
        // The connection is unusable; the error being reported says why.
      }
    }
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
