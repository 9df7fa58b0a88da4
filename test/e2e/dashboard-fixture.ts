import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { stringify } from 'yaml';
import { startExampleAgents, type ExampleAgents } from '../../examples/agents/index.js';
import {
  loadDefaultPlaybook,
  toPlaybookDocument,
  type Playbook,
} from '../../src/playbook/index.js';
import { FAST_RETRY, playbookFor } from '../support/a2a-engine.js';
import { REPO_ROOT } from '../support/engine-process.js';
import { launchChromium } from './chromium.js';
import { DashboardServer } from './dashboard-server.js';

/**
 * One real `journey serve` (the build, on a temp SQLite file, a free port) with the example A2A
 * agents in the test process (so tests turn their knobs), tokens for each role, and headless
 * Chromium. `useDashboard()` registers the hooks of a test file and returns the fixture.
 */

export type Role = 'viewer' | 'operator' | 'admin';

export const NAMES: Readonly<Record<Role, string>> = {
  viewer: 'vera',
  operator: 'otto',
  admin: 'ada',
};

/** Screenshots go here (git-ignored): test artifacts to look at after a run. */
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'dashboard');

export interface Dashboard {
  readonly server: DashboardServer;
  readonly agents: ExampleAgents;
  readonly tokens: Readonly<Record<Role, string>>;
  /** Calls the API directly (admin unless told), as a script would. */
  api(method: string, path: string, options?: { as?: Role; body?: unknown }): Promise<ApiAnswer>;
  /** A new browser page (its own context: its own sessionStorage) of the given size. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** Opens the dashboard and signs in with the role's token; resolves on the overview. */
  signIn(page: Page, role: Role): Promise<void>;
  /** Saves a screenshot (of the whole page unless told) under test-artifacts/dashboard/. */
  screenshot(page: Page, name: string, options?: { fullPage?: boolean }): Promise<string>;
}

export interface ApiAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export function useDashboard(): Dashboard {
  const tokens = {
    viewer: randomBytes(16).toString('hex'),
    operator: randomBytes(16).toString('hex'),
    admin: randomBytes(16).toString('hex'),
  };
  let directory = '';
  let agents: ExampleAgents | undefined;
  let server: DashboardServer | undefined;
  let browser: Browser | undefined;
  const pages: { page: Page; errors: string[] }[] = [];

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'journey-dashboard-'));
    agents = await startExampleAgents({ portBase: 0 });
    const playbook = join(directory, 'playbook.yaml');
    await writeFile(
      playbook,
      stringify(toPlaybookDocument(manualPlaybook(await loadDefaultPlaybook(), agents.urls))),
    );
    server = new DashboardServer({
      database: join(directory, 'journeys.db'),
      playbook,
      tokens: (Object.keys(tokens) as Role[])
        .map((role) => `${NAMES[role]}:${role}:${tokens[role]}`)
        .join(','),
    });
    await server.start();
    browser = await launchChromium();
    await mkdir(ARTIFACTS, { recursive: true });
  });

  // A script error on any page fails the test that opened it; a failed test leaves a
  // screenshot of each of its pages.
  afterEach(async ({ task }) => {
    const open = pages.splice(0);
    if (task.result?.state === 'fail') {
      await Promise.all(
        open.map(({ page }, index) =>
          fixture.screenshot(page, `failed-${task.name.replace(/\W+/g, '-')}-${index}`),
        ),
      );
    }
    await Promise.all(open.map(({ page }) => page.context().close()));
    const errors = open.flatMap(({ errors }) => errors);
    if (errors.length > 0) {
      throw new Error(`the dashboard raised errors:\n${errors.join('\n')}`);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await agents?.close();
    if (directory !== '') {
      await rm(directory, { recursive: true, force: true });
    }
  });

  const fixture: Dashboard = {
    get server() {
      return required(server, 'server');
    },
    get agents() {
      return required(agents, 'agents');
    },
    tokens,
    async api(method, path, options = {}) {
      const response = await fetch(`${required(server, 'server').url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${tokens[options.as ?? 'admin']}`,
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async newPage(viewport = { width: 1280, height: 900 }) {
      const context = await required(browser, 'browser').newContext({ viewport });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        // Chromium logs every refused request ("Failed to load resource: … 422"); those are
        // answers the tests expect, not errors of the dashboard.
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
          errors.push(message.text());
        }
      });
      pages.push({ page, errors });
      return page;
    },
    async signIn(page, role) {
      await page.goto(required(server, 'server').url);
      await page.getByLabel('API token').fill(tokens[role]);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('.caller').waitFor();
      await page.getByRole('heading', { name: 'Journeys', level: 1, exact: true }).waitFor();
    },
    async screenshot(page, name, options = {}) {
      const path = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path, fullPage: options.fullPage ?? true });
      return path;
    },
  };
  return fixture;
}

/**
 * The default playbook on the test's agents, with quick retries, and no stage promoting by
 * itself: the tests promote from the dashboard, and a gate re-checked by the clock (every hour
 * here) never races them.
 */
function manualPlaybook(shipped: Playbook, urls: Readonly<Record<string, string>>): Playbook {
  const base = playbookFor(shipped, urls, { retry: FAST_RETRY });
  const stages = Object.fromEntries(
    Object.entries(base.stages).map(([name, stage]) => [
      name,
      { ...stage, autoPromote: false, recheckInterval: 3_600_000 },
    ]),
  ) as unknown as Playbook['stages'];
  return { ...base, stages };
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new Error(`the dashboard fixture's ${what} is not started yet (use it inside tests)`);
  }
  return value;
}
