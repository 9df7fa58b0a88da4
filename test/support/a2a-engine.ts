import { randomUUID } from 'node:crypto';
import { setTimeout as pause } from 'node:timers/promises';
import { startExampleAgents, type ExampleAgents } from '../../examples/agents/index.js';
import { A2AAgentGateway } from '../../src/agents/a2a/index.js';
import { StaticPlaybookCatalog } from '../../src/application/playbook-catalog.js';
import type { Store } from '../../src/application/ports.js';
import type { Millis, TaskDefinition } from '../../src/domain/index.js';
import type { Playbook } from '../../src/playbook/index.js';
import { Engine } from '../../src/runtime/engine.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { MetricSourceRouter } from '../../src/sources/index.js';
import { testPlaybook } from './engine-harness.js';

/**
 * An engine that talks A2A over real HTTP to the example agents on 127.0.0.1, on the real
 * clock (agents work in real time), with quick polls and short retries so tests stay fast.
 */
export interface A2AEngine {
  readonly engine: Engine;
  readonly agents: ExampleAgents;
  readonly playbook: Playbook;
  /** Polls `check` every 25 ms until it returns a value, or fails after `within`. */
  readonly waitFor: <T>(check: () => Promise<T | undefined>, within?: Millis) => Promise<T>;
  close(): Promise<void>;
}

/** The default playbook pointed at `urls`, every task with `task` settings applied. */
export function playbookFor(
  base: Playbook,
  urls: Readonly<Record<string, string>>,
  task: Partial<Pick<TaskDefinition, 'timeout' | 'retry'>> = {},
): Playbook {
  const tasks = (list: readonly TaskDefinition[]) => list.map((t) => ({ ...t, ...task }));
  const stages = Object.fromEntries(
    Object.entries(base.stages).map(([name, stage]) => [
      name,
      {
        ...stage,
        setup: { tasks: tasks(stage.setup.tasks) },
        rollback: { tasks: tasks(stage.rollback.tasks) },
      },
    ]),
  ) as unknown as Playbook['stages'];
  const agents = Object.fromEntries(
    Object.entries(base.agents).map(([id, endpoint]) => [
      id,
      { ...endpoint, url: urls[id] ?? endpoint.url },
    ]),
  );
  return { ...base, agents, stages };
}

export const FAST_RETRY = {
  maxRetries: 3,
  initialInterval: 20,
  backoffCoefficient: 2,
  maxInterval: 200,
  jitter: 0,
};

export async function startA2AEngine(
  store: Store,
  options: { readonly task?: Partial<Pick<TaskDefinition, 'timeout' | 'retry'>> } = {},
): Promise<A2AEngine> {
  const agents = await startExampleAgents({ portBase: 0 });
  const playbook = playbookFor(await testPlaybook(), agents.urls, {
    retry: FAST_RETRY,
    ...options.task,
  });
  const gateway = new A2AAgentGateway(
    Object.fromEntries(Object.entries(playbook.agents).map(([id, e]) => [id, { url: e.url }])),
    { requestTimeoutMs: 5_000 },
  );
  const engine = new Engine({
    store,
    clock: systemClock,
    ids: { next: randomUUID },
    agents: gateway,
    metrics: new MetricSourceRouter({
      clock: systemClock,
      agents: gateway,
      agentBackoff: { first: 10, max: 50 },
    }),
    playbooks: new StaticPlaybookCatalog([playbook]),
    settings: { pollInitial: 20, pollMax: 100, observationTimeout: 5_000 },
    worker: { concurrency: 16, idlePoll: 50 },
  });
  engine.start();
  return {
    engine,
    agents,
    playbook,
    waitFor: async <T>(
      check: () => Promise<T | undefined>,
      within: Millis = 20_000,
    ): Promise<T> => {
      const deadline = Date.now() + within;
      for (;;) {
        const value = await check();
        if (value !== undefined) {
          return value;
        }
        if (Date.now() > deadline) {
          throw new Error(`condition not met within ${within} ms`);
        }
        await pause(25);
      }
    },
    async close() {
      await engine.stop(1_000);
      await gateway.close();
      await agents.close();
    },
  };
}
