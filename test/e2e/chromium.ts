import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { describe, it } from 'vitest';
import { isCI } from '../support/backends.js';

/**
 * The browser of the end-to-end tests: Debian's `chromium` package (/usr/bin/chromium, or
 * CHROMIUM_PATH), driven by playwright-core, which never downloads a browser of its own.
 * `.ci/run` installs the package when it is missing.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * `describe` for suites that need Chromium, gated like the database suites
 * (test/support/backends.ts): run when it is installed; skipped with one printed reason when it
 * is not and CI is unset; one failing test when it is not and CI=true.
 */
export function describeWithChromium(name: string, body: () => void): void {
  if (existsSync(CHROMIUM_PATH)) {
    describe(name, body);
    return;
  }
  const reason = `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
  if (!isCI()) {
    console.log(`${name}: skipped, ${reason}`);
    describe.skip(`${name} (skipped: ${reason})`, body);
    return;
  }
  describe(name, () => {
    it('needs Chromium', () => {
      throw new Error(`Chromium is required under CI=true but there is ${reason}`);
    });
  });
}

/**
 * Headless Chromium with the flags this machine needs: no sandbox (CI runs as root), no GPU,
 * and none of the background connections a closed network refuses (updates, sync, QUIC).
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    chromiumSandbox: false,
    args: [
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
