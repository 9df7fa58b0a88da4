import type { Clock, Store } from '../application/ports.js';
import { parseDatabaseUrl, type DatabaseUrl } from '../config/database-url.js';
import type { Millis } from '../domain/index.js';
import { systemClock } from '../runtime/system-clock.js';
import { checkVersion } from './migrator.js';
import { postgresDialect } from './postgres/postgres-dialect.js';
import { PostgresDriver } from './postgres/postgres-driver.js';
import { SqlStore } from './sql-store.js';
import type { SqlDriver } from './sql.js';
import { sqliteDialect } from './sqlite/sqlite-dialect.js';
import { SqliteDriver } from './sqlite/sqlite-driver.js';
import { acquireOwnerLock, type OwnerLock } from './sqlite/sqlite-owner-lock.js';

export interface StoreOptions {
  /** The store's clock, for `recordedAt` and `updatedAt`. @default the system clock */
  readonly clock?: Clock;
  /**
   * Apply pending migrations on open. When false, only refuse a database newer than the code,
   * and leave an older one for `store.migrate()` (what `journey migrate` does). @default true
   */
  readonly migrate?: boolean;
  readonly sqlite?: {
    /** `full` survives power loss; `normal` survives process crashes only. @default 'full' */
    readonly synchronous?: 'full' | 'normal';
    /** How long to wait for another connection's write lock. @default 5000 */
    readonly busyTimeout?: Millis;
  };
  /**
   * Open as the engine that owns the database: on SQLite, refuse when another process owns it
   * (see sqlite-owner-lock.ts); on PostgreSQL, where engines share the work, nothing. @default false
   */
  readonly owner?: boolean;
  readonly postgres?: {
    /** Connections in the pool. @default 10 */
    readonly poolSize?: number;
  };
}

/** Opens (and by default migrates) the store named by a `--db` value. */
export async function openStore(
  url: string | DatabaseUrl,
  options: StoreOptions = {},
): Promise<Store> {
  const target = typeof url === 'string' ? parseDatabaseUrl(url) : url;
  const clock = options.clock ?? systemClock;
  let driver: SqlDriver;
  let lock: OwnerLock | undefined;
  const dialect = target.backend === 'sqlite' ? sqliteDialect : postgresDialect(target.schema);
  if (target.backend === 'sqlite') {
    // Before the store is opened: a refused owner must not even migrate the database.
    lock = options.owner === true ? acquireOwnerLock(target.path) : undefined;
    try {
      driver = SqliteDriver.open(target.path, {
        synchronous: options.sqlite?.synchronous ?? 'full',
        busyTimeout: options.sqlite?.busyTimeout ?? 5_000,
      });
    } catch (error) {
      lock?.release();
      throw error;
    }
  } else {
    driver = await PostgresDriver.open({
      connectionString: target.connectionString,
      schema: target.schema,
      display: target.display,
      poolSize: options.postgres?.poolSize ?? 10,
    });
  }
  const store = new SqlStore(driver, dialect, clock);
  if (lock !== undefined) {
    releaseOnClose(store, lock);
  }
  try {
    if (options.migrate ?? true) {
      await store.migrate();
    } else {
      await checkVersion(driver, dialect);
    }
  } catch (error) {
    // The open failure is what the caller must see; a failure to close on top adds nothing.
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}

/** The owner lock lasts as long as the store: closing the store releases it. */
function releaseOnClose(store: SqlStore, lock: OwnerLock): void {
  const close = store.close.bind(store);
  Object.defineProperty(store, 'close', {
    value: async () => {
      try {
        await close();
      } finally {
        lock.release();
      }
    },
  });
}
