import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EngineMetrics } from '../application/queries/engine-metrics.js';
import type { RelayMetrics } from '../application/queries/relay-metrics.js';
import { ALL_STAGES, millisBetween, type Instant, type Stage } from '../domain/index.js';
import { prometheusRelayMetrics } from './prometheus-relay-metrics.js';

/**
 * Prometheus metrics (`GET /metrics`), on a registry of their own (never prom-client's global
 * one). Read at scrape time: journeys by stage (one grouped count of the read models) and the
 * work queue's depth and lag. Counted as they happen: HTTP request durations here, the
 * engine's transitions, rollbacks and task attempts through `engine` (see EngineMetrics), and
 * the event relay's deliveries, failures, dead letters and lag through `relay` (RelayMetrics).
 */

export interface MetricSources {
  journeysByStage(): Promise<Readonly<Record<Stage, number>>>;
  queueDepth(): Promise<number>;
  /** The next due work item's time; in the past when work waits for a worker. */
  nextDueAt(): Promise<Instant | null>;
  now(): Instant;
}

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const LONG_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1_800, 3_600, 21_600, 86_400, 604_800];

export class ApiMetrics {
  readonly registry = new Registry();
  readonly engine: EngineMetrics;
  readonly relay: RelayMetrics;
  readonly #requests: Histogram<'method' | 'route' | 'status_code'>;
  #sources: MetricSources | null = null;
  #onError: (error: unknown) => void = () => undefined;

  constructor(options: { readonly processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.processMetrics ?? true) {
      collectDefaultMetrics({ register: this.registry, prefix: 'journey_' });
    }
    this.#requests = new Histogram({
      name: 'journey_http_request_duration_seconds',
      help: 'HTTP requests by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    // The gauges' collect() runs with `this` bound to the gauge: reach the sources through these.
    const read = <T>(fn: (sources: MetricSources) => Promise<T>) => this.#read(fn);
    const now = () => this.#sources?.now();
    new Gauge({
      name: 'journeys_by_stage',
      help: 'Journeys by current stage: active ones in sandbox to rollback, ended ones in completed or cancelled',
      labelNames: ['stage'],
      registers,
      async collect() {
        const counts = await read((sources) => sources.journeysByStage());
        for (const stage of counts === undefined ? [] : ALL_STAGES) {
          this.set({ stage }, counts?.[stage] ?? 0);
        }
      },
    });
    new Gauge({
      name: 'journey_work_queue_depth',
      help: 'Work items queued (due or not) for the engine',
      registers,
      async collect() {
        const depth = await read((sources) => sources.queueDepth());
        if (depth !== undefined) {
          this.set(depth);
        }
      },
    });
    new Gauge({
      name: 'journey_work_queue_lag_seconds',
      help: 'How long the oldest due work item has waited for a worker (0 when none waits)',
      registers,
      async collect() {
        const next = await read((sources) => sources.nextDueAt());
        const at = now();
        if (next !== undefined && at !== undefined) {
          this.set(next === null ? 0 : Math.max(0, millisBetween(next, at) / 1_000));
        }
      },
    });
    this.engine = engineMetrics(registers);
    this.relay = prometheusRelayMetrics(registers);
  }

  /** Where scrape-time values come from; `onError` hears a source that failed (its gauge keeps its last value). */
  bind(sources: MetricSources, onError: (error: unknown) => void): void {
    this.#sources = sources;
    this.#onError = onError;
  }

  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.#requests.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  async #read<T>(read: (sources: MetricSources) => Promise<T>): Promise<T | undefined> {
    if (this.#sources === null) {
      return undefined;
    }
    try {
      return await read(this.#sources);
    } catch (error) {
      this.#onError(error);
      return undefined;
    }
  }
}

function engineMetrics(registers: Registry[]): EngineMetrics {
  const transitions = new Counter({
    name: 'journey_stage_transitions_total',
    help: 'Stage transitions by kind, from and to',
    labelNames: ['kind', 'from', 'to'],
    registers,
  });
  const transitionDurations = new Histogram({
    name: 'journey_stage_duration_seconds',
    help: 'Time spent in a stage, observed when the journey leaves it',
    labelNames: ['from', 'to'],
    buckets: LONG_BUCKETS,
    registers,
  });
  const setupDurations = new Histogram({
    name: 'journey_stage_setup_duration_seconds',
    help: 'From entering a stage to its setup unit of work completing (what the transition deadline watches)',
    labelNames: ['stage'],
    buckets: LONG_BUCKETS,
    registers,
  });
  const rollbacks = new Counter({
    name: 'journey_rollbacks_total',
    help: 'Rollbacks initiated, by stage and by whether the engine started them',
    labelNames: ['from', 'to', 'trigger'],
    registers,
  });
  const tasks = new Histogram({
    name: 'journey_task_attempt_duration_seconds',
    help: 'Task attempts by intent and outcome',
    labelNames: ['intent', 'outcome'],
    buckets: [0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 900],
    registers,
  });
  return {
    stageTransition({ kind, fromStage, toStage, duration }) {
      transitions.inc({ kind, from: fromStage, to: toStage });
      transitionDurations.observe({ from: fromStage, to: toStage }, duration / 1_000);
    },
    stageSetupCompleted({ stage, duration }) {
      setupDurations.observe({ stage }, duration / 1_000);
    },
    rollbackInitiated({ fromStage, toStage, automatic }) {
      rollbacks.inc({ from: fromStage, to: toStage, trigger: automatic ? 'automatic' : 'manual' });
    },
    taskAttemptFinished({ intent, outcome, duration }) {
      tasks.observe({ intent, outcome }, duration / 1_000);
    },
  };
}
