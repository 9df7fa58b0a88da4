import type { Millis } from '../../domain/index.js';
import type { AgentGateway } from '../agents.js';
import type { MetricReader } from '../metric-sources.js';
import type { PlaybookCatalog } from '../playbook-catalog.js';
import type { Clock, IdSource, Store } from '../ports.js';
import { NO_ENGINE_METRICS, type EngineMetrics } from '../queries/engine-metrics.js';
import { JourneyRepository, UnitOfWorkRepository } from '../repositories.js';

/** How the engine paces itself. Every duration in milliseconds. */
export interface EngineSettings {
  /** First wait before asking an agent how a running attempt stands; doubles up to `pollMax`. */
  readonly pollInitial: Millis;
  readonly pollMax: Millis;
  /** How long one exit-criterion source may take to answer. */
  readonly observationTimeout: Millis;
  /** A stage transition unfinished after this long raises StageTransitionOverdue (spec: 5 min). */
  readonly transitionDeadline: Millis;
  /** How often a decision is re-made after losing a race with another writer. */
  readonly conflictRetries: number;
}

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  pollInitial: 500,
  pollMax: 10_000,
  observationTimeout: 10_000,
  transitionDeadline: 5 * 60_000,
  conflictRetries: 8,
};

/** Where the engine writes what it notices but does not fail on (a refused reaction, a retry). */
export interface EngineLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export const SILENT_LOG: EngineLog = { info: () => undefined, warn: () => undefined };

/** Everything the use cases and reactions run on: ports, repositories and settings. */
export interface EngineContext {
  readonly store: Store;
  readonly journeys: JourneyRepository;
  readonly units: UnitOfWorkRepository;
  readonly clock: Clock;
  readonly ids: IdSource;
  /** A number in [0, 1): spreads retry delays (the domain reads no random source). */
  readonly random: () => number;
  readonly agents: AgentGateway;
  readonly metrics: MetricReader;
  readonly playbooks: PlaybookCatalog;
  readonly settings: EngineSettings;
  readonly log: EngineLog;
  /** Told about transitions, rollbacks and task attempts once committed (Prometheus). */
  readonly engineMetrics: EngineMetrics;
  /** Called after a commit queued work that is due now, so a local worker claims it at once. */
  readonly workQueued: () => void;
}

export interface EngineDependencies {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly random?: () => number;
  readonly agents: AgentGateway;
  readonly metrics: MetricReader;
  readonly playbooks: PlaybookCatalog;
  readonly settings?: Partial<EngineSettings>;
  readonly log?: EngineLog;
  readonly engineMetrics?: EngineMetrics;
}

export function engineContext(
  dependencies: EngineDependencies,
  workQueued: () => void = () => undefined,
): EngineContext {
  return {
    ...dependencies,
    journeys: new JourneyRepository(dependencies.store),
    units: new UnitOfWorkRepository(dependencies.store),
    random: dependencies.random ?? Math.random,
    settings: { ...DEFAULT_ENGINE_SETTINGS, ...dependencies.settings },
    log: dependencies.log ?? SILENT_LOG,
    engineMetrics: dependencies.engineMetrics ?? NO_ENGINE_METRICS,
    workQueued,
  };
}
