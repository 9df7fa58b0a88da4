import type { GlobalPosition } from '../../application/ports.js';
import type { CommitPlan } from '../commit-plan.js';
import type { Dialect } from '../dialect.js';
import { selectEvents } from '../sql-events.js';
import { placeholders, type Row, type SqlDriver, type SqlSession } from '../sql.js';
import { isActiveJourneyViolation, writeSqlitePlan } from './sqlite-commit.js';
import { SqliteDriver } from './sqlite-driver.js';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js';

/**
 * SQLite has one writer at a time and every write transaction takes the lock up front (BEGIN
 * IMMEDIATE), so positions are handed out in commit order: the global log is read by position
 * alone, and a claim needs no row locks.
 */
export const sqliteDialect: Dialect = {
  backend: 'sqlite',
  migrations: SQLITE_MIGRATIONS,
  singleStatementAutocommit: false,
  executeCommit(driver: SqlDriver, plan: CommitPlan) {
    if (!(driver instanceof SqliteDriver)) {
      return Promise.reject(new TypeError('the SQLite dialect needs the SQLite driver'));
    }
    // Group commit: commits queued in the same turn share one transaction (sqlite-driver.ts).
    return driver.write((writer) => writeSqlitePlan(writer, plan));
  },
  async prepareMigration(session: SqlSession) {
    await session.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
  },
  claimSql(kindCount: number) {
    const kinds = kindCount > 0 ? `AND kind IN (${placeholders(kindCount, 5)})` : '';
    return `UPDATE work_items SET lease_owner = $1, lease_expires_at = $2, available_at = $2, attempts = attempts + 1
      WHERE id IN (SELECT id FROM work_items WHERE available_at <= $3 ${kinds} ORDER BY available_at, id LIMIT $4)
      RETURNING *`;
  },
  async readAll(session: SqlSession, after: GlobalPosition, limit: number) {
    const rows = await session.all(
      `${selectEvents(sqliteDialect)} WHERE position > $1 ORDER BY position LIMIT $2`,
      [Number(after), limit],
    );
    return { rows, next: rows.length > 0 ? String(rows.at(-1)?.position) : after };
  },
  async headPosition(session: SqlSession) {
    const [row] = await session.all('SELECT COALESCE(MAX(position), 0) AS head FROM events');
    return String(Number(row?.head ?? 0));
  },
  isPosition: (value: string) => /^\d{1,15}$/.test(value),
  positionOf: (row: Row) => String(row.position),
  extraEventColumns: '',
  isActiveJourneyViolation,
  isMissingTable: (error: unknown) =>
    /no such table/.test(String((error as { message?: unknown }).message)),
  async beforeDeletingEvents(session: SqlSession) {
    await session.run(
      'UPDATE log_floor SET position = MAX(position, COALESCE((SELECT MAX(position) FROM events), 0))',
    );
  },
  bool: (value: boolean) => (value ? 1 : 0),
};
