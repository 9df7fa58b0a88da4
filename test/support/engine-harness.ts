import { randomUUID } from 'node:crypto';
import { AgentFailure, InProcessAgentGateway } from '../../src/agents/in-process/index.js';
import type { TaskDispatch } from '../../src/application/agents.js';
import type { EngineLog, EngineSettings } from '../../src/application/engine/context.js';
import { StaticPlaybookCatalog } from '../../src/application/playbook-catalog.js';
import type { Store } from '../../src/application/ports.js';
import type { EngineMetrics } from '../../src/application/queries/engine-metrics.js';
import { addMillis, DAY, type JsonValue, type WorkingStage } from '../../src/domain/index.js';
import {
  loadDefaultPlaybook,
  type Playbook,
  type StagePlaybook,
} from '../../src/playbook/index.js';
import { Engine } from '../../src/runtime/engine.js';
import { MetricSourceRouter } from '../../src/sources/index.js';
import type { StepClock } from './clock.js';

/**
 * An engine on a test store with the default playbook's agents as in-process functions
 * (`DemoAgents`), whose behaviour a test sets per intent: fail some attempts, hang, report
 * chosen metric values. Time is the harness's StepClock; `settle()` runs all due work.
 */

type Behaviour = { failures: number; retryable: boolean; hang: boolean };

export class DemoAgents {
  readonly gateway = new InProcessAgentGateway({ syncWait: 200 });
  /** Every attempt received, in order. */
  readonly calls: TaskDispatch[] = [];
  /** Attempts whose work was cancelled while they ran (the abort reached the agent). */
  readonly cancelled: TaskDispatch[] = [];
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly metrics = new Map<string, { value: JsonValue; heldSince?: string }>();
  private readonly failingMetrics = new Set<string>();

  constructor(private readonly clock: StepClock) {
    for (const [intent, output] of Object.entries(TASK_OUTPUTS)) {
      const agentId = AGENT_OF[intent] ?? 'in-process';
      this.gateway.register(
        intent,
        (call) => this.perform(intent, call.input, call.dispatch, call.signal, output),
        agentId,
      );
    }
    for (const [intent, agentId] of Object.entries(METRIC_AGENTS)) {
      this.gateway.register(intent, () => this.measure(intent), agentId);
    }
  }

  /** The next `times` attempts of `intent` fail (retryable unless said otherwise). */
  fail(intent: string, times = Number.POSITIVE_INFINITY, retryable = true): this {
    this.behaviours.set(intent, { failures: times, retryable, hang: false });
    return this;
  }

  /** Attempts of `intent` never answer until cancelled. */
  hang(intent: string): this {
    this.behaviours.set(intent, { failures: 0, retryable: true, hang: true });
    return this;
  }

  heal(intent: string): this {
    this.behaviours.delete(intent);
    return this;
  }

  setMetric(intent: string, value: JsonValue, heldSince?: string): this {
    this.metrics.set(intent, heldSince === undefined ? { value } : { value, heldSince });
    return this;
  }

  /** The metric agent of `intent` fails (its criterion turns inconclusive) until `healMetric`. */
  failMetric(intent: string): this {
    this.failingMetrics.add(intent);
    return this;
  }

  healMetric(intent: string): this {
    this.failingMetrics.delete(intent);
    return this;
  }

  callsOf(intent: string): TaskDispatch[] {
    return this.calls.filter((call) => call.intent === intent);
  }

  private async perform(
    intent: string,
    input: JsonValue,
    dispatch: TaskDispatch,
    signal: AbortSignal,
    output: (input: Record<string, JsonValue>) => JsonValue,
  ): Promise<JsonValue> {
    this.calls.push(dispatch);
    const behaviour = this.behaviours.get(intent);
    if (behaviour?.hang === true) {
      await new Promise((_resolve, reject) => {
        signal.addEventListener(
          'abort',
          () => {
            this.cancelled.push(dispatch);
            reject(new Error('cancelled'));
          },
          { once: true },
        );
      });
    }
    if (behaviour !== undefined && behaviour.failures > 0) {
      behaviour.failures -= 1;
      throw new AgentFailure(`${intent} failed on purpose`, {
        code: 'DEMO_FAILURE',
        retryable: behaviour.retryable,
      });
    }
    return output(input as Record<string, JsonValue>);
  }

  private measure(intent: string): JsonValue {
    if (this.failingMetrics.has(intent)) {
      throw new AgentFailure(`${intent} is unavailable`, { code: 'DEMO_OUTAGE', retryable: true });
    }
    const configured = this.metrics.get(intent);
    if (configured !== undefined) {
      return configured;
    }
    const value = PASSING_METRICS[intent] ?? null;
    // "No critical bugs in 7 days": the last one was long ago.
    return intent === 'critical_bug_count'
      ? { value, heldSince: addMillis(this.clock.now(), -30 * DAY) }
      : { value };
  }
}

