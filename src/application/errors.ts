/**
 * Infrastructure errors the application understands. Business refusals are DomainErrors
 * (values); these are thrown when the world gets in the way, and carry their context as
 * readonly fields so callers match on the class and read data, never parse a message.
 */

/** Turns whatever was thrown into an Error, so every catch handles one type. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) {
    return thrown;
  }
  return new Error(
    typeof thrown === 'string' ? thrown : (JSON.stringify(thrown) ?? String(thrown)),
  );
}

/** Another writer appended to the stream first: re-load, re-decide, try again. */
export class ConcurrencyConflictError extends Error {
  override readonly name = 'ConcurrencyConflictError';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number | null,
  ) {
    super(
      `stream ${streamId} is at version ${actualVersion ?? 'unknown'}, not the expected ${expectedVersion}: another writer got there first`,
    );
  }
}

/**
 * The database aborted the transaction to resolve a conflict with another one (a deadlock, a
 * serialization failure). Nothing was written: decide again on fresh state, as for a version
 * conflict.
 */
export class TransactionConflictError extends Error {
  override readonly name = 'TransactionConflictError';
}

/** The database already holds an active journey for this client (one at a time). */
export class ActiveJourneyExistsError extends Error {
  override readonly name = 'ActiveJourneyExistsError';
  constructor(readonly clientId: string) {
    super(`client ${clientId} already has an active journey`);
  }
}

/** A worker's lease on a work item expired and the item may now belong to another worker. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(
    readonly itemId: string,
    readonly owner: string,
  ) {
    super(`work item ${itemId} is no longer leased by ${owner}`);
  }
}

/** The database was migrated by a newer release; running older code on it could corrupt it. */
export class DatabaseTooNewError extends Error {
  override readonly name = 'DatabaseTooNewError';
  /** Process exit code for this condition, distinct so scripts can tell it apart. */
  static readonly exitCode = 75;
  constructor(
    readonly databaseVersion: number,
    readonly codeVersion: number,
  ) {
    super(
      `the database schema is at version ${databaseVersion} but this release knows only up to ${codeVersion}: upgrade journey-orchestrator (never run an older release on a newer database)`,
    );
  }
}

/** A setting is wrong; `path` names it (e.g. `--db`, `JOURNEY_DB`). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  static readonly exitCode = 64;
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/** The database cannot be used: unreachable, locked, read-only, or refusing us. */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
  static readonly exitCode = 69;
  constructor(
    readonly backend: 'sqlite' | 'postgres',
    readonly target: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${backend} database ${target}: ${reason}`, options);
  }
}
