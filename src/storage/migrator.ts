import { DatabaseTooNewError } from '../application/errors.js';
import type { MigrationReport } from '../application/ports.js';
import type { Instant } from '../domain/index.js';
import type { Dialect } from './dialect.js';
import type { Migration } from './migration.js';
import type { SqlDriver, SqlSession } from './sql.js';

/**
 * Applies pending migrations, one transaction each, under the dialect's cross-process lock. The
 * migration's row is inserted before its SQL runs (graphile-worker's guard): two processes that
 * race both try the same insert and only one proceeds. A database with a version this code does
 * not know is refused, never touched.
 */
export async function migrate(
  driver: SqlDriver,
  dialect: Dialect,
  now: () => Instant,
): Promise<MigrationReport> {
  const latest = dialect.migrations.at(-1)?.version ?? 0;
  const applied: Migration[] = [];
  let from: number | undefined;
  for (;;) {
    const step = await driver.transaction(async (session) => {
      await dialect.prepareMigration(session);
      const current = await currentVersion(session);
      if (current > latest) {
        throw new DatabaseTooNewError(current, latest);
      }
      from ??= current;
      const next = dialect.migrations.find((m) => m.version === current + 1);
      if (next === undefined) {
        return undefined;
      }
      await session.run(
        'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
        [next.version, next.name, now()],
      );
      await session.exec(next.sql);
      return next;
    });
    if (step === undefined) {
      break;
    }
    applied.push(step);
  }
  return {
    from: from ?? 0,
    to: (from ?? 0) + applied.length,
    applied: applied.map(({ version, name }) => ({ version, name })),
  };
}

/**
 * Reads the schema version without changing anything (0 for an empty database) and refuses a
 * database newer than the code. An older one is left for the caller to migrate.
 */
export async function checkVersion(driver: SqlDriver, dialect: Dialect): Promise<number> {
  const latest = dialect.migrations.at(-1)?.version ?? 0;
  let current: number;
  try {
    current = await currentVersion(driver);
  } catch (error) {
    if (!dialect.isMissingTable(error)) {
      throw error;
    }
    current = 0;
  }
  if (current > latest) {
    throw new DatabaseTooNewError(current, latest);
  }
  return current;
}

async function currentVersion(session: SqlSession): Promise<number> {
  const [row] = await session.all('SELECT MAX(version) AS version FROM schema_migrations');
  return row?.version == null ? 0 : Number(row.version);
}
