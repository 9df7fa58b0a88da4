import type { AgentGateway } from '../application/agents.js';
import type { MetricReader, ObservationRequest } from '../application/metric-sources.js';
import type { Clock } from '../application/ports.js';
import type { MetricSource, Observation } from '../domain/index.js';
import type { Backoff } from './agent-wait.js';
import { AgentMetricReader } from './agent.js';
import { describeError } from './describe-error.js';
import type { Fetch } from './http-get.js';
import { HttpMetricReader } from './http.js';
import { unreadable } from './observation.js';
import { PrometheusMetricReader } from './prometheus.js';

export interface MetricSourceRouterOptions {
  readonly clock: Clock;
  /** Where `agent` sources are asked. */
  readonly agents: AgentGateway;
  /** Default base URL for `prometheus` sources without their own `url`. */
  readonly prometheusUrl?: string;
  /** @default globalThis.fetch */
  readonly fetch?: Fetch;
  /** Largest reply an `http` or `prometheus` source may send. @default 1 MiB */
  readonly maxBodyBytes?: number;
  /** Agent polling. @default { first: 50, max: 1000 } (ms, doubling) */
  readonly agentBackoff?: Backoff;
}

/** The one MetricReader the engine is given: it hands each source to the reader of its type. */
export class MetricSourceRouter implements MetricReader {
  readonly #clock: Clock;
  readonly #readers: Readonly<Record<MetricSource['type'], MetricReader>>;

  constructor(options: MetricSourceRouterOptions) {
    const { clock, fetch, maxBodyBytes } = options;
    const web = {
      clock,
      ...(fetch === undefined ? {} : { fetch }),
      ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
    };
    this.#clock = clock;
    this.#readers = {
      http: new HttpMetricReader(web),
      prometheus: new PrometheusMetricReader({
        ...web,
        ...(options.prometheusUrl === undefined ? {} : { baseUrl: options.prometheusUrl }),
      }),
      agent: new AgentMetricReader({
        clock,
        agents: options.agents,
        ...(options.agentBackoff === undefined ? {} : { backoff: options.agentBackoff }),
      }),
    };
  }

  async observe(request: ObservationRequest, signal: AbortSignal): Promise<Observation> {
    const type: string = request.source.type;
    const reader = Object.hasOwn(this.#readers, type)
      ? this.#readers[type as MetricSource['type']]
      : undefined;
    if (reader === undefined) {
      return unreadable(this.#clock, `no reader for source type "${type}"`);
    }
    try {
      return await reader.observe(request, signal);
    } catch (thrown) {
      // Readers report failures as values; this guard keeps the port's promise if one slips.
      return unreadable(this.#clock, `${type} source failed: ${describeError(thrown)}`);
    }
  }
}
