import { clip } from './metric-value.js';

/**
 * Reads the body of a Prometheus instant query (`/api/v1/query`) into one value. A criterion
 * compares one number, so the query must yield one: a single-sample vector or a scalar. An
 * empty vector is "no data" (e.g. no series matched yet); several samples are an error, since
 * picking one would be a guess.
 */
export type QueryResult =
  | { readonly kind: 'value'; readonly value: number }
  | { readonly kind: 'no-data' }
  /** Prometheus itself said `status: error`. */
  | { readonly kind: 'refused'; readonly why: string }
  | { readonly kind: 'invalid'; readonly why: string };

const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function readQueryResult(body: unknown): QueryResult {
  if (!isRecord(body)) {
    return notApi();
  }
  if (body['status'] === 'error') {
    const type = typeof body['errorType'] === 'string' ? body['errorType'] : 'error';
    const text = typeof body['error'] === 'string' ? body['error'] : '(no message)';
    return { kind: 'refused', why: `${type}: ${clip(text, 300)}` };
  }
  const data = body['data'];
  if (body['status'] !== 'success' || !isRecord(data)) {
    return notApi();
  }
  const { resultType, result } = data;
  if (resultType === 'scalar') {
    return readSample(result);
  }
  if (resultType !== 'vector') {
    return {
      kind: 'invalid',
      why: `the result is a ${String(resultType)}; the query must give an instant vector with one sample, or a scalar`,
    };
  }
  if (!Array.isArray(result)) {
    return notApi();
  }
  const samples = result as readonly unknown[];
  if (samples.length === 0) {
    return { kind: 'no-data' };
  }
  if (samples.length > 1) {
    const shown = samples.slice(0, 3).map(seriesName).join(', ');
    return {
      kind: 'invalid',
      why: `the query returned ${samples.length} samples (${shown}${samples.length > 3 ? ', …' : ''}); it must return exactly one (aggregate it, e.g. with sum() or max())`,
    };
  }
  const only = samples[0];
  return readSample(isRecord(only) ? only['value'] : undefined);
}

/** A sample is `[<unix seconds>, "<float as text>"]`. */
function readSample(sample: unknown): QueryResult {
  const text: unknown = Array.isArray(sample) ? (sample as readonly unknown[])[1] : undefined;
  if (typeof text !== 'string') {
    return notApi();
  }
  if (!FLOAT.test(text)) {
    return {
      kind: 'invalid',
      why: `the sample value is ${JSON.stringify(clip(text))}, not a finite number`,
    };
  }
  const value = Number.parseFloat(text);
  return Number.isFinite(value)
    ? { kind: 'value', value }
    : { kind: 'invalid', why: `the sample value ${text} is out of range` };
}

/** `up{job="api"}`: how people recognise a series. */
function seriesName(sample: unknown): string {
  const metric = isRecord(sample) && isRecord(sample['metric']) ? sample['metric'] : {};
  const { __name__: name, ...labels } = metric;
  const pairs = Object.entries(labels).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  return `${typeof name === 'string' ? name : ''}{${pairs.join(', ')}}`;
}

function notApi(): QueryResult {
  return {
    kind: 'invalid',
    why: 'the reply is not a Prometheus query response (expected {"status":"success","data":{"resultType":...}})',
  };
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
