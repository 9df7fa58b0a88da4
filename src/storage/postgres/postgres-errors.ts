import { StorageUnavailableError, toError } from '../../application/errors.js';

/**
 * Turns the PostgreSQL failures an operator can act on (server down, wrong database, refused
 * login) into StorageUnavailableError; anything else passes through unchanged.
 */
export function postgresError(thrown: unknown, display: string): Error {
  const error = toError(thrown);
  if (error instanceof StorageUnavailableError) {
    return error;
  }
  const code = (error as { code?: unknown }).code;
  const reason =
    typeof code === 'string'
      ? REASONS[code]
      : /timeout|terminated/i.test(error.message)
        ? 'cannot connect: the server did not answer in time'
        : undefined;
  return reason === undefined
    ? error
    : new StorageUnavailableError('postgres', display, reason, { cause: error });
}

const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'cannot connect: connection refused (is PostgreSQL running and listening there?)',
  ENOTFOUND: 'cannot connect: the host name does not resolve',
  EHOSTUNREACH: 'cannot connect: the host is unreachable',
  ETIMEDOUT: 'cannot connect: the connection timed out',
  ECONNRESET: 'the connection was reset by the server',
  '3D000': 'the database does not exist (create it, or fix the URL)',
  '28000': 'the server refused the login',
  '28P01': 'the password was refused',
  '57P03': 'the server is starting up or shutting down',
  '53300': 'the server has no connection slots left',
  '42501': 'permission denied (the user cannot create or use the schema)',
};
