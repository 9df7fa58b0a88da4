import { randomUUID } from 'node:crypto';
import { InProcessAgentGateway, type AgentHandler } from '../src/agents/in-process/index.js';
import type {
  AgentGateway,
  AgentTaskRef,
  DispatchResult,
  PollResult,
  TaskDispatch,
} from '../src/application/agents.js';
import type { EngineSettings } from '../src/application/engine/context.js';
import { StaticPlaybookCatalog } from '../src/application/playbook-catalog.js';
import type { Store } from '../src/application/ports.js';
import {
  asCriterionId,
  asTaskId,
  DEFAULT_RETRY_POLICY,
  type ExitCriterion,
  type TaskDefinition,
} from '../src/domain/index.js';
import { PLAYBOOK_API_VERSION, type Playbook, type StagePlaybook } from '../src/playbook/index.js';
import { Engine } from '../src/runtime/engine.js';
import { systemClock } from '../src/runtime/system-clock.js';
import { MetricSourceRouter } from '../src/sources/index.js';

/**
 * The engine bench's workload: a playbook built in code whose every stage has the same
 * four-task setup DAG and one exit criterion read from an in-process agent, auto-promoting;
 * agents that answer at once (or never); and an engine wired to them on the real clock.
 */

/** `chain`: a -> b -> c -> d (the job-queue comparison's shape); `diamond`: a -> (b, c) -> d. */
export type DagShape = 'chain' | 'diamond';

export const TASKS_PER_STAGE = 4;
export const STAGES = 3;
export const TASKS_PER_JOURNEY = TASKS_PER_STAGE * STAGES;

const DEPENDENCIES: Readonly<Record<DagShape, Readonly<Record<string, readonly string[]>>>> = {
  chain: { a: [], b: ['a'], c: ['b'], d: ['c'] },
  diamond: { a: [], b: ['a'], c: ['a'], d: ['b', 'c'] },
};

/** The intent every setup task asks for, and the one the exit criterion reads. */
export const STEP_INTENT = 'bench_step';
export const HEALTH_INTENT = 'bench_health';

/** `taskTimeout`: how long one attempt may run before it fails TIMEOUT (and is retried). */
export function benchPlaybook(shape: DagShape, taskTimeout = 60_000): Playbook {
  const tasks: TaskDefinition[] = Object.entries(DEPENDENCIES[shape]).map(([id, after]) => ({
    taskId: asTaskId(id),
    name: `step ${id}`,
    intent: STEP_INTENT,
    // A reference to an upstream output, so input resolution runs as it does in real playbooks.
    input:
      after[0] === undefined
        ? { clientId: '${journey.clientId}', step: id }
        : { previous: `\${tasks.${after[0]}.output.ref}`, step: id },
    dependsOn: after.map(asTaskId),
    retry: DEFAULT_RETRY_POLICY,
    timeout: taskTimeout,
  }));
  const healthy: ExitCriterion = {
    id: asCriterionId('healthy'),
    description: 'The in-process health agent says yes',
    kind: 'metric',
    source: { type: 'agent', intent: HEALTH_INTENT },
    comparator: 'eq',
    threshold: true,
  };
  const stage: StagePlaybook = {
    setup: { tasks },
    rollback: { tasks: [] },
    exitCriteria: [healthy],
    autoPromote: true,
    recheckInterval: 60_000,
    rollbackOnFailure: false,
    soakTime: 0,
  };
  return {
    apiVersion: PLAYBOOK_API_VERSION,
    name: `bench-${shape}`,
    version: 1,
    description: `Every stage: a four-task ${shape} setup, one agent-read criterion, auto-promote`,
    agents: {},
    freezes: [],
    stages: { sandbox: stage, pilot: stage, production: stage },
  };
}

/** Agents that answer every task and every health reading at once, in the same tick. */
export function instantAgents(): InProcessAgentGateway {
  const step: AgentHandler = ({ dispatch }) => ({ ref: `${dispatch.taskId}:${dispatch.clientId}` });
  return new InProcessAgentGateway()
    .register(STEP_INTENT, step)
    .register(HEALTH_INTENT, () => ({ value: true }));
}

/**
 * Agents whose tasks never end, as remote agents that took the work: every dispatch is answered
 * `running` at once and every poll `running` again, so each journey's first task stays running
 * and the engine keeps polling it. Nothing is held here per task (a remote agent holds its work
 * in its own process), so what the process holds is the engine's. Health readings answer at once.
 */
export class BusyAgents implements AgentGateway {
  dispatched = 0;
  polls = 0;
  readonly #health = new InProcessAgentGateway().register(HEALTH_INTENT, () => ({ value: true }));

  dispatch(request: TaskDispatch, signal: AbortSignal): Promise<DispatchResult> {
    if (request.intent === HEALTH_INTENT) {
      return this.#health.dispatch(request, signal);
    }
    this.dispatched += 1;
    return Promise.resolve({
      status: 'running',
      agentId: 'busy',
      agentTaskId: request.messageId,
    });
  }

  poll(_ref: AgentTaskRef): Promise<PollResult> {
    this.polls += 1;
    return Promise.resolve({ status: 'running' });
  }

  cancel(_ref: AgentTaskRef): Promise<void> {
    return Promise.resolve();
  }

  check(): Promise<string[]> {
    return Promise.resolve([]);
  }

  close(): Promise<void> {
    return this.#health.close();
  }
}

export interface BenchEngine {
  readonly engine: Engine;
  /** Warnings the engine logged (a handler failure, a refused reaction): expected to stay 0. */
  readonly warnings: () => number;
  readonly lastWarning: () => string | undefined;
}

export function benchEngine(options: {
  readonly store: Store;
  readonly agents: AgentGateway;
  readonly playbook: Playbook;
  readonly concurrency: number;
  readonly settings?: Partial<EngineSettings>;
}): BenchEngine {
  let warnings = 0;
  let lastWarning: string | undefined;
  const engine = new Engine({
    store: options.store,
    clock: systemClock,
    ids: { next: randomUUID },
    agents: options.agents,
    metrics: new MetricSourceRouter({ clock: systemClock, agents: options.agents }),
    playbooks: new StaticPlaybookCatalog([options.playbook]),
    ...(options.settings === undefined ? {} : { settings: options.settings }),
    log: {
      info: () => undefined,
      warn: (message, fields) => {
        warnings += 1;
        lastWarning = `${message} ${JSON.stringify(fields ?? {})}`;
      },
    },
    worker: { concurrency: options.concurrency },
  });
  return { engine, warnings: () => warnings, lastWarning: () => lastWarning };
}

/** Runs `count` calls of `start(index)`, at most `parallel` at a time. */
export async function startAll(
  count: number,
  parallel: number,
  start: (index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      while (next < count) {
        const index = next;
        next += 1;
        await start(index);
      }
    }),
  );
}
