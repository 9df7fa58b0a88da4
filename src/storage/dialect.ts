import type { GlobalPosition } from '../application/ports.js';
import type { CommitPlan, WrittenEvent } from './commit-plan.js';
import type { Migration } from './migration.js';
import type { Row, SqlDriver, SqlSession, SqlValue } from './sql.js';

/**
 * What differs between the backends; everything else is the shared SQL in sql-store.ts. Kept
 * to the few places where SQLite and PostgreSQL truly disagree (kysely's capability idea).
 */
export interface Dialect {
  readonly backend: 'sqlite' | 'postgres';
  readonly migrations: readonly Migration[];
  /** Inside the migration transaction: take the cross-process lock, create what must exist. */
  prepareMigration(session: SqlSession): Promise<void>;
  /** Writes a commit plan atomically; says where each event landed. */
  executeCommit(driver: SqlDriver, plan: CommitPlan): Promise<WrittenEvent[]>;
  /** Claims due items under a lease; parameters: owner, leaseExpiresAt, now, limit, kinds... */
  claimSql(kindCount: number): string;
  /** Events after `after` in commit order, and the position to continue from. */
  readAll(
    session: SqlSession,
    after: GlobalPosition,
    limit: number,
  ): Promise<{ rows: Row[]; next: GlobalPosition }>;
  /** The position after every event committed so far (see EventStore.headPosition). */
  headPosition(session: SqlSession): Promise<GlobalPosition>;
  /** Whether the text has the shape of a position of this backend. */
  isPosition(value: string): boolean;
  /** The global position of an event row as `readAll` understands it. */
  positionOf(row: Row): GlobalPosition;
  /** Columns to select with every event beyond the shared ones, e.g. `, tx`. */
  readonly extraEventColumns: string;
  /** The error is the one-active-journey-per-client index refusing a second active journey. */
  isActiveJourneyViolation(error: unknown): boolean;
  /** The error says a table (e.g. schema_migrations in an empty database) does not exist. */
  isMissingTable(error: unknown): boolean;
  /** Called in a prune's transaction before it deletes events, so positions are never reused. */
  beforeDeletingEvents(session: SqlSession): Promise<void>;
  /**
   * A write of one statement may run on its own, in the implicit transaction of that statement,
   * instead of inside BEGIN/COMMIT. PostgreSQL: yes (one round trip instead of three, same
   * atomicity and isolation). SQLite: no: `BEGIN IMMEDIATE` takes the write lock before the
   * statement reads, so another process's commit in between cannot fail it with
   * `SQLITE_BUSY_SNAPSHOT`; and there a statement costs no round trip.
   */
  readonly singleStatementAutocommit: boolean;
  /** A boolean parameter as the backend stores it. */
  bool(value: boolean): SqlValue;
}

/** JSON columns come back parsed (PostgreSQL jsonb) or as text (SQLite). */
export function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** Timestamps come back as ISO text (SQLite) or Date / text (PostgreSQL, see the driver). */
export function instantOf(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

/** A nullable text column. */
export function textOrNull(value: unknown): string | null {
  if (value == null) {
    return null;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}
