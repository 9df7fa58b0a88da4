import { readFile } from 'node:fs/promises';
import process from 'node:process';
import { parseArgs } from 'node:util';
import {
  parseBehaveFlag,
  parseMetricFlag,
  parsePlan,
  type BehaviourPlan,
} from './behaviour-plan.js';
import { DEFAULT_PORT_BASE, startExampleAgents } from './start-example-agents.js';

/**
 * Starts the example agents until SIGINT or SIGTERM:
 *
 *     node dist/examples/agents/main.js [--port-base 7401] [--behaviour file.json]
 *         [--behave tenancy/create_tenant=fail:2] [--metric quality/measure_search_quality=70]
 */

const USAGE =
  'usage: main.js [--port-base N] [--behaviour file.json] [--behave agent/intent[@client]=kind[:arg]]... [--metric agent/intent[@client]=value]...';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'port-base': { type: 'string', default: String(DEFAULT_PORT_BASE) },
      behaviour: { type: 'string' },
      behave: { type: 'string', multiple: true, default: [] },
      metric: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const portBase = Number(values['port-base']);
  if (!Number.isInteger(portBase) || portBase < 0 || portBase > 65_530) {
    throw new Error(`--port-base must be a port number, not ${values['port-base']}`);
  }
  const plan = await readPlan(values.behaviour, values.behave, values.metric);
  const agents = await startExampleAgents({ portBase, plan });
  const stop = (signal: NodeJS.Signals): void => {
    console.log(`${signal}: stopping the example agents`);
    agents.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  // Listening before saying "ready": whoever reads it may signal at once.
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  for (const [agentId, url] of Object.entries(agents.urls)) {
    console.log(`${agentId.padEnd(11)} ${url}`);
  }
  console.log('example agents ready; Ctrl-C stops them');
}

/** The file's plan, then the flags on top (a flag wins over the file for the same target). */
async function readPlan(
  file: string | undefined,
  behave: readonly string[],
  metric: readonly string[],
): Promise<BehaviourPlan> {
  let fromFile: BehaviourPlan = {};
  if (file !== undefined) {
    const parsed = parsePlan(JSON.parse(await readFile(file, 'utf8')) as unknown);
    if (!parsed.ok) {
      throw new Error(`${file}: ${parsed.error}`);
    }
    fromFile = parsed.value;
  }
  const behaviours = behave.map(parseBehaveFlag);
  const metrics = metric.map(parseMetricFlag);
  const bad = [...behaviours, ...metrics].flatMap((flag) => (flag.ok ? [] : [flag.error]));
  if (bad.length > 0) {
    throw new Error(bad.join('\n'));
  }
  return {
    behaviours: [
      ...(fromFile.behaviours ?? []),
      ...behaviours.flatMap((flag) => (flag.ok ? [flag.value] : [])),
    ],
    metrics: [
      ...(fromFile.metrics ?? []),
      ...metrics.flatMap((flag) => (flag.ok ? [flag.value] : [])),
    ],
  };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(USAGE);
  process.exit(2);
});
