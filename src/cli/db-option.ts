import type { Command } from 'commander';
import {
  ConfigError,
  DatabaseTooNewError,
  StorageUnavailableError,
} from '../application/errors.js';
import type { Clock, Store } from '../application/ports.js';
import {
  DEFAULT_DATABASE_URL,
  parseDatabaseUrl,
  type DatabaseUrl,
} from '../config/database-url.js';
import type { Environment } from '../config/env.js';
import type { CommandContext } from './context.js';
import { errorWriterOf } from './output.js';

/** The options every command that opens the store accepts. */
export interface DatabaseOptions {
  readonly db?: string;
}

/** Adds the shared `--db <url>` option. Its default is resolved when the command runs. */
export function addDatabaseOption(command: Command): Command {
  return command.option(
    '--db <url>',
    `where the store lives: sqlite:PATH or postgres://HOST:PORT/DATABASE?schema=NAME (default: $JOURNEY_DB, else ${DEFAULT_DATABASE_URL})`,
  );
}

/**
 * `--db` wins over `JOURNEY_DB`, which wins over the default. A bad value is a ConfigError that
 * names where it came from, so the user knows which one to fix.
 */
export function resolveDatabaseUrl(
  flag: string | undefined,
  environment: Environment,
): DatabaseUrl {
  if (flag !== undefined) {
    return parseDatabaseUrl(flag, '--db');
  }
  if (environment.databaseUrl !== undefined) {
    return parseDatabaseUrl(environment.databaseUrl, 'JOURNEY_DB');
  }
  return parseDatabaseUrl(DEFAULT_DATABASE_URL, 'default database');
}

/** `sqlite ./data/journeys.db` or `postgres 127.0.0.1:5432/test`: for messages, never a password. */
export function describeDatabase(url: DatabaseUrl): string {
  return url.backend === 'sqlite' ? `sqlite ${url.path}` : `postgres ${url.display}`;
}

/** What the store commands need from the program around them. */
export interface StoreCommandSettings {
  /** The environment, read once by `buildProgram` (`JOURNEY_DB`). */
  readonly environment: Environment;
  /** Where "now" comes from (e.g. the prune cutoff). */
  readonly clock: Clock;
  readonly openStore: StoreOpener;
}

/** Opens a store; `migrate: false` leaves an older schema for `store.migrate()`. */
export type StoreOpener = (
  url: DatabaseUrl,
  options: { readonly migrate?: boolean; readonly owner?: boolean },
) => Promise<Store>;

/** The opener of a program built without storage (e.g. embedded for playbook checks only). */
export const missingStore: StoreOpener = () =>
  Promise.reject(new ConfigError('--db', 'this build of the command line has no storage wired in'));

/** Errors a user can act on: printed as one line with their own exit code, never a stack trace. */
const EXPECTED_ERRORS = [ConfigError, StorageUnavailableError, DatabaseTooNewError] as const;

/**
 * Runs a command's body; the errors a user can fix (a bad setting, an unreachable or read-only
 * database, a database from a newer release) end the command with their message and their exit
 * code. Anything else is a bug and propagates with its stack.
 */
export async function reportingExpectedErrors(
  command: Command,
  context: CommandContext,
  body: () => Promise<void>,
): Promise<void> {
  try {
    await body();
  } catch (error) {
    const expected = EXPECTED_ERRORS.find((type) => error instanceof type);
    if (expected === undefined || !(error instanceof Error)) {
      throw error;
    }
    errorWriterOf(command)(`error: ${error.message}\n`);
    context.fail(expected.exitCode, error.message);
  }
}

/** Opens the store, runs `action` with it and closes it, whatever happens. */
export async function withStore<T>(
  settings: StoreCommandSettings,
  url: DatabaseUrl,
  options: { readonly migrate?: boolean },
  action: (store: Store) => Promise<T>,
): Promise<T> {
  const store = await settings.openStore(url, options);
  try {
    return await action(store);
  } finally {
    await store.close();
  }
}
