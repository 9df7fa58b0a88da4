import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startExampleAgents, type ExampleAgents } from '../../examples/agents/index.js';
import { DemoChild } from '../../src/cli/demo/child.js';
import { REPO_ROOT } from '../support/engine-process.js';
import { tempDirectory } from './run-cli.js';

/**
 * The built `journey` binary (`node dist/cli/main.js`, as `npm run build` leaves it) run as a
 * child process against a real `journey serve`, for the tests of the client commands and the
 * demo. A missing build is made first (`npm run verify` builds before it tests).
 */

export const JOURNEY_BIN = join(REPO_ROOT, 'dist', 'cli', 'main.js');
const AGENTS_BIN = join(REPO_ROOT, 'dist', 'examples', 'agents', 'main.js');
const exec = promisify(execFile);

export async function ensureBuilt(): Promise<void> {
  if (existsSync(JOURNEY_BIN) && existsSync(AGENTS_BIN)) {
    return;
  }
  // Others' unfinished files may fail the type check; the emitted JavaScript is what counts.
  for (const project of ['tsconfig.build.json', 'tsconfig.examples.json']) {
    await exec(
      process.execPath,
      [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project],
      {
        cwd: REPO_ROOT,
      },
    ).catch(() => undefined);
  }
  if (!existsSync(JOURNEY_BIN) || !existsSync(AGENTS_BIN)) {
    throw new Error(`cannot build ${JOURNEY_BIN}: run npm run build`);
  }
}

export interface BinaryRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** Runs `journey <args>` with exactly `env` (plus PATH), so nothing leaks in from the test's own. */
export async function journey(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  options: { readonly cwd?: string; readonly timeoutMs?: number } = {},
): Promise<BinaryRun> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [JOURNEY_BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      cwd: options.cwd ?? REPO_ROOT,
      timeout: options.timeoutMs ?? 30_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: unknown };
    if (typeof failed.code !== 'number') {
      throw error;
    }
    return { stdout: failed.stdout ?? '', stderr: failed.stderr ?? '', code: failed.code };
  }
}

export const TOKENS = {
  admin: randomBytes(16).toString('hex'),
  operator: randomBytes(16).toString('hex'),
  viewer: randomBytes(16).toString('hex'),
};

export interface RunningServer {
  readonly url: string;
  readonly agents: ExampleAgents;
  /** The environment a client command needs to reach it as `role`. */
  env(role: keyof typeof TOKENS): Record<string, string>;
  close(): Promise<void>;
}

/**
 * `journey serve` (the built binary) on a fresh SQLite file, with the example agents in this
 * process on free ports (`--agents`) and three configured tokens (admin, operator, viewer);
 * `serveArgs` are added to its command line (e.g. `--outlets FILE`).
 */
export async function startServer(
  options: { readonly serveArgs?: readonly string[] } = {},
): Promise<RunningServer> {
  const dir = await tempDirectory();
  const agents = await startExampleAgents({ portBase: 0 });
  const registry = Object.entries(agents.urls)
    .map(([id, url]) => `${id}=${url}`)
    .join(',');
  const server = new DemoChild(
    'journey serve',
    process.execPath,
    [
      JOURNEY_BIN,
      'serve',
      '--db',
      `sqlite:${join(dir.path, 'journeys.db')}`,
      '--port',
      '0',
      '--agents',
      registry,
      ...(options.serveArgs ?? []),
    ],
    {
      PATH: process.env.PATH ?? '',
      JOURNEY_API_TOKENS: Object.entries(TOKENS)
        .map(([role, token]) => `${role}:${role}:${token}`)
        .join(','),
    },
  );
  try {
    const url = await server.waitFor((line) => /"api":"([^"]+)"/.exec(line)?.[1]);
    return {
      url,
      agents,
      env: (role) => ({ JOURNEY_URL: url, JOURNEY_TOKEN: TOKENS[role] }),
      close: async () => {
        await server.stop();
        await agents.close();
        await dir.remove();
      },
    };
  } catch (error) {
    await server.stop();
    await agents.close();
    await dir.remove();
    throw error;
  }
}
