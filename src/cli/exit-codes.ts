import {
  ConfigError,
  DatabaseTooNewError,
  StorageUnavailableError,
} from '../application/errors.js';

/**
 * The exit codes of `journey`, one per thing a script may want to react to differently
 * (docs/cli.md lists them). The environment's failures follow sysexits.h, as the store
 * commands already did; the API's refusals get small codes of their own.
 */
export const EXIT_CODES = {
  /** Done. */
  ok: 0,
  /** Anything not listed below: the server failed (5xx), an answer we cannot read, a bug. */
  failed: 1,
  /** 409: not allowed in the journey's current state (an active journey exists, wrong stage). */
  conflict: 3,
  /** 422: refused by the gate (exit criteria not met) or by the playbook (not an approval criterion). */
  refused: 4,
  /** A bad argument, option or setting (also the server's 400). EX_USAGE. */
  usage: ConfigError.exitCode,
  /** 404: no such journey, unit of work or criterion. EX_NOINPUT. */
  notFound: 66,
  /** The server cannot be reached, timed out or answered 503; for serve/migrate/prune the database. EX_UNAVAILABLE. */
  unavailable: StorageUnavailableError.exitCode,
  /** The database was migrated by a newer release (serve, migrate, prune). */
  databaseTooNew: DatabaseTooNewError.exitCode,
  /** 401 or 403: no token, an unknown token, or a role that may not do this. EX_NOPERM. */
  notPermitted: 77,
  /** Interrupted (Ctrl-C): 128 + SIGINT. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** The exit code for an API problem's HTTP status. */
export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401 || status === 403) {
    return EXIT_CODES.notPermitted;
  }
  if (status === 404) {
    return EXIT_CODES.notFound;
  }
  if (status === 409) {
    return EXIT_CODES.conflict;
  }
  if (status === 422) {
    return EXIT_CODES.refused;
  }
  if (status === 503) {
    return EXIT_CODES.unavailable;
  }
  if (status >= 400 && status < 500) {
    return EXIT_CODES.usage;
  }
  return EXIT_CODES.failed;
}

/** The table `journey --help` ends with (docs/cli.md has the same). */
export const EXIT_CODE_HELP = `
Exit codes:
  0    done
  1    anything else: the server failed, an answer that is not the API's, a bug
  3    conflict (409): not allowed in the journey's current state
  4    refused (422): exit criteria not met, or not allowed by the playbook
  64   bad usage: an argument, option or setting is wrong (also the server's 400)
  66   not found (404): no such journey, unit of work or criterion
  69   unavailable: the server cannot be reached or answered 503 (serve, migrate, prune: the database)
  75   the database was migrated by a newer release
  77   not permitted (401, 403): no token, an unknown one, or a role that may not do this
  130  interrupted (Ctrl-C)
`;
