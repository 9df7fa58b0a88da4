import { startAgentServer, type RunningServer } from './agent-server.js';
import { BehaviourControl } from './behaviour-control.js';
import { applyPlan, type BehaviourPlan } from './behaviour-plan.js';
import { EXAMPLE_AGENT_IDS, EXAMPLE_AGENTS, type ExampleAgentId } from './catalog.js';
import { Counters } from './counters.js';
import { ExampleExecutor } from './example-executor.js';

/**
 * The six agents of the default playbook, each a real A2A server on 127.0.0.1, with the knobs
 * and counters tests need. `journey demo` and `node dist/examples/agents/main.js` start them on
 * the playbook's ports; tests start them on ephemeral ones and pass `urls` to the gateway.
 */

export interface ExampleAgentsOptions {
  /**
   * The first agent's port; the others follow in order (tenancy, connectors, dataops, quality,
   * security, operations). 0 gives every agent an ephemeral port. @default 7401
   */
  readonly portBase?: number;
  /** Behaviours and readings to start with. @default every intent succeeds */
  readonly plan?: BehaviourPlan;
  /** The agents' clock: task timestamps and the standard `heldSince`. @default the system clock */
  readonly now?: () => Date;
}

export interface ExampleAgents {
  /** Agent id -> base URL: the shape of a playbook's `agents` map (with `url`). */
  readonly urls: Readonly<Record<ExampleAgentId, string>>;
  readonly behaviour: BehaviourControl;
  readonly counters: Counters;
  close(): Promise<void>;
}

export const DEFAULT_PORT_BASE = 7401;

export async function startExampleAgents(
  options: ExampleAgentsOptions = {},
): Promise<ExampleAgents> {
  const portBase = options.portBase ?? DEFAULT_PORT_BASE;
  const now = options.now ?? ((): Date => new Date());
  const behaviour = new BehaviourControl();
  const counters = new Counters();
  if (options.plan !== undefined) {
    applyPlan(behaviour, options.plan);
  }
  const startedAt = now();
  const servers: RunningServer[] = [];
  const executors: ExampleExecutor[] = [];
  const closeAll = async (): Promise<void> => {
    for (const executor of executors.splice(0)) {
      executor.stopAll();
    }
    await Promise.all(servers.splice(0).map((server) => server.close()));
  };
  const urls: Partial<Record<ExampleAgentId, string>> = {};
  try {
    for (const [index, agentId] of EXAMPLE_AGENT_IDS.entries()) {
      const executor = new ExampleExecutor({
        agentId,
        control: behaviour,
        counters,
        now,
        startedAt,
      });
      executors.push(executor);
      const port = portBase === 0 ? 0 : portBase + index;
      const server = await startAgentServer(EXAMPLE_AGENTS[agentId], executor, port);
      servers.push(server);
      urls[agentId] = server.url;
    }
  } catch (error) {
    // A port in use must not leave the agents that did start listening.
    await closeAll();
    throw error;
  }
  return {
    urls: Object.freeze(urls as Record<ExampleAgentId, string>),
    behaviour,
    counters,
    close: closeAll,
  };
}
