import { readEnvironment } from '../../config/env.js';
import { resolveSignOffSecret } from './sign-off-secret.js';

/** How the API signs sign-off links (docs/evidence.md). Everything is optional. */
export interface SignOffSettings {
  /** The signing key. @default JOURNEY_SIGNOFF_SECRET, else the secret file in `dataDir` */
  readonly secret?: string;
  /** Where `signoff.secret` is kept when no secret is configured. @default ./data */
  readonly dataDir?: string;
  /** The address clients reach the server at, for the links' URLs. @default JOURNEY_PUBLIC_URL, else the request's Host */
  readonly publicUrl?: string;
}

export interface ResolvedSignOff {
  /** The key, read (or created) on first use, so a server that issues no link touches no file. */
  readonly secret: () => Promise<Buffer>;
  readonly publicUrl?: string;
}

export function resolveSignOff(settings: SignOffSettings = {}): ResolvedSignOff {
  const environment = readEnvironment();
  let secret: Promise<Buffer> | undefined;
  const publicUrl = settings.publicUrl ?? environment.publicUrl;
  return {
    secret: () => {
      secret ??= resolveSignOffSecret({
        configured: settings.secret ?? environment.signOffSecret,
        dataDir: settings.dataDir ?? './data',
      }).catch((error: unknown) => {
        // A failure (e.g. an unreadable file) is not cached: fixing it needs no restart.
        secret = undefined;
        throw error;
      });
      return secret;
    },
    ...(publicUrl === undefined ? {} : { publicUrl }),
  };
}
