import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigError } from '../../application/errors.js';
import { childEnvironment } from '../../config/env.js';
import { defaultPlaybookPath } from '../../playbook/index.js';
import { DemoChild } from './child.js';
import { freePortRange } from './free-ports.js';

/** The six example agents, one port each from the base (examples/agents/catalog.ts). */
const AGENT_COUNT = 6;

/**
 * Tasks the example agents take their time over, so the live progress has something to show;
 * each ends just before one of the engine's polls (500 ms, then 1.5 s after the start).
 */
const SLOW_TASKS = [
  'tenancy/create_tenant=slow:1400',
  'connectors/install_connectors=slow:1400',
  'dataops/provision_test_dataset=slow:400',
  'quality/capture_search_baseline=slow:400',
  'tenancy/invite_pilot_users=slow:400',
  'operations/enable_monitoring=slow:400',
  'tenancy/open_tenant=slow:400',
];

/** The pilot check the demo fails: 3.2 is not > 4.0 (playbooks/demo.yaml `user_satisfaction`). */
export const FAILING_READING = 'quality/measure_user_satisfaction=3.2';

/** Where everything the demo starts lives, and how to take it all down again. */
export interface DemoStack {
  readonly url: string;
  readonly token: string;
  /** Restarts the agents on the same ports with the standard readings: the fix. */
  fixAgents(): Promise<void>;
  /** Stops every process and removes the temporary directory; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts, on a fresh temporary SQLite database, the example agents (with the failing reading)
 * and `journey serve` with the demo playbook pointed at them (`--agents`). The server's token
 * is the admin token it writes next to the database.
 */
export async function startDemoStack(): Promise<DemoStack> {
  const root = dirname(dirname(defaultPlaybookPath()));
  const agentsScript = join(root, 'dist', 'examples', 'agents', 'main.js');
  if (!existsSync(agentsScript)) {
    throw new ConfigError(
      'journey demo',
      `the example agents are not built (${agentsScript}): run npm run build`,
    );
  }
  const directory = await mkdtemp(join(tmpdir(), 'journey-demo-'));
  const children = new Set<DemoChild>();
  // Whatever ends this process, no child outlives it.
  const killAll = (): void => children.forEach((child) => child.killNow());
  process.once('exit', killAll);
  const stopChild = async (child: DemoChild): Promise<void> => {
    await child.stop();
    children.delete(child);
  };
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) {
      return;
    }
    closed = true;
    await Promise.all([...children].map(stopChild));
    process.off('exit', killAll);
    await rm(directory, { recursive: true, force: true });
  };
  const env = childEnvironment({
    JOURNEY_API_TOKENS: undefined,
    JOURNEY_DB: undefined,
    JOURNEY_URL: undefined,
    JOURNEY_TOKEN: undefined,
  });
  let agents: DemoChild | undefined;
  const startAgents = async (portBase: number, readings: readonly string[]): Promise<string> => {
    const flags = [...SLOW_TASKS, ...readings].flatMap((flag) =>
      flag.includes('slow:') ? ['--behave', flag] : ['--metric', flag],
    );
    const child = new DemoChild(
      'the example agents',
      process.execPath,
      [agentsScript, '--port-base', String(portBase), ...flags],
      env,
    );
    children.add(child);
    const urls: string[] = [];
    await child.waitFor((line) => {
      const listed = /^(\S+)\s+(http:\/\/\S+)$/.exec(line);
      if (listed !== null) {
        urls.push(`${listed[1]}=${listed[2]}`);
      }
      return line.startsWith('example agents ready') ? true : undefined;
    });
    agents = child;
    return urls.join(',');
  };
  try {
    const portBase = await freePortRange(AGENT_COUNT);
    const registry = await startAgents(portBase, [FAILING_READING]);
    const server = new DemoChild(
      'journey serve',
      process.execPath,
      [
        ...process.execArgv,
        process.argv[1] ?? join(root, 'dist', 'cli', 'main.js'),
        'serve',
        '--db',
        `sqlite:${join(directory, 'journeys.db')}`,
        '--port',
        '0',
        '--playbook',
        join(root, 'playbooks', 'demo.yaml'),
        '--agents',
        registry,
      ],
      env,
    );
    children.add(server);
    const url = await server.waitFor(apiUrlOf);
    const token = (await readFile(join(directory, 'admin.token'), 'utf8')).trim();
    return {
      url,
      token,
      fixAgents: async () => {
        if (agents !== undefined) {
          await stopChild(agents);
        }
        await startAgents(portBase, []);
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The API address from serve's "engine running" log line (JSON lines, pino). */
function apiUrlOf(line: string): string | undefined {
  if (!line.includes('"api"')) {
    return undefined;
  }
  try {
    const entry = JSON.parse(line) as { api?: unknown };
    return typeof entry.api === 'string' ? entry.api : undefined;
  } catch {
    return undefined;
  }
}
