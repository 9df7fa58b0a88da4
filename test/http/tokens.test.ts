import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/application/errors.js';
import {
  assertSafeBinding,
  ensureLocalAdminToken,
  isLoopbackHost,
} from '../../src/http/local-access.js';
import { ApiTokens, parseApiTokens, roleAllows } from '../../src/http/tokens.js';

const SECRET = 'c2VjcmV0LXRoYXQtbXVzdC1uZXZlci1sZWFr';

function refusal(raw: string): ConfigError {
  try {
    parseApiTokens(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).path).toBe('JOURNEY_API_TOKENS');
    expect((error as Error).message).not.toContain(SECRET);
    return error as ConfigError;
  }
  throw new Error(`"${raw}" was accepted`);
}

describe('parseApiTokens', () => {
  it('parses name:role:token entries and verifies tokens by hash', () => {
    const tokens = parseApiTokens(
      ` ci:viewer:${SECRET}1 , alice@example.com:operator:${SECRET}2,root:admin:a:b:c,`,
    );
    expect(tokens.size).toBe(3);
    expect(tokens.principals()).toEqual([
      { name: 'ci', role: 'viewer' },
      { name: 'alice@example.com', role: 'operator' },
      { name: 'root', role: 'admin' },
    ]);
    expect(tokens.verify(`${SECRET}1`)).toEqual({ name: 'ci', role: 'viewer' });
    expect(tokens.verify(`${SECRET}2`)).toEqual({ name: 'alice@example.com', role: 'operator' });
    expect(tokens.verify('a:b:c')).toEqual({ name: 'root', role: 'admin' });
    expect(tokens.verify(SECRET)).toBeNull();
    expect(tokens.verify('')).toBeNull();
    expect(tokens.short).toEqual(['root']);
    // Only hashes are kept: the instance does not hold the token text.
    expect(JSON.stringify(tokens)).not.toContain(SECRET);
  });

  it('treats an empty or blank value as no tokens', () => {
    expect(parseApiTokens('').size).toBe(0);
    expect(parseApiTokens(' , ,').size).toBe(0);
    expect(ApiTokens.none.verify('anything')).toBeNull();
  });

  it('names the bad entry by position (and name) without echoing a token', () => {
    expect(refusal(`ci:viewer:${SECRET},${SECRET}`).message).toContain(
      'entry 2 is not name:role:token',
    );
    expect(refusal(`ci:${SECRET}:viewer`).message).toMatch(/entry 1 \(ci\): the role/);
    expect(refusal(`bad name:viewer:${SECRET}`).message).toContain('entry 1: the name');
    expect(refusal('ci:viewer:').message).toContain('entry 1 (ci): the token is empty');
    expect(refusal(`ci:viewer:${SECRET} x`).message).toContain('whitespace');
    expect(refusal(`ci:viewer:${SECRET}1,ci:admin:${SECRET}2`).message).toContain(
      'entry 2 (ci): the name "ci" is used twice',
    );
    expect(refusal(`a:viewer:${SECRET},b:admin:${SECRET}`).message).toContain(
      'entry 2 (b): has the same token as "a"',
    );
  });

  it('orders roles viewer < operator < admin', () => {
    expect(roleAllows('admin', 'operator')).toBe(true);
    expect(roleAllows('operator', 'operator')).toBe(true);
    expect(roleAllows('operator', 'admin')).toBe(false);
    expect(roleAllows('viewer', 'operator')).toBe(false);
  });
});

describe('ensureLocalAdminToken', () => {
  const dir = mkdtempSync(join(tmpdir(), 'journey-token-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates <dataDir>/admin.token with mode 0600, then reads the same token back', async () => {
    const dataDir = join(dir, 'data', 'nested');
    const created = await ensureLocalAdminToken(dataDir);
    expect(created.created).toBe(true);
    expect(created.path).toBe(join(dataDir, 'admin.token'));
    expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(created.path).mode & 0o777).toBe(0o600);
    expect(readFileSync(created.path, 'utf8').trim()).toBe(created.token);
    const again = await ensureLocalAdminToken(dataDir);
    expect(again).toEqual({ ...created, created: false });
  });

  it('gives two concurrent starts the same token', async () => {
    const dataDir = join(dir, 'race');
    const [a, b] = await Promise.all([
      ensureLocalAdminToken(dataDir),
      ensureLocalAdminToken(dataDir),
    ]);
    expect(a.token).toBe(b.token);
    expect([a.created, b.created].sort()).toEqual([false, true]);
  });

  it('refuses a token file others may read, or one without a token', async () => {
    const open = join(dir, 'open');
    await ensureLocalAdminToken(open);
    chmodSync(join(open, 'admin.token'), 0o644);
    await expect(ensureLocalAdminToken(open)).rejects.toThrow(/chmod 600/);
    const empty = join(dir, 'empty');
    await ensureLocalAdminToken(empty);
    writeFileSync(join(empty, 'admin.token'), '\n', { mode: 0o600 });
    await expect(ensureLocalAdminToken(empty)).rejects.toThrow(/holds no token/);
  });
});

describe('assertSafeBinding', () => {
  it('allows loopback hosts without tokens and any host with tokens', () => {
    for (const host of [
      '127.0.0.1',
      '127.1.2.3',
      'localhost',
      '::1',
      '[::1]',
      '::ffff:127.0.0.1',
    ]) {
      expect(isLoopbackHost(host), host).toBe(true);
      expect(() => assertSafeBinding(host, false)).not.toThrow();
    }
    expect(() => assertSafeBinding('0.0.0.0', true)).not.toThrow();
  });

  it('refuses other hosts without tokens', () => {
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'example.com', '::2', '128.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(false);
      expect(() => assertSafeBinding(host, false)).toThrow(ConfigError);
    }
    expect(() => assertSafeBinding('0.0.0.0', false)).toThrow(/JOURNEY_API_TOKENS/);
  });
});
