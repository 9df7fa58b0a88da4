import { connect } from 'node:net';
import { userInfo } from 'node:os';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

/**
 * Probes the servers the integration suites need, once per run, and provides the result to
 * every test file (`inject('services')`, see test/support/backends.ts). Prints one line per
 * missing server. This file must not import vitest itself: globalSetup runs outside the workers.
 */

export type BackendName = 'sqlite' | 'postgres';
export type ServiceName = 'postgres' | 'nats';

export const ALL_BACKENDS: readonly BackendName[] = ['sqlite', 'postgres'];

export interface ServiceProbe {
  readonly service: ServiceName;
  /** host:port, for messages. */
  readonly target: string;
  /** `up`: answers; `down`: nothing listens; `refused`: it answers but will not serve us. */
  readonly state: 'up' | 'down' | 'refused';
  readonly reason: string | null;
}

export interface ServiceProbes {
  readonly postgres: ServiceProbe & { readonly url: string };
  readonly nats: ServiceProbe;
}

declare module 'vitest' {
  export interface ProvidedContext {
    services: ServiceProbes;
  }
}

export const isCI = (): boolean => /^(1|true|yes)$/i.test(process.env.CI ?? '');

/** `BACKENDS=sqlite,postgres` narrows the list; an unknown name is an error, not a silent skip. */
export function selectedBackends(value = process.env.BACKENDS): readonly BackendName[] {
  if (value === undefined || value.trim() === '') {
    return ALL_BACKENDS;
  }
  const names = value
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => !(ALL_BACKENDS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `BACKENDS=${value}: unknown ${unknown.join(', ')} (use ${ALL_BACKENDS.join(',')})`,
    );
  }
  return ALL_BACKENDS.filter((name) => names.includes(name));
}

export const BACKENDS = selectedBackends();

/**
 * The PostgreSQL URL the tests use. A URL without a user gets the OS user, since the pg driver
 * otherwise takes `$USER`, which is unset in some containers and CI shells.
 */
export function postgresTestUrl(value = process.env.JOURNEY_TEST_PG_URL): string {
  const url = new URL(value ?? 'postgres://127.0.0.1:5432/test');
  if (url.username === '' && (process.env.PGUSER ?? '') === '' && (process.env.USER ?? '') === '') {
    url.username = userInfo().username;
  }
  return url.toString();
}

/** Is something listening at host:port? A plain TCP connect, nothing more. */
export function tcpAnswers(host: string, port: number, timeoutMs = 1_500): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (reason: string | null) => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
    socket.once('connect', () => done(null));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

export async function probePostgres(url = postgresTestUrl()): Promise<ServiceProbes['postgres']> {
  const parsed = new URL(url);
  const host = parsed.hostname;
  const port = Number(parsed.port || '5432');
  const target = `${host}:${port}`;
  const tcp = await tcpAnswers(host, port);
  if (tcp !== null) {
    return {
      service: 'postgres',
      target,
      url,
      state: 'down',
      reason: `no server answers at ${target} (${tcp})`,
    };
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { service: 'postgres', target, url, state: 'up', reason: null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      service: 'postgres',
      target,
      url,
      state: 'refused',
      reason: `the server at ${target} answers but refuses us: ${message}`,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function probeNats(
  host = process.env.JOURNEY_TEST_NATS_HOST ?? '127.0.0.1',
  port = Number(process.env.JOURNEY_TEST_NATS_PORT ?? '4222'),
): Promise<ServiceProbe> {
  const target = `${host}:${port}`;
  const tcp = await tcpAnswers(host, port);
  return tcp === null
    ? { service: 'nats', target, state: 'up', reason: null }
    : { service: 'nats', target, state: 'down', reason: `no server answers at ${target} (${tcp})` };
}

const SERVICE_TITLE: Readonly<Record<ServiceName, string>> = {
  postgres: 'PostgreSQL',
  nats: 'NATS',
};

/** The one line printed (by globalSetup) for a service that is not there. */
export function gateMessage(probe: ServiceProbe): string | null {
  if (probe.state === 'up') {
    return null;
  }
  const title = SERVICE_TITLE[probe.service];
  if (probe.state === 'refused') {
    return `${title} suites will fail: ${probe.reason ?? 'refused'}`;
  }
  return isCI()
    ? `${title} suites FAIL: ${probe.reason ?? 'down'} and CI=true requires it`
    : `${title} suites skipped: ${probe.reason ?? 'down'} (set CI=true to make this a failure)`;
}

export default async function setup(project: TestProject): Promise<void> {
  const [postgres, nats] = await Promise.all([probePostgres(), probeNats()]);
  project.provide('services', { postgres, nats });
  const lines = [BACKENDS.includes('postgres') ? gateMessage(postgres) : null, gateMessage(nats)];
  for (const line of lines) {
    if (line !== null) {
      console.log(line);
    }
  }
}
