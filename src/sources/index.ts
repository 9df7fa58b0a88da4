/**
 * Exit-criterion sources: where metric criteria read their values. `MetricSourceRouter` is
 * the MetricReader the engine is given; the per-type readers are exported for wiring them alone.
 */
export { AgentMetricReader, type AgentMetricReaderOptions } from './agent.js';
export { AGENT_OUTPUT_CONTRACT } from './agent-output.js';
export type { Backoff } from './agent-wait.js';
export { DEFAULT_MAX_BODY_BYTES, type Fetch } from './http-get.js';
export { HttpMetricReader, type HttpMetricReaderOptions } from './http.js';
export { parseJsonPath, type JsonPathSegment, type ParsedJsonPath } from './json-path.js';
export { MetricSourceRouter, type MetricSourceRouterOptions } from './metric-reader.js';
export { PrometheusMetricReader, type PrometheusMetricReaderOptions } from './prometheus.js';
