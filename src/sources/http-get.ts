import type { Millis } from '../domain/index.js';
import { startDeadline } from './deadline.js';
import { describeError } from './describe-error.js';

/**
 * One bounded HTTP GET for the `http` and `prometheus` sources: it gives up at the timeout or
 * when the caller aborts, refuses a body over the size cap (a runaway endpoint cannot exhaust
 * memory), and turns every failure into a reason instead of an exception.
 */

/** The `fetch` the sources call: the global one in production, any stand-in in tests. */
export type Fetch = typeof globalThis.fetch;

/** @default 1 MiB: far above any metric reply, far below what would hurt the process. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface GetRequest {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeout: Millis;
  readonly signal: AbortSignal;
  readonly maxBodyBytes: number;
}

export interface HttpReply {
  readonly status: number;
  readonly statusText: string;
  readonly text: string;
}

export type GetResult =
  { readonly ok: true; readonly reply: HttpReply } | { readonly ok: false; readonly error: string };

export async function getText(fetch: Fetch, request: GetRequest): Promise<GetResult> {
  const deadline = startDeadline(request.signal, request.timeout);
  try {
    return await get(fetch, request, deadline.signal);
  } catch (thrown) {
    // Which signal fired decides the message, whatever error undici wrapped it in.
    if (deadline.timedOut()) {
      return { ok: false, error: `timed out after ${request.timeout} ms` };
    }
    if (request.signal.aborted) {
      const reason = describeError(request.signal.reason);
      return { ok: false, error: `stopped before the reply came (${reason})` };
    }
    return { ok: false, error: describeError(thrown) };
  } finally {
    deadline.release();
  }
}

async function get(fetch: Fetch, request: GetRequest, signal: AbortSignal): Promise<GetResult> {
  const { url, headers } = outgoing(request.url, request.headers);
  const response = await fetch(url, { method: 'GET', headers, signal });
  const body = await readCapped(response, request.maxBodyBytes);
  if (!body.ok) {
    return body;
  }
  return {
    ok: true,
    reply: { status: response.status, statusText: response.statusText, text: body.text },
  };
}

async function readCapped(
  response: Response,
  max: number,
): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
  const tooLarge = { ok: false, error: `the reply is larger than ${max} bytes` } as const;
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > max) {
    await discard(response.body);
    return tooLarge;
  }
  if (response.body === null) {
    return { ok: true, text: '' };
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  // undici types the body loosely; a fetch body is always bytes.
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    total += chunk.value.byteLength;
    if (total > max) {
      await discard(reader);
      return tooLarge;
    }
    chunks.push(chunk.value);
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(concat(chunks)) };
  } catch {
    return { ok: false, error: 'the reply is not UTF-8 text' };
  }
}

/**
 * Stops reading a body we will not use, so the connection is released. A failure here changes
 * nothing for the caller (the reason reported is already known), hence no rethrow.
 */
async function discard(body: { cancel(): Promise<void> } | null): Promise<void> {
  await body?.cancel().catch(() => undefined);
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const all = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}

/**
 * The URL and headers to send. fetch refuses a URL with `user:password@`; such a URL (e.g. a
 * Prometheus behind basic auth) means Basic authentication, as it does for curl. Headers the
 * source sets win over both defaults, whatever their case.
 */
function outgoing(
  text: string,
  sourceHeaders: Readonly<Record<string, string>> = {},
): { url: string; headers: Headers } {
  const url = new URL(text);
  const headers = new Headers({ accept: 'application/json' });
  if (url.username !== '' || url.password !== '') {
    const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.set('authorization', `Basic ${Buffer.from(pair).toString('base64')}`);
    url.username = '';
    url.password = '';
  }
  for (const [name, value] of Object.entries(sourceHeaders)) {
    try {
      headers.set(name, value);
    } catch {
      // undici's message would quote the value, and header values are often secrets.
      throw new Error(`header ${JSON.stringify(name)} is not a valid HTTP header name or value`);
    }
  }
  return { url: url.href, headers };
}

/** The URL as it may appear in evidence: a password in it is masked. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') {
      return url;
    }
    parsed.password = '***';
    return parsed.href;
  } catch {
    return url;
  }
}

/** Parses a reply body; the error says what came instead of JSON. */
export function parseJson(
  text: string,
): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    const start = text.trim().slice(0, 60);
    return {
      ok: false,
      error:
        start === ''
          ? 'the reply is empty, not JSON'
          : `the reply is not JSON: ${JSON.stringify(start)}`,
    };
  }
}
