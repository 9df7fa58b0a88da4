import { StorageUnavailableError, toError } from '../../application/errors.js';

/**
 * Turns the SQLite errors an operator can act on into a StorageUnavailableError that says what
 * to do; anything else (constraint violations, SQL bugs) passes through unchanged.
 */
export function sqliteError(thrown: unknown, file: string): Error {
  const error = toError(thrown);
  const code = (error as { code?: unknown }).code;
  if (error instanceof StorageUnavailableError || typeof code !== 'string') {
    return error;
  }
  const reason = REASONS.find(([prefix]) => code.startsWith(prefix))?.[1];
  return reason === undefined
    ? error
    : new StorageUnavailableError('sqlite', file, reason, { cause: error });
}

const REASONS: readonly (readonly [string, string])[] = [
  ['SQLITE_BUSY', 'the file is locked by another process (is another `journey serve` using it?)'],
  ['SQLITE_LOCKED', 'the file is locked by another connection'],
  ['SQLITE_READONLY', 'the file or its folder is read-only: the store needs to write it'],
  ['SQLITE_CANTOPEN', 'the file cannot be opened: check the path and the folder permissions'],
  ['SQLITE_PERM', 'permission denied'],
  ['SQLITE_NOTADB', 'the file is not a SQLite database'],
  ['SQLITE_CORRUPT', 'the database file is corrupt'],
  ['SQLITE_FULL', 'the disk is full'],
  ['SQLITE_IOERR', 'an I/O error occurred reading or writing the file'],
  ['EACCES', 'permission denied creating the file or its folder'],
  ['EPERM', 'permission denied creating the file or its folder'],
  ['EROFS', 'the file system is read-only'],
  ['ENOTDIR', 'a part of the path is not a folder'],
  ['EEXIST', 'a part of the path is a file, not a folder'],
];
