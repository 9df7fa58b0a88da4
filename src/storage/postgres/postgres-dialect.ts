import { START, type GlobalPosition } from '../../application/ports.js';
import type { CommitPlan } from '../commit-plan.js';
import type { Dialect } from '../dialect.js';
import { selectEvents } from '../sql-events.js';
import { placeholders, type Row, type SqlDriver, type SqlSession } from '../sql.js';
import { executePostgresCommit } from './postgres-commit.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';

/** A constant first key for our advisory locks; the second is the schema's hash. */
const LOCK_NAMESPACE = 0x4a4f; // "JO"

/**
 * PostgreSQL: many processes share one database. Claims lock rows with FOR UPDATE SKIP LOCKED so
 * concurrent claimers never wait on, nor take, each other's items. The global log is read in
 * commit order by (transaction id, position), taking only transactions older than every one
 * still running, so a slow writer's events are never skipped (docs/storage.md).
 */
export function postgresDialect(schema: string): Dialect {
  const dialect: Dialect = {
    backend: 'postgres',
    migrations: POSTGRES_MIGRATIONS,
    singleStatementAutocommit: true,
    executeCommit: (driver: SqlDriver, plan: CommitPlan) =>
      executePostgresCommit(driver, dialect, plan),
    async prepareMigration(session: SqlSession) {
      await session.all('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NAMESPACE, schema]);
      await session.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await session.exec(
        `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)`,
      );
    },
    claimSql(kindCount: number) {
      const kinds = kindCount > 0 ? `AND kind IN (${placeholders(kindCount, 5)})` : '';
      return `UPDATE work_items SET lease_owner = $1, lease_expires_at = $2, available_at = $2, attempts = attempts + 1
        WHERE id IN (SELECT id FROM work_items WHERE available_at <= $3 ${kinds}
                     ORDER BY available_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
        RETURNING *`;
    },
    async readAll(session: SqlSession, after: GlobalPosition, limit: number) {
      const [tx, position] = parsePosition(after);
      const rows = await session.all(
        `${selectEvents(dialect)}
         WHERE (tx, position) > ($1::text::xid8, $2::bigint)
           AND tx < pg_snapshot_xmin(pg_current_snapshot())
         ORDER BY tx, position LIMIT $3`,
        [tx, position, limit],
      );
      const last = rows.at(-1);
      return { rows, next: last === undefined ? after : dialect.positionOf(last) };
    },
    async headPosition(session: SqlSession) {
      // The last event a reader may take now: anything committed later sorts after it.
      const [row] = await session.all(
        `SELECT tx, position FROM events WHERE tx < pg_snapshot_xmin(pg_current_snapshot())
         ORDER BY tx DESC, position DESC LIMIT 1`,
      );
      return row === undefined ? START : dialect.positionOf(row);
    },
    isPosition: (value: string) => value === START || /^\d{1,20}-\d{1,19}$/.test(value),
    positionOf: (row: Row) => `${String(row.tx)}-${String(row.position)}`,
    extraEventColumns: ', tx',
    isActiveJourneyViolation(error: unknown) {
      const { code, constraint } = error as { code?: unknown; constraint?: unknown };
      return code === '23505' && constraint === 'journeys_one_active_per_client';
    },
    isMissingTable: (error: unknown) => (error as { code?: unknown }).code === '42P01',
    // Identity values are never handed out twice, whatever is deleted.
    beforeDeletingEvents: () => Promise.resolve(),
    bool: (value: boolean) => value,
  };
  return dialect;
}

/** `START` ("0") or `<transaction id>-<position>`. */
function parsePosition(position: GlobalPosition): [string, string] {
  const match = /^(\d+)-(\d+)$/.exec(position);
  if (match === null) {
    return ['0', position === '0' ? '0' : invalid(position)];
  }
  return [match[1] ?? '0', match[2] ?? '0'];
}

function invalid(position: string): never {
  throw new Error(`"${position}" is not a position this store returned`);
}
