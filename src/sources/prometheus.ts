import type { MetricReader, ObservationRequest } from '../application/metric-sources.js';
import type { Clock } from '../application/ports.js';
import type { Observation } from '../domain/index.js';
import { DEFAULT_MAX_BODY_BYTES, displayUrl, getText, parseJson, type Fetch } from './http-get.js';
import { clip } from './metric-value.js';
import { observed, unreadable } from './observation.js';
import { readQueryResult } from './prometheus-result.js';

export interface PrometheusMetricReaderOptions {
  readonly clock: Clock;
  /**
   * Base URL of the Prometheus-compatible API for sources that name none, e.g.
   * `http://prometheus:9090`; without it such a source reports an error.
   */
  readonly baseUrl?: string;
  /** @default globalThis.fetch */
  readonly fetch?: Fetch;
  /** A larger reply is an error. @default DEFAULT_MAX_BODY_BYTES (1 MiB) */
  readonly maxBodyBytes?: number;
}

/**
 * The `prometheus` source: one instant query through the HTTP API (`GET /api/v1/query`) at the
 * server's current time. The query is sent as written (no `${...}` templates: the playbook
 * loader does not check them in queries, so a typo would only show at run time).
 */
export class PrometheusMetricReader implements MetricReader {
  readonly #clock: Clock;
  readonly #baseUrl: string | undefined;
  readonly #fetch: Fetch;
  readonly #maxBodyBytes: number;

  constructor(options: PrometheusMetricReaderOptions) {
    this.#clock = options.clock;
    this.#baseUrl = options.baseUrl;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  async observe(request: ObservationRequest, signal: AbortSignal): Promise<Observation> {
    const { source } = request;
    if (source.type !== 'prometheus') {
      return unreadable(
        this.#clock,
        `the prometheus reader cannot read source type "${source.type}"`,
      );
    }
    const baseUrl = source.url ?? this.#baseUrl;
    const named = `Prometheus query \`${clip(source.query, 200)}\``;
    if (baseUrl === undefined) {
      return unreadable(
        this.#clock,
        `${named}: no Prometheus URL (give the source a url or configure a default one)`,
      );
    }
    const url = queryUrl(baseUrl, source.query);
    const fail = (why: string): Observation =>
      unreadable(this.#clock, `${named} at ${displayUrl(baseUrl)}: ${why}`);
    if (url === undefined) {
      return fail('the Prometheus URL is not an absolute URL');
    }
    const got = await getText(this.#fetch, {
      url,
      timeout: request.timeout,
      signal,
      maxBodyBytes: this.#maxBodyBytes,
    });
    if (!got.ok) {
      return fail(got.error);
    }
    const { status, statusText, text } = got.reply;
    const json = parseJson(text);
    const httpStatus = `HTTP ${status}${statusText === '' ? '' : ` ${statusText}`}`;
    // Prometheus answers a bad query with 400/422/503 *and* a JSON reason: prefer the reason.
    if (!json.ok) {
      return fail(status >= 200 && status <= 299 ? json.error : `answered ${httpStatus}`);
    }
    const result = readQueryResult(json.value);
    if (result.kind === 'refused') {
      return fail(`Prometheus answered ${result.why} (${httpStatus})`);
    }
    if (status < 200 || status > 299) {
      return fail(`answered ${httpStatus}`);
    }
    if (result.kind === 'invalid') {
      return fail(result.why);
    }
    return observed(this.#clock, result.kind === 'value' ? result.value : null);
  }
}

/** `{base}/api/v1/query?query=...`, keeping any path prefix of the base (e.g. behind a proxy). */
function queryUrl(baseUrl: string, query: string): string | undefined {
  try {
    const url = new URL('api/v1/query', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    url.searchParams.set('query', query);
    return url.href;
  } catch {
    return undefined;
  }
}
