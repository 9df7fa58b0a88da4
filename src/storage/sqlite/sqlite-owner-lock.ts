import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StorageUnavailableError } from '../../application/errors.js';
import { sqliteError } from './sqlite-errors.js';

/**
 * On SQLite one `journey serve` owns a database: the work queue's leases assume the engines
 * sharing a database can all reach it, and SQLite's single writer would make a second engine a
 * slower copy of the first. Ownership is an exclusive lock on a small lock file next to the
 * database, held open for the process's life: the operating system drops it when the process
 * dies, however it dies, so a crashed owner never blocks its restart. A JSON note beside it says
 * who owns the database, for the refusal message.
 */
export interface OwnerLock {
  release(): void;
}

export function acquireOwnerLock(databasePath: string): OwnerLock {
  const lockPath = `${databasePath}.owner`;
  const notePath = `${lockPath}.json`;
  let db: Database.Database;
  try {
    mkdirSync(dirname(lockPath), { recursive: true });
    db = new Database(lockPath);
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    // Never committed: the exclusive lock lasts until release() or the process ends.
    db.exec('BEGIN EXCLUSIVE');
  } catch (thrown) {
    const error = sqliteError(thrown, databasePath);
    const busy = (thrown as { code?: unknown }).code === 'SQLITE_BUSY';
    throw busy
      ? new StorageUnavailableError(
          'sqlite',
          databasePath,
          `another process owns it (${describeOwner(notePath)}); on SQLite one \`journey serve\` runs per database: stop that one, or use PostgreSQL to run several`,
          { cause: thrown },
        )
      : error;
  }
  writeFileSync(
    notePath,
    `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() })}\n`,
  );
  return {
    release() {
      if (!db.open) {
        return;
      }
      db.close();
      rmSync(notePath, { force: true });
    },
  };
}

function describeOwner(notePath: string): string {
  try {
    const note = JSON.parse(readFileSync(notePath, 'utf8')) as Record<string, unknown>;
    return `pid ${String(note.pid)} on ${String(note.host)} since ${String(note.since)}`;
  } catch {
    return 'owner unknown';
  }
}
