import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, toError } from '../../application/errors.js';

/**
 * The key sign-off links are signed with: `JOURNEY_SIGNOFF_SECRET` when set (every process
 * behind one address must share it), else `<dataDir>/signoff.secret`, created on first use like
 * the admin token (256 random bits, mode 0600, written whole and at most once).
 */

export const SIGN_OFF_SECRET_FILE = 'signoff.secret';
/** A configured secret shorter than this is refused: it could be guessed. */
export const MIN_SECRET_LENGTH = 32;

export async function resolveSignOffSecret(options: {
  readonly configured?: string | undefined;
  readonly dataDir: string;
}): Promise<Buffer> {
  if (options.configured !== undefined) {
    if (options.configured.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(
        'JOURNEY_SIGNOFF_SECRET',
        `must be at least ${MIN_SECRET_LENGTH} characters (e.g. openssl rand -hex 32)`,
      );
    }
    return Buffer.from(options.configured, 'utf8');
  }
  return Buffer.from(await ensureSecretFile(join(options.dataDir, SIGN_OFF_SECRET_FILE)), 'utf8');
}

async function ensureSecretFile(path: string): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  // Written under a temporary name, then linked into place: the link fails if the file exists.
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${secret}\n`, { flag: 'wx', mode: 0o600 });
    await chmod(temporary, 0o600);
    await link(temporary, path);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new ConfigError(path, `cannot create the sign-off secret: ${toError(error).message}`);
    }
  } finally {
    await rm(temporary, { force: true });
  }
  const info = await stat(path);
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
    throw new ConfigError(
      path,
      `the sign-off secret may be read by others (mode ${(info.mode & 0o777).toString(8)}): run chmod 600 on it`,
    );
  }
  const existing = (await readFile(path, 'utf8')).trim();
  if (existing.length < MIN_SECRET_LENGTH || /\s/.test(existing)) {
    throw new ConfigError(path, 'the sign-off secret file holds no usable secret: delete it');
  }
  return existing;
}
