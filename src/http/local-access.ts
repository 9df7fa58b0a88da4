import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { ConfigError, toError } from '../application/errors.js';

/**
 * The rule for a server without configured tokens: it listens on the loopback interface only,
 * and its admin token is a file in the data folder that only its owner can read.
 */

export const LOCAL_ADMIN_TOKEN_FILE = 'admin.token';
/** The name the local admin token acts under (in event metadata, e.g. `initiatedBy`). */
export const LOCAL_ADMIN_NAME = 'local-admin';

export interface LocalAdminToken {
  readonly token: string;
  /** `<dataDir>/admin.token` */
  readonly path: string;
  /** True when this call created it. */
  readonly created: boolean;
}

/**
 * Reads `<dataDir>/admin.token`, creating it (mode 0600, 256 random bits, base64url) when it
 * does not exist. Refuses a file that others may read or that holds no usable token, naming
 * the file and the fix. Two processes starting together end with the same token: the file
 * appears whole and at most once, and the loser reads the winner's.
 */
export async function ensureLocalAdminToken(dataDir: string): Promise<LocalAdminToken> {
  const path = join(dataDir, LOCAL_ADMIN_TOKEN_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  // Written whole under a temporary name, then linked into place: the link fails if the file
  // exists, and a reader never sees it half written.
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${token}\n`, { flag: 'wx', mode: 0o600 });
    // The umask may have narrowed the mode; it cannot have widened it, but say it exactly.
    await chmod(temporary, 0o600);
    await link(temporary, path);
    return { token, path, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new ConfigError(path, `cannot create the admin token file: ${toError(error).message}`);
    }
  } finally {
    await rm(temporary, { force: true });
  }
  const info = await stat(path);
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
    throw new ConfigError(
      path,
      `the admin token file may be read by others (mode ${(info.mode & 0o777).toString(8)}): run chmod 600 on it`,
    );
  }
  const existing = (await readFile(path, 'utf8')).trim();
  if (existing === '' || /\s/.test(existing)) {
    throw new ConfigError(
      path,
      'the admin token file holds no token (one line, no spaces): delete it to get a new one',
    );
  }
  return { token: existing, path, created: false };
}

/** True for `localhost`, 127.0.0.0/8 and ::1 (also IPv4-mapped), bracketed or not. */
export function isLoopbackHost(host: string): boolean {
  const bare = host
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
  if (bare === 'localhost') {
    return true;
  }
  const v4 = bare.startsWith('::ffff:') ? bare.slice('::ffff:'.length) : bare;
  if (isIP(v4) === 4) {
    return v4.startsWith('127.');
  }
  return isIP(bare) === 6 && /^(0{0,4}:){2,7}0{0,3}1$|^::1$/.test(bare);
}

/**
 * Refuses to serve the API beyond this machine without tokens: with none configured anyone who
 * can reach the port could start and roll back journeys.
 */
export function assertSafeBinding(host: string, tokensConfigured: boolean): void {
  if (!tokensConfigured && !isLoopbackHost(host)) {
    throw new ConfigError(
      '--host',
      `refusing to listen on ${host} without API tokens: set JOURNEY_API_TOKENS (name:role:token,...) or listen on 127.0.0.1`,
    );
  }
}
