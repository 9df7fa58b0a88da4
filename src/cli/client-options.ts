import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../application/errors.js';
import { dataDirOf, parseDatabaseUrl } from '../config/database-url.js';
import type { Environment } from '../config/env.js';
import { LOCAL_ADMIN_TOKEN_FILE } from '../http/local-access.js';
import { EXIT_CODES } from './exit-codes.js';

/** The options every command that talks to the API accepts. */
export interface ClientOptions {
  readonly url?: string;
  readonly token?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** Where the API is and who calls it, resolved from the options, the environment and the files. */
export interface ClientSettings {
  readonly url: string;
  readonly token: string;
}

const DEFAULT_API_URL = 'http://127.0.0.1:7400';

/** No token anywhere: the server would answer 401 to every request, so say how to get one. */
export class MissingTokenError extends Error {
  override readonly name = 'MissingTokenError';
  readonly exitCode = EXIT_CODES.notPermitted;
  constructor(tokenFile: string) {
    super(
      `no API token: pass --token, set JOURNEY_TOKEN, or run \`journey serve\` on this machine so ${tokenFile} exists`,
    );
  }
}

/** Adds `--url`, `--token`, `--json` and `--verbose`. */
export function addClientOptions(command: Command): Command {
  return command
    .option('--url <url>', `the journey server (default: $JOURNEY_URL, else ${DEFAULT_API_URL})`)
    .option(
      '--token <token>',
      `the API bearer token (default: $JOURNEY_TOKEN, else the local server's ./data/${LOCAL_ADMIN_TOKEN_FILE}, next to $JOURNEY_DB when it is a SQLite file)`,
    )
    .option('--json', "print the API's JSON instead of tables (errors too, as problem+json)")
    .option('--verbose', 'on errors, print the whole problem or the stack trace');
}

/** `--url` wins over `JOURNEY_URL`, `--token` over `JOURNEY_TOKEN` over the local token file. */
export async function resolveClientSettings(
  options: ClientOptions,
  environment: Environment,
): Promise<ClientSettings> {
  const url =
    options.url !== undefined
      ? parseApiUrl(options.url, '--url')
      : environment.apiUrl !== undefined
        ? parseApiUrl(environment.apiUrl, 'JOURNEY_URL')
        : DEFAULT_API_URL;
  if (options.token !== undefined) {
    return { url, token: checkToken(options.token, '--token') };
  }
  if (environment.apiToken !== undefined) {
    return { url, token: checkToken(environment.apiToken, 'JOURNEY_TOKEN') };
  }
  const file = localTokenFile(environment);
  return { url, token: checkToken(await readTokenFile(file), file) };
}

/** An absolute http(s) URL with no query or fragment; a trailing slash is dropped. */
function parseApiUrl(text: string, setting: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new ConfigError(setting, `"${text}" is not a URL: give e.g. ${DEFAULT_API_URL}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(setting, `"${text}" must use http or https`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ConfigError(setting, `"${text}" must not have a query or a fragment`);
  }
  return url.toString().replace(/\/+$/, '');
}

/** Where `journey serve` on this machine keeps its admin token (serve-run.ts `apiAccess`). */
function localTokenFile(environment: Environment): string {
  const database =
    environment.databaseUrl === undefined
      ? undefined
      : parseDatabaseUrl(environment.databaseUrl, 'JOURNEY_DB');
  return join(database === undefined ? './data' : dataDirOf(database), LOCAL_ADMIN_TOKEN_FILE);
}

async function readTokenFile(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new MissingTokenError(file);
    }
    throw new ConfigError(file, `cannot read the token file: ${(error as Error).message}`);
  }
}

function checkToken(token: string, setting: string): string {
  const trimmed = token.trim();
  if (trimmed === '' || /\s/.test(trimmed)) {
    throw new ConfigError(setting, 'a token is one word without spaces');
  }
  return trimmed;
}
