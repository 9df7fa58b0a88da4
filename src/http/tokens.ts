import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../application/errors.js';

/**
 * API bearer tokens. Configured as `name:role:token` entries separated by commas (env
 * `JOURNEY_API_TOKENS`, e.g. `ci:viewer:3f9c…,alice:operator:8a1d…`); kept in memory only as
 * SHA-256 hashes, and compared in constant time. A token never appears in an error or a log:
 * a bad entry is named by its position and name.
 */

/** Roles, each allowed everything the previous one is. */
export const API_ROLES = ['viewer', 'operator', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** Who a valid token says the caller is. */
export interface ApiPrincipal {
  readonly name: string;
  readonly role: ApiRole;
}

export function roleAllows(held: ApiRole, needed: ApiRole): boolean {
  return API_ROLES.indexOf(held) >= API_ROLES.indexOf(needed);
}

/** Tokens shorter than this are accepted but reported (`ApiTokens.short`). */
export const RECOMMENDED_TOKEN_LENGTH = 16;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

interface TokenEntry extends ApiPrincipal {
  readonly hash: Buffer;
}

export class ApiTokens {
  readonly #entries: readonly TokenEntry[];
  /** Names of tokens shorter than RECOMMENDED_TOKEN_LENGTH, for a warning at start. */
  readonly short: readonly string[];

  private constructor(entries: readonly TokenEntry[], short: readonly string[]) {
    this.#entries = entries;
    this.short = short;
  }

  static readonly none = new ApiTokens([], []);

  /** See `parseApiTokens`. */
  static parse(raw: string, source = 'JOURNEY_API_TOKENS'): ApiTokens {
    const parts = raw.split(',').map((part, index) => ({ text: part.trim(), index }));
    return ApiTokens.#build(
      parts
        .filter(({ text }) => text !== '')
        .map(({ text, index }) => splitEntry(text, index, source)),
      source,
    );
  }

  /** Tokens given in code (e.g. the local admin token); checked like parsed ones. */
  static of(
    tokens: readonly { readonly name: string; readonly role: string; readonly token: string }[],
    source = 'API tokens',
  ): ApiTokens {
    return ApiTokens.#build(
      tokens.map((token, index) => ({ ...token, where: `entry ${index + 1}` })),
      source,
    );
  }

  static #build(raw: readonly RawEntry[], source: string): ApiTokens {
    const entries: TokenEntry[] = [];
    const short: string[] = [];
    for (const entry of raw) {
      entries.push(checkEntry(entry, entries, source));
      if (entry.token.length < RECOMMENDED_TOKEN_LENGTH) {
        short.push(entry.name);
      }
    }
    return new ApiTokens(entries, short);
  }

  get size(): number {
    return this.#entries.length;
  }

  /** The configured names and roles (never the tokens). */
  principals(): ApiPrincipal[] {
    return this.#entries.map(({ name, role }) => ({ name, role }));
  }

  /**
   * The principal a presented token belongs to, or null. Every entry is compared, each in
   * constant time, so the time taken says nothing about which (or whether one) matched.
   */
  verify(presented: string): ApiPrincipal | null {
    const hash = hashToken(presented);
    let found: TokenEntry | null = null;
    for (const entry of this.#entries) {
      if (timingSafeEqual(hash, entry.hash) && found === null) {
        found = entry;
      }
    }
    return found === null ? null : { name: found.name, role: found.role };
  }
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * Parses `name:role:token,...`. Blank entries (a trailing comma) are ignored; an empty string
 * means no tokens. The token is everything after the second colon. Refused, with a ConfigError
 * naming the entry: a missing part, an unknown role, a name that is not `[A-Za-z0-9._@-]`
 * (at most 64), whitespace inside a token, a name or a token used twice.
 */
export function parseApiTokens(raw: string, source = 'JOURNEY_API_TOKENS'): ApiTokens {
  return ApiTokens.parse(raw, source);
}

interface RawEntry {
  readonly name: string;
  readonly role: string;
  readonly token: string;
  /** `entry <n>`, for messages. */
  readonly where: string;
}

function splitEntry(text: string, index: number, source: string): RawEntry {
  const where = `entry ${index + 1}`;
  const first = text.indexOf(':');
  const second = first < 0 ? -1 : text.indexOf(':', first + 1);
  if (first < 0 || second < 0) {
    throw new ConfigError(source, `${where} is not name:role:token`);
  }
  return {
    name: text.slice(0, first),
    role: text.slice(first + 1, second),
    token: text.slice(second + 1),
    where,
  };
}

function checkEntry(entry: RawEntry, accepted: readonly TokenEntry[], source: string): TokenEntry {
  const { name, role, token, where } = entry;
  if (!NAME.test(name)) {
    throw new ConfigError(
      source,
      `${where}: the name must be 1-64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit`,
    );
  }
  const named = `${where} (${name})`;
  if (!(API_ROLES as readonly string[]).includes(role)) {
    throw new ConfigError(
      source,
      // The role is not echoed: a swapped entry would put the token there.
      `${named}: the role (second part) must be one of ${API_ROLES.join(', ')}`,
    );
  }
  if (token === '' || /\s/.test(token)) {
    throw new ConfigError(source, `${named}: the token is empty or contains whitespace`);
  }
  if (accepted.some((other) => other.name === name)) {
    throw new ConfigError(source, `${named}: the name "${name}" is used twice`);
  }
  const hash = hashToken(token);
  const sameToken = accepted.find((other) => timingSafeEqual(other.hash, hash));
  if (sameToken !== undefined) {
    throw new ConfigError(
      source,
      `${named}: has the same token as "${sameToken.name}"; every token must be different`,
    );
  }
  return { name, role: role as ApiRole, hash };
}
