import type { MetricReader, ObservationRequest } from '../application/metric-sources.js';
import type { Clock } from '../application/ports.js';
import type { Observation } from '../domain/index.js';
import { DEFAULT_MAX_BODY_BYTES, displayUrl, getText, parseJson, type Fetch } from './http-get.js';
import { parseJsonPath, readJsonPath } from './json-path.js';
import { readMetricValue } from './metric-value.js';
import { observed, unreadable } from './observation.js';

export interface HttpMetricReaderOptions {
  readonly clock: Clock;
  /** @default globalThis.fetch */
  readonly fetch?: Fetch;
  /** A larger reply is an error. @default DEFAULT_MAX_BODY_BYTES (1 MiB) */
  readonly maxBodyBytes?: number;
}

/**
 * The `http` source: GET the URL and read one value at the JSONPath. The URL is used as written
 * (no `${...}` templates: the playbook loader does not check them in URLs, so a typo would only
 * show at run time).
 */
export class HttpMetricReader implements MetricReader {
  readonly #clock: Clock;
  readonly #fetch: Fetch;
  readonly #maxBodyBytes: number;

  constructor(options: HttpMetricReaderOptions) {
    this.#clock = options.clock;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  async observe(request: ObservationRequest, signal: AbortSignal): Promise<Observation> {
    const { source } = request;
    if (source.type !== 'http') {
      return unreadable(this.#clock, `the http reader cannot read source type "${source.type}"`);
    }
    const what = `GET ${displayUrl(source.url)}`;
    const fail = (why: string): Observation => unreadable(this.#clock, `${what}: ${why}`);
    const path = parseJsonPath(source.jsonPath);
    if (!path.ok) {
      return fail(path.error);
    }
    const got = await getText(this.#fetch, {
      url: source.url,
      ...(source.headers === undefined ? {} : { headers: source.headers }),
      timeout: request.timeout,
      signal,
      maxBodyBytes: this.#maxBodyBytes,
    });
    if (!got.ok) {
      return fail(got.error);
    }
    const { status, statusText, text } = got.reply;
    if (status < 200 || status > 299) {
      return fail(`answered HTTP ${status}${statusText === '' ? '' : ` ${statusText}`}`);
    }
    const json = parseJson(text);
    if (!json.ok) {
      return fail(json.error);
    }
    const found = readJsonPath(json.value, path.segments);
    if (!found.found) {
      return fail(`no value at ${source.jsonPath}: ${found.why}`);
    }
    const value = readMetricValue(found.value);
    if (value.kind === 'invalid') {
      return fail(`the value at ${source.jsonPath} is ${value.why}`);
    }
    return observed(this.#clock, value.kind === 'value' ? value.value : null);
  }
}
