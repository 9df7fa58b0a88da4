import type { Command } from 'commander';
import type { MigrationReport } from '../../application/ports.js';
import type { CommandContext } from '../context.js';
import {
  addDatabaseOption,
  describeDatabase,
  reportingExpectedErrors,
  resolveDatabaseUrl,
  withStore,
  type DatabaseOptions,
  type StoreCommandSettings,
} from '../db-option.js';
import { writerOf } from '../output.js';

interface MigrateOptions extends DatabaseOptions {
  readonly json?: boolean;
}

/**
 * `journey migrate`: applies the pending schema migrations (the server and the engine do the
 * same on start). Refuses a database migrated by a newer release.
 */
export function registerMigrateCommand(
  program: Command,
  context: CommandContext,
  settings: StoreCommandSettings,
): void {
  const migrate = program
    .command('migrate')
    .description('Apply pending database migrations (safe to run repeatedly).')
    .option('--json', 'print the result as JSON');
  addDatabaseOption(migrate).action(async (options: MigrateOptions, command: Command) => {
    await reportingExpectedErrors(command, context, async () => {
      const url = resolveDatabaseUrl(options.db, settings.environment);
      // Opened without migrating, so the report says what this command applied.
      const report = await withStore(settings, url, { migrate: false }, (store) => store.migrate());
      const database = describeDatabase(url);
      writerOf(command)(
        options.json === true
          ? `${JSON.stringify({ database, ...report }, null, 2)}\n`
          : `${migrationLine(database, report)}\n`,
      );
    });
  });
}

/** `migrated sqlite ./data/journeys.db from version 0 to 2 (applied: 0001_event_store, ...)`. */
function migrationLine(database: string, report: MigrationReport): string {
  if (report.applied.length === 0) {
    return `${database} is already at version ${report.to}`;
  }
  const names = report.applied.map(migrationName).join(', ');
  return `migrated ${database} from version ${report.from} to ${report.to} (applied: ${names})`;
}

/** Migration files are named `NNNN_name`; a report's name may or may not carry the number. */
function migrationName(migration: MigrationReport['applied'][number]): string {
  return /^\d+_/.test(migration.name)
    ? migration.name
    : `${String(migration.version).padStart(4, '0')}_${migration.name}`;
}