const str = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : '?');

const TASK_OUTPUTS: Record<string, (input: Record<string, JsonValue>) => JsonValue> = {
  create_tenant: (input) => ({ tenantId: `${str(input.clientId)}-${str(input.environment)}` }),
  install_connectors: (input) => ({ tenantId: str(input.tenantId), connectors: 3 }),
  provision_test_dataset: (input) => ({
    datasetId: `ds-${str(input.tenantId)}-${str(input.purpose)}`,
  }),
  capture_search_baseline: () => ({ baseline: 0.82 }),
  invite_pilot_users: () => ({ invited: 25 }),
  enable_monitoring: (input) => ({ monitorId: `mon-${str(input.tenantId)}` }),
  open_tenant: (input) => ({ opened: str(input.tenantId) }),
  teardown_dataset: (input) => ({ removed: str(input.datasetId) }),
  delete_tenant: (input) => ({ deleted: str(input.tenantId) }),
  suspend_tenant: (input) => ({ suspended: str(input.tenantId) }),
  disable_monitoring: (input) => ({ disabled: str(input.monitorId) }),
};

const AGENT_OF: Record<string, string> = {
  create_tenant: 'tenancy',
  invite_pilot_users: 'tenancy',
  open_tenant: 'tenancy',
  delete_tenant: 'tenancy',
  suspend_tenant: 'tenancy',
  install_connectors: 'connectors',
  provision_test_dataset: 'dataops',
  teardown_dataset: 'dataops',
  capture_search_baseline: 'quality',
  enable_monitoring: 'operations',
  disable_monitoring: 'operations',
};

const METRIC_AGENTS: Record<string, string> = {
  connector_sync_status: 'connectors',
  measure_search_quality: 'quality',
  security_scan_status: 'security',
  measure_user_satisfaction: 'quality',
  critical_bug_count: 'operations',
  performance_sla_status: 'operations',
  measure_user_adoption: 'operations',
  measure_search_satisfaction: 'quality',
  incident_count: 'operations',
};

const PASSING_METRICS: Record<string, JsonValue> = {
  connector_sync_status: true,
  measure_search_quality: 92,
  security_scan_status: true,
  measure_user_satisfaction: 4.4,
  critical_bug_count: 0,
  performance_sla_status: true,
  measure_user_adoption: 81,
  measure_search_satisfaction: 4.7,
  incident_count: 0,
};

let defaultPlaybook: Playbook | undefined;

export async function testPlaybook(): Promise<Playbook> {
  defaultPlaybook ??= await loadDefaultPlaybook();
  return defaultPlaybook;
}

/** The default playbook with one stage's settings changed. */
export async function playbookWith(
  stage: WorkingStage,
  changes: Partial<StagePlaybook>,
): Promise<Playbook> {
  const playbook = await testPlaybook();
  return {
    ...playbook,
    stages: { ...playbook.stages, [stage]: { ...playbook.stages[stage], ...changes } },
  };
}

export interface EngineHarness {
  readonly engine: Engine;
  readonly agents: DemoAgents;
  /** Runs all due work, moving the clock by `step` between rounds while work waits (retries). */
  readonly settle: (options?: { readonly maxAdvance?: number }) => Promise<void>;
}

export async function startTestEngine(
  store: Store,
  clock: StepClock,
  options: {
    readonly playbook?: Playbook;
    readonly settings?: Partial<EngineSettings>;
    readonly engineMetrics?: EngineMetrics;
    /** The engine's log; by default warnings are printed only with ENGINE_LOG set. */
    readonly log?: EngineLog;
  } = {},
): Promise<EngineHarness> {
  const agents = new DemoAgents(clock);
  const playbook = options.playbook ?? (await testPlaybook());
  const engine = new Engine({
    store,
    clock,
    ids: { next: randomUUID },
    random: () => 0.5,
    agents: agents.gateway,
    metrics: new MetricSourceRouter({ clock, agents: agents.gateway }),
    playbooks: new StaticPlaybookCatalog([playbook]),
    settings: { pollInitial: 1_000, ...options.settings },
    ...(options.engineMetrics === undefined ? {} : { engineMetrics: options.engineMetrics }),
    log: options.log ?? {
      info: () => undefined,
      warn: (message, fields) => {
        if (process.env.ENGINE_LOG !== undefined) {
          console.warn(message, fields);
        }
      },
    },
  });
  return {
    engine,
    agents,
    settle: async ({ maxAdvance = 0 } = {}) => {
      let advanced = 0;
      for (;;) {
        await engine.runUntilIdle();
        const next = await store.nextDueAt();
        if (next === null) {
          return;
        }
        const wait = Date.parse(next) - Date.parse(clock.now());
        if (wait <= 0) {
          continue;
        }
        if (advanced + wait > maxAdvance) {
          return;
        }
        advanced += wait;
        clock.advance(wait);
      }
    },
  };
}
