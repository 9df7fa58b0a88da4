import { randomUUID } from 'node:crypto';
import { A2AAgentGateway, type AgentRegistry } from '../agents/a2a/index.js';
import type { EngineLog, EngineSettings } from '../application/engine/context.js';
import { ConfigError } from '../application/errors.js';
import { StaticPlaybookCatalog } from '../application/playbook-catalog.js';
import type { Clock, Store } from '../application/ports.js';
import type { EngineMetrics } from '../application/queries/engine-metrics.js';
import type { RelayMetrics } from '../application/queries/relay-metrics.js';
import type { Millis } from '../domain/index.js';
import type { Playbook } from '../playbook/index.js';
import { Relay, type RelayOutlet } from '../relay/relay.js';
import { MetricSourceRouter } from '../sources/index.js';
import { Engine } from './engine.js';
import { startRetentionJob, TWO_YEARS } from './retention-job.js';

/**
 * What `journey serve` runs: the engine with the A2A agents of its playbooks, the exit-criteria
 * sources, and the retention job, on a store the caller opened (and closes).
 */
export interface ServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  /** The first is the default for new journeys. */
  readonly playbooks: readonly Playbook[];
  readonly log: EngineLog;
  readonly concurrency?: number;
  readonly prometheusUrl?: string;
  readonly retention?: Millis;
  readonly settings?: Partial<EngineSettings>;
  /** Where the engine reports transitions, rollbacks and task attempts (the API's /metrics). */
  readonly engineMetrics?: EngineMetrics;
  /** Where the event relay delivers every domain event (none: no relay runs). */
  readonly outlets?: readonly RelayOutlet[];
  /** The CloudEvents `source` of the events sent. @default '/journey-orchestrator' */
  readonly eventSource?: string;
  /** Where the relay reports deliveries, failures, dead letters and lag. */
  readonly relayMetrics?: RelayMetrics;
}

export interface RunningService {
  readonly engine: Engine;
  /** Null when no outlets are configured. */
  readonly relay: Relay | null;
  stop(): Promise<void>;
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { store, clock, log } = options;
  const agents = new A2AAgentGateway(agentRegistry(options.playbooks), { clock });
  const engine = new Engine({
    store,
    clock,
    ids: { next: randomUUID },
    agents,
    metrics: new MetricSourceRouter({
      clock,
      agents,
      ...(options.prometheusUrl === undefined ? {} : { prometheusUrl: options.prometheusUrl }),
    }),
    playbooks: new StaticPlaybookCatalog(options.playbooks),
    log,
    ...(options.settings === undefined ? {} : { settings: options.settings }),
    ...(options.engineMetrics === undefined ? {} : { engineMetrics: options.engineMetrics }),
    ...(options.concurrency === undefined ? {} : { worker: { concurrency: options.concurrency } }),
  });
  // Agents may start after us: a problem now is worth a warning, not a refusal to start.
  const problems = await agents.check(
    options.playbooks.flatMap((playbook) =>
      Object.values(playbook.stages).flatMap((stage) => [
        ...stage.setup.tasks,
        ...stage.rollback.tasks,
      ]),
    ),
  );
  for (const problem of new Set(problems)) {
    log.warn(`agent check: ${problem}`);
  }
  engine.start();
  const relay =
    options.outlets === undefined || options.outlets.length === 0
      ? null
      : new Relay({
          store,
          clock,
          outlets: options.outlets,
          log,
          owner: engine.worker.owner,
          ...(options.eventSource === undefined ? {} : { source: options.eventSource }),
          ...(options.relayMetrics === undefined ? {} : { metrics: options.relayMetrics }),
        });
  relay?.start();
  const retention = startRetentionJob({
    store,
    clock,
    retention: options.retention ?? TWO_YEARS,
    every: 24 * 60 * 60_000,
    onReport: (report) => {
      if (report.journeys > 0) {
        log.info('pruned ended journeys', { journeys: report.journeys, events: report.events });
      }
    },
    onError: (error) => log.warn('retention run failed', { error: error.message }),
  });
  return {
    engine,
    relay,
    async stop() {
      await relay?.stop();
      await engine.stop();
      await retention.stop();
      await agents.close();
    },
  };
}

/** One registry for every loaded playbook; one agent id must mean one URL. */
function agentRegistry(playbooks: readonly Playbook[]): AgentRegistry {
  const registry: Record<string, { url: string }> = {};
  for (const playbook of playbooks) {
    for (const [agentId, endpoint] of Object.entries(playbook.agents)) {
      const known = registry[agentId];
      if (known !== undefined && known.url !== endpoint.url) {
        throw new ConfigError(
          `playbook ${playbook.name}: agents.${agentId}`,
          `agent "${agentId}" is ${endpoint.url} here but ${known.url} in another loaded playbook`,
        );
      }
      registry[agentId] = { url: endpoint.url };
    }
  }
  return registry;
}
