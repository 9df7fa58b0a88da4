import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, inject, it } from 'vitest';
import type { Store } from '../../src/application/ports.js';
import { parseDatabaseUrl } from '../../src/config/database-url.js';
import { openStore, type StoreOptions } from '../../src/storage/open-store.js';
import { StepClock } from './clock.js';
/**
 * Which storage backends the storage suites run against, and the servers they need.
 *
 * - `globalSetup` (test/support/global-setup.ts) probes PostgreSQL and NATS once per run and
 *   hands the result to every test file through vitest's `provide`/`inject`.
 * - A server that answers: its suites run. One that does not: its suites are skipped with one
 *   printed line saying why, unless `CI=true`, where they fail loudly instead.
 * - `BACKENDS=sqlite,postgres` (comma-separated) narrows the backends; the default is both.
 * - `JOURNEY_TEST_PG_URL` overrides `postgres://127.0.0.1:5432/test`.
 */

import {
  ALL_BACKENDS,
  BACKENDS,
  isCI,
  type BackendName,
  type ServiceName,
} from './global-setup.js';

export {
  ALL_BACKENDS,
  BACKENDS,
  isCI,
  selectedBackends,
  type BackendName,
  type ServiceName,
  type ServiceProbe,
  type ServiceProbes,
} from './global-setup.js';

const SERVICE_TITLE: Readonly<Record<ServiceName, string>> = {
  postgres: 'PostgreSQL',
  nats: 'NATS',
};

/**
 * `describe` for suites that need a server: runs when it answers, is skipped when it does not
 * (CI unset), and becomes one failing test when it does not answer under CI=true.
 */
export function describeWithService(service: ServiceName, name: string, body: () => void): void {
  const probe = inject('services')[service];
  if (probe.state === 'down' && !isCI()) {
    describe.skip(`${name} (skipped: ${probe.reason ?? 'down'})`, body);
    return;
  }
  if (probe.state === 'down') {
    describe(name, () => {
      it(`needs ${SERVICE_TITLE[service]}`, () => {
        throw new Error(
          `${SERVICE_TITLE[service]} is required under CI=true but ${probe.reason ?? 'it is down'}`,
        );
      });
    });
    return;
  }
  describe(name, body);
}

export interface TestDatabase {
  /** The `--db` value of this database. */
  readonly url: string;
  /** The store opened on it with the harness clock. */
  readonly store: Store;
}

/** What a storage suite gets for one backend; one file's tests share its database. */
export interface BackendHarness {
  readonly name: BackendName;
  readonly clock: StepClock;
  /** This file's database (created before the file's first test). */
  readonly url: string;
  /** The store on this file's database, opened with `clock`. */
  readonly store: Store;
  /** Another store on this file's database: separate connections. Closed after the file. */
  open(options?: StoreOptions, url?: string): Promise<Store>;
  /** A new empty database of this backend (own file / own schema) and a store on it. */
  freshDatabase(options?: StoreOptions): Promise<TestDatabase>;
}

/**
 * Runs `body` once per selected backend, like kysely's DIALECTS loop:
 * `forEachBackend((backend) => { it('...', async () => { await backend.store.commit(...) }) })`.
 * `only` restricts it (e.g. a PostgreSQL-only test).
 */
export function forEachBackend(
  body: (backend: BackendHarness) => void,
  options: { readonly only?: readonly BackendName[]; readonly clockStart?: string } = {},
): void {
  for (const name of ALL_BACKENDS) {
    if (options.only !== undefined && !options.only.includes(name)) {
      continue;
    }
    const run = () => body(backendHarness(name, options.clockStart));
    if (!BACKENDS.includes(name)) {
      // Skipped, not absent: a file whose only backend is left out still reports its tests.
      describe.skip(`${name} (not selected: BACKENDS=${process.env.BACKENDS ?? ''})`, run);
    } else if (name === 'postgres') {
      describeWithService('postgres', name, run);
    } else {
      describe(name, run);
    }
  }
}

function randomName(prefix: string): string {
  return `${prefix}${randomBytes(6).toString('hex')}`;
}

/** Creates the harness and registers its hooks in the calling describe block. */
function backendHarness(name: BackendName, clockStart?: string): BackendHarness {
  const clock = new StepClock(clockStart);
  const stores: Store[] = [];
  const databases: string[] = [];
  let tempDir: string | null = null;
  let main: TestDatabase | null = null;
  let keep = true;

  const newUrl = (): string => {
    if (name === 'sqlite') {
      tempDir ??= mkdtempSync(join(tmpdir(), 'journey-store-'));
      const url = `sqlite:${join(tempDir, `${randomName('db-')}.db`)}`;
      databases.push(url);
      return url;
    }
    const url = new URL(inject('services').postgres.url);
    url.searchParams.set('schema', randomName('t_'));
    databases.push(url.toString());
    return url.toString();
  };

  const open = async (options: StoreOptions = {}, url?: string): Promise<Store> => {
    const target = url ?? main?.url;
    if (target === undefined) {
      throw new Error('the file database is not created yet: open stores inside tests or hooks');
    }
    const store = await openStore(target, { clock, ...options });
    stores.push(store);
    return store;
  };

  const freshDatabase = async (options: StoreOptions = {}): Promise<TestDatabase> => {
    const url = newUrl();
    return { url, store: await open(options, url) };
  };

  beforeAll(async () => {
    main = await freshDatabase();
    keep = false;
  });

  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      keep = true;
    });
  });

  afterAll(async () => {
    await Promise.allSettled(stores.map((store) => store.close()));
    if (keep) {
      for (const url of databases) {
        console.warn(`[${name}] kept the test database for debugging: ${url}`);
      }
      return;
    }
    if (name === 'postgres') {
      await dropSchemas(databases);
    } else if (tempDir !== null) {
      rmSync(tempDir, { recursive: true, force: true });
    }
  });

  return {
    name,
    clock,
    get url() {
      if (main === null) {
        throw new Error('the file database is not created yet');
      }
      return main.url;
    },
    get store() {
      if (main === null) {
        throw new Error('the file database is not created yet');
      }
      return main.store;
    },
    open,
    freshDatabase,
  };
}

async function dropSchemas(urls: readonly string[]): Promise<void> {
  const first = urls[0];
  if (first === undefined) {
    return;
  }
  const parsed = parseDatabaseUrl(first);
  if (parsed.backend !== 'postgres') {
    return;
  }
  const client = new pg.Client({ connectionString: parsed.connectionString });
  await client.connect();
  try {
    for (const url of urls) {
      const target = parseDatabaseUrl(url);
      if (target.backend === 'postgres' && target.schema.startsWith('t_')) {
        await client.query(`DROP SCHEMA IF EXISTS "${target.schema}" CASCADE`);
      }
    }
  } finally {
    await client.end();
  }
}
