import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import type { Store } from '../../src/application/ports.js';
import { readJourneyEvents } from '../../src/application/queries/journey-events.js';
import { startApiServer, type RunningApiServer } from '../../src/http/server.js';
import { ApiTokens } from '../../src/http/tokens.js';
import type { Playbook } from '../../src/playbook/index.js';
import type { BackendHarness } from '../support/backends.js';
import type { StepClock } from '../support/clock.js';
import {
  startTestEngine,
  testPlaybook,
  type DemoAgents,
  type EngineHarness,
} from '../support/engine-harness.js';

/**
 * The API over real HTTP on 127.0.0.1 (a free port), on a backend's fresh database, with an
 * engine whose agents run in process. One per test file and backend: `useApi(backend)`
 * registers the hooks and returns an object whose fields are set once `beforeAll` ran.
 */

export const TOKENS = {
  viewer: `v-${randomBytes(12).toString('hex')}`,
  operator: `o-${randomBytes(12).toString('hex')}`,
  admin: `a-${randomBytes(12).toString('hex')}`,
} as const;

/** The key the test servers sign sign-off links with. */
export const TEST_SIGN_OFF_SECRET = `s-${randomBytes(24).toString('hex')}`;

/** The names the tokens act under (they end up in event metadata). */
export const NAMES = { viewer: 'vera', operator: 'otto', admin: 'ada' } as const;

export type Caller = keyof typeof TOKENS | 'none' | 'bad';

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly contentType: string;
  /** Parsed JSON when the answer is JSON, else the text. */
  readonly body: unknown;
  /** Shorthand for tests: the body as a record. */
  readonly json: Record<string, unknown>;
}

export interface RequestOptions {
  readonly as?: Caller;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Sent as is (with `contentType`). */
  readonly raw?: string | Buffer;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
}

export interface Api {
  readonly url: string;
  readonly store: Store;
  readonly clock: StepClock;
  readonly engine: EngineHarness['engine'];
  readonly agents: DemoAgents;
  readonly settle: EngineHarness['settle'];
  readonly server: RunningApiServer;
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
}

/** A playbook whose stages never promote by themselves, so tests drive each promotion. */
export async function manualPlaybook(): Promise<Playbook> {
  const playbook = await testPlaybook();
  const stages = Object.fromEntries(
    Object.entries(playbook.stages).map(([stage, settings]) => [
      stage,
      { ...settings, autoPromote: false },
    ]),
  ) as unknown as Playbook['stages'];
  return { ...playbook, stages };
}

export function useApi(
  backend: BackendHarness,
  options: { readonly playbook?: () => Promise<Playbook> } = {},
): Api {
  const api = {} as { -readonly [K in keyof Api]: Api[K] };
  beforeAll(async () => {
    const { store } = await backend.freshDatabase();
    const playbook = options.playbook === undefined ? undefined : await options.playbook();
    const harness = await startTestEngine(
      store,
      backend.clock,
      playbook === undefined ? {} : { playbook },
    );
    const server = await startApiServer({
      orchestrator: harness.engine.orchestrator,
      store,
      clock: backend.clock,
      tokens: ApiTokens.of(
        (['viewer', 'operator', 'admin'] as const).map((role) => ({
          name: NAMES[role],
          role,
          token: TOKENS[role],
        })),
      ),
      version: '0.0.0-test',
      statisticsMaxAge: 0,
      playbooks: harness.engine.context.playbooks,
      signOff: { secret: TEST_SIGN_OFF_SECRET },
      host: '127.0.0.1',
      port: 0,
    });
    Object.assign(api, {
      url: server.url,
      store,
      clock: backend.clock,
      engine: harness.engine,
      agents: harness.agents,
      settle: harness.settle,
      server,
      request: (method: string, path: string, requestOptions: RequestOptions = {}) =>
        send(server.url, method, path, requestOptions),
    });
  });
  afterAll(async () => {
    await api.server?.close();
    await api.engine?.stop();
  });
  return api;
}

async function send(
  url: string,
  method: string,
  path: string,
  options: RequestOptions,
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  const as = options.as ?? 'admin';
  if (as === 'bad') {
    headers.authorization = 'Bearer not-a-token-we-know';
  } else if (as !== 'none') {
    headers.authorization = `Bearer ${TOKENS[as]}`;
  }
  let body: string | Buffer | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    if (options.contentType !== undefined) {
      headers['content-type'] = options.contentType;
    }
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = options.contentType ?? 'application/json';
  }
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  const parsed: unknown = /json/.test(contentType) && text !== '' ? JSON.parse(text) : text;
  return {
    status: response.status,
    headers: response.headers,
    contentType,
    body: parsed,
    json: (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>,
  };
}

/** Everything the store holds that a refused request must not change. */
export async function snapshotState(store: Store): Promise<unknown> {
  const journeys = [];
  let cursor: string | null = null;
  do {
    const page = await store.listJourneys({ limit: 500, cursor });
    journeys.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  // Each journey's streams rather than the global log: on PostgreSQL, readAll may hold back
  // the newest commits for a moment (it never skips one), which would look like a change.
  const events = await Promise.all(
    journeys.map(async ({ journeyId }) =>
      (await readJourneyEvents(store, journeyId)).map((e) => e.eventId),
    ),
  );
  return { journeys, events, queued: await store.countQueued() };
}
