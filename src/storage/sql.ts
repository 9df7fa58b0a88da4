/**
 * The small SQL port both backends implement. Statements use PostgreSQL-style `$1` placeholders,
 * which better-sqlite3 also binds (as named parameters "1", "2", ...), so most SQL text is shared
 * and only what truly differs lives in a backend's dialect (see dialect.ts).
 */
export type SqlValue = string | number | boolean | null;

export type Row = Record<string, unknown>;

export interface SqlSession {
  /**
   * Runs a statement and returns its rows (for SELECT and `... RETURNING`). `prepareAs` names a
   * statement run very often so the server parses and plans it once per connection (PostgreSQL;
   * SQLite prepares every statement anyway). Only for fixed SQL text: one name, one text.
   */
  all<T extends Row = Row>(
    sql: string,
    params?: readonly SqlValue[],
    prepareAs?: string,
  ): Promise<T[]>;
  /** Runs a statement and returns how many rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface SqlDriver extends SqlSession {
  /**
   * Runs `work` in one transaction that takes the write lock up front, commits when it
   * resolves and rolls back when it throws. The body must only await the session it is given.
   */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `$1, $2, ...` from `start`, for statements built with a variable number of values. */
export function placeholders(count: number, start = 1): string {
  return Array.from({ length: count }, (_, i) => `$${start + i}`).join(', ');
}
