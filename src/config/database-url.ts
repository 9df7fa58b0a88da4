import { dirname } from 'node:path';
import { ConfigError } from '../application/errors.js';

/** Where the store lives, resolved from `--db` / `JOURNEY_DB`. */
export type DatabaseUrl =
  | { readonly backend: 'sqlite'; readonly path: string }
  | {
      readonly backend: 'postgres';
      /** The connection string without our own `schema` parameter. */
      readonly connectionString: string;
      /** The PostgreSQL schema holding our tables. @default public */
      readonly schema: string;
      /** host:port/database, for messages (never the password). */
      readonly display: string;
    };

export const DEFAULT_DATABASE_URL = 'sqlite:./data/journeys.db';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Reads `sqlite:PATH` (relative to the working directory, or absolute; `sqlite::memory:` is
 * refused: the store must survive the process) or `postgres://user@host:port/db?schema=name`
 * (`postgresql://` too). Anything else is a ConfigError naming the setting and what is wrong.
 */
export function parseDatabaseUrl(text: string, setting = '--db'): DatabaseUrl {
  const value = text.trim();
  if (value === '') {
    throw new ConfigError(
      setting,
      `is empty; use e.g. ${DEFAULT_DATABASE_URL} or postgres://127.0.0.1:5432/test`,
    );
  }
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '' || path === ':memory:') {
      throw new ConfigError(
        setting,
        `"${value}" names no file: give a path such as ${DEFAULT_DATABASE_URL}`,
      );
    }
    return { backend: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ConfigError(setting, `"${redact(value)}" is not a valid PostgreSQL URL`);
    }
    if (url.hostname === '') {
      throw new ConfigError(setting, `"${redact(value)}" has no host`);
    }
    const schema = url.searchParams.get('schema') ?? 'public';
    if (!SCHEMA_NAME.test(schema)) {
      throw new ConfigError(
        setting,
        `schema "${schema}" must be lower-case letters, digits and _ (at most 63)`,
      );
    }
    url.searchParams.delete('schema');
    const database = url.pathname.replace(/^\//, '') || '(default)';
    return {
      backend: 'postgres',
      connectionString: url.toString(),
      schema,
      display: `${url.hostname}:${url.port || '5432'}/${database}${schema === 'public' ? '' : `?schema=${schema}`}`,
    };
  }
  throw new ConfigError(
    setting,
    `"${redact(value)}" is not a supported database: use sqlite:PATH (e.g. ${DEFAULT_DATABASE_URL}) or postgres://HOST:PORT/DATABASE`,
  );
}

/** Hides a password in a URL before it reaches a message or a log. */
function redact(value: string): string {
  return value.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/**
 * Where a server on this database keeps its files (admin token, sign-off secret): next to a
 * SQLite database, else `./data`. The client commands look for the token there too.
 */
export function dataDirOf(url: DatabaseUrl): string {
  return url.backend === 'sqlite' ? dirname(url.path) : './data';
}
