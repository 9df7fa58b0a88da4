import { toError } from '../../application/errors.js';

/**
 * The `fetch` the SDK's client and card resolver call. The SDK has no timeout option (a2a-js
 * issue 78) and its card resolver takes no signal, so this wrapper bounds every request by
 * `timeoutMs` and by the caller's signal, and reads the whole body itself: every network failure
 * then happens here, where it can be named, instead of deep inside the SDK's `response.json()`.
 */

export type Fetch = typeof globalThis.fetch;

/**
 * How a request failed before a reply could be read. What matters is whether the agent may
 * have received it: `not-connected` means it cannot have; `broken`, `timed-out` and `aborted`
 * mean nobody knows.
 */
export const TransportFailure = {
  notConnected: 'not-connected',
  broken: 'broken',
  timedOut: 'timed-out',
  aborted: 'aborted',
} as const;
export type TransportFailure = (typeof TransportFailure)[keyof typeof TransportFailure];

export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly kind: TransportFailure,
    message: string,
    options?: { cause: unknown },
  ) {
    super(message, options);
  }
}

/** An HTTP error status whose body is not a JSON-RPC error (a proxy page, a wrong path). */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  constructor(
    readonly status: number,
    body: string,
  ) {
    super(`HTTP ${status}${body === '' ? '' : `: ${body.slice(0, 200)}`}`);
  }
}

/** Connection errors after which the request cannot have reached the agent. */
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Statuses whose Response may not carry a body. */
const NULL_BODY = new Set([101, 204, 205, 304]);

export function boundedFetch(
  timeoutMs: number,
  extraSignal?: AbortSignal,
  base: Fetch = fetch,
): Fetch {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const callerSignals = [init?.signal, extraSignal].filter((s) => s != null);
    const signal = AbortSignal.any([...callerSignals, timeout]);
    const name = (thrown: unknown): TransportError => {
      if (callerSignals.some((s) => s.aborted)) {
        return new TransportError('aborted', 'the request was stopped by its caller', {
          cause: thrown,
        });
      }
      if (timeout.aborted) {
        return new TransportError('timed-out', `no reply within ${timeoutMs} ms`, {
          cause: thrown,
        });
      }
      const code = errorCode(thrown);
      const kind = code !== undefined && NOT_CONNECTED.has(code) ? 'not-connected' : 'broken';
      return new TransportError(kind, describe(thrown), { cause: thrown });
    };
    let response: Response;
    let body: Uint8Array | undefined;
    try {
      response = await base(input, { ...init, signal });
      body = await readCapped(response);
    } catch (thrown) {
      throw name(thrown);
    }
    if (body === undefined) {
      throw new ReplyTooLargeError();
    }
    if (!response.ok && !isJsonRpcError(body)) {
      throw new HttpStatusError(response.status, new TextDecoder().decode(body));
    }
    return new Response(NULL_BODY.has(response.status) ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/** A task with its history and artifacts is kilobytes; this much means a broken agent. */
const MAX_REPLY_BYTES = 8 * 1024 * 1024;

/** The agent answered, with more than we will hold in memory: a bad reply, not a network one. */
class ReplyTooLargeError extends Error {
  override readonly name = 'ReplyTooLargeError';
  constructor() {
    super(`the reply is larger than ${MAX_REPLY_BYTES} bytes`);
  }
}

/** The whole body, or `undefined` once it passes MAX_REPLY_BYTES (the rest is not read). */
async function readCapped(response: Response): Promise<Uint8Array | undefined> {
  if (response.body === null) {
    return new Uint8Array();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    total += chunk.value.byteLength;
    if (total > MAX_REPLY_BYTES) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(chunk.value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** JSON-RPC errors may come with an error status; the SDK reads those itself. */
function isJsonRpcError(body: Uint8Array): boolean {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(body));
    return typeof parsed === 'object' && parsed !== null && 'error' in parsed;
  } catch {
    return false;
  }
}

/**
 * undici reports `TypeError: fetch failed` and keeps the system error code in `cause`,
 * sometimes inside an AggregateError (one error per address tried).
 */
function errorCode(thrown: unknown, depth = 0): string | undefined {
  if (typeof thrown !== 'object' || thrown === null || depth > 5) {
    return undefined;
  }
  if (thrown instanceof AggregateError && thrown.errors.length > 0) {
    return errorCode(thrown.errors[0], depth + 1);
  }
  const { code, cause } = thrown as { code?: unknown; cause?: unknown };
  return typeof code === 'string' ? code : errorCode(cause, depth + 1);
}

/** The innermost useful message: "connect ECONNREFUSED 127.0.0.1:7401" beats "fetch failed". */
export function describe(thrown: unknown): string {
  const error = toError(thrown);
  const cause: unknown = error.cause;
  if (cause instanceof AggregateError && cause.errors.length > 0) {
    return describe(cause.errors[0]);
  }
  if (cause instanceof Error && cause.message !== '') {
    return cause.message;
  }
  return error.message;
}

/**
 * Runs a read that may safely be repeated (GetTask, ListTasks, the card). A connection kept
 * alive from an earlier call may turn out to be closed by the agent (it restarted, or closed it
 * idle at the same moment we reused it); that shows as `broken`, so a read gets one more try on
 * a fresh connection. Sends are never repeated here: they are looked up instead.
 */
export async function repeatable<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (thrown) {
    if (thrown instanceof TransportError && thrown.kind === 'broken') {
      return read();
    }
    throw thrown;
  }
}
