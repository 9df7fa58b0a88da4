import { toError } from '../application/errors.js';
import type { Millis } from '../domain/index.js';
import type { CloudEventJson } from './cloud-event.js';
import type { DeliveryOutcome, Outlet } from './outlet.js';
import { signWebhook, webhookKey } from './webhook-signature.js';

export interface WebhookOutletOptions {
  /** The outlet's name: the key of its checkpoint and dead letters. */
  readonly name: string;
  /** Where events are POSTed: an http(s) URL, the final one (redirects are not followed). */
  readonly url: string;
  /** `whsec_<base64>` (keyed by the decoded bytes) or any other string (keyed by its UTF-8). */
  readonly secret: string;
  /** While rotating: every request is signed with both, so receivers may switch at any time. */
  readonly previousSecret?: string;
  /** Which event kinds it wants, e.g. `StagePromoted`; `*` or empty is all of them. */
  readonly events: readonly string[];
  /**
   * How long one attempt may take, from connecting to the end of the reply.
   * @default DEFAULT_WEBHOOK_TIMEOUT
   */
  readonly timeout?: Millis;
  /** Sent with every request, e.g. `authorization`; the content type and signature headers win. */
  readonly headers?: Readonly<Record<string, string>>;
  /** @default () => new Date(): signs with it, and reads Retry-After dates against it */
  readonly now?: () => Date;
}

/** 10 s: receivers are asked to answer at once and do their work afterwards. */
export const DEFAULT_WEBHOOK_TIMEOUT: Millis = 10_000;

/** The most of a reply we read: enough to reuse its connection, and a line for the error. */
const MAX_DRAIN_BYTES = 64 * 1024;
const ERROR_SNIPPET_CHARS = 200;

/**
 * POSTs each event to an HTTP endpoint in CloudEvents structured JSON mode, signed the
 * Standard Webhooks way (webhook-signature.ts). A 2xx reply delivers it; anything else fails
 * the attempt with one line naming the status and the URL, and the relay retries, then
 * dead-letters (batch-delivery.ts). Node's fetch keeps connections alive by itself; each
 * reply is read (or cancelled) to its end so its connection goes back to the pool.
 */
export function webhookOutlet(options: WebhookOutletOptions): Outlet {
  const { target, basic } = parseTarget(options.url);
  const shown = displayUrl(target);
  const timeout = options.timeout ?? DEFAULT_WEBHOOK_TIMEOUT;
  if (!(timeout > 0 && Number.isFinite(timeout))) {
    throw new RangeError(`webhook ${options.name}: timeout must be a positive number of ms`);
  }
  const keys = [options.secret, options.previousSecret]
    .filter((secret) => secret !== undefined)
    .map(webhookKey);
  const fixed = fixedHeaders(options.name, basic, options.headers);
  const now = options.now ?? (() => new Date());

  async function deliver(event: CloudEventJson, signal: AbortSignal): Promise<DeliveryOutcome> {
    const body = JSON.stringify(event);
    const timestamp = Math.floor(now().getTime() / 1_000);
    const headers = new Headers(fixed);
    headers.set('webhook-id', event.id);
    headers.set('webhook-timestamp', String(timestamp));
    headers.set('webhook-signature', signWebhook(keys, event.id, timestamp, body));
    // Hand-made rather than AbortSignal.any: on Node 20 that leaves a listener on the relay's
    // long-lived signal for every request (nodejs/node#55351).
    const attempt = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      attempt.abort();
    }, timeout);
    const stop = (): void => attempt.abort();
    signal.addEventListener('abort', stop, { once: true });
    if (signal.aborted) {
      stop();
    }
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: attempt.signal,
      });
      return await settle(response, shown, now());
    } catch (thrown) {
      if (timedOut) {
        return {
          ok: false,
          error: `no reply from ${shown} within ${timeout} ms`,
          reason: 'timeout',
        };
      }
      if (signal.aborted) {
        return { ok: false, error: `stopped before ${shown} replied` };
      }
      return {
        ok: false,
        error: `POST ${shown} failed: ${networkReason(thrown)}`,
        reason: 'network',
      };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
    }
  }

  return {
    name: options.name,
    events: options.events,
    deliver,
    // Connections belong to fetch's shared pool, which closes idle ones itself.
    close: () => Promise.resolve(),
  };
}

async function settle(response: Response, shown: string, now: Date): Promise<DeliveryOutcome> {
  const snippet = await drain(response);
  const { status } = response;
  if (status >= 200 && status < 300) {
    return { ok: true };
  }
  if (status >= 300 && status < 400) {
    // A redirect may lead anywhere, signed body and all: the operator configures the final URL.
    const location = (response.headers.get('location') ?? 'nowhere').slice(0, ERROR_SNIPPET_CHARS);
    return {
      ok: false,
      error: `HTTP ${status} from ${shown}: redirects to ${location} are not followed; configure the final URL`,
      reason: 'rejected',
    };
  }
  const error = `HTTP ${status} from ${shown}${snippet === '' ? '' : `: ${snippet}`}`;
  const asked =
    status === 429 || status === 503
      ? retryAfter(response.headers.get('retry-after'), now)
      : undefined;
  return asked === undefined
    ? { ok: false, error, reason: 'rejected' }
    : { ok: false, error, reason: 'rejected', retryAfter: asked };
}

/**
 * Reads the reply to its end, so undici returns its connection to the pool, keeping the start
 * as one line for an error. Past MAX_DRAIN_BYTES it cancels instead: that closes the connection,
 * a fair price for a receiver that answers with a document. The status already decided the outcome, so a body that breaks off is
 * only cancelled: it has nothing left to tell.
 */
async function drain(response: Response): Promise<string> {
  if (response.body === null) {
    return '';
  }
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  let total = 0;
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      total += chunk.value.byteLength;
      if (text.length < ERROR_SNIPPET_CHARS) {
        text += decoder.decode(chunk.value, { stream: true });
      }
      if (total > MAX_DRAIN_BYTES) {
        await reader.cancel();
        break;
      }
    }
  } catch (_broken) {
    await reader.cancel().catch(() => undefined);
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, ERROR_SNIPPET_CHARS);
}

/** `Retry-After` as delay-seconds or an HTTP date, in ms from `now`; undefined if unreadable. */
function retryAfter(value: string | null, now: Date): Millis | undefined {
  const text = value?.trim() ?? '';
  if (/^\d+$/.test(text)) {
    return Number(text) * 1_000;
  }
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/**
 * The URL to POST to. fetch refuses one with `user:password@` (and its error quotes the
 * password): such a URL means Basic authentication, as it does for curl, so the credentials
 * move into an `authorization` header (which the configured headers may still replace).
 */
function parseTarget(url: string): { target: URL; basic: string | undefined } {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    // Not quoted: an unparsable URL may still hold a password.
    throw new RangeError('the webhook URL is not a valid URL');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new RangeError(`webhook URL ${displayUrl(target)} must be http or https`);
  }
  if (target.username === '' && target.password === '') {
    return { target, basic: undefined };
  }
  const pair = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`;
  target.username = '';
  target.password = '';
  return { target, basic: `Basic ${Buffer.from(pair).toString('base64')}` };
}

/** The URL as errors and dead letters show it: credentials and query (often a token) left out. */
function displayUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** The headers every request carries. */
function fixedHeaders(
  name: string,
  basic: string | undefined,
  extra: Readonly<Record<string, string>> = {},
): Headers {
  const headers = new Headers({ 'user-agent': 'journey-orchestrator' });
  if (basic !== undefined) {
    headers.set('authorization', basic);
  }
  for (const [header, value] of Object.entries(extra)) {
    try {
      headers.set(header, value);
    } catch {
      // undici's message quotes the value, and header values are often secrets.
      throw new RangeError(`webhook ${name}: header ${JSON.stringify(header)} is not valid`);
    }
  }
  headers.set('content-type', 'application/cloudevents+json; charset=utf-8');
  return headers;
}

/** undici says `fetch failed` and keeps what happened (`connect ECONNREFUSED ...`) in `cause`. */
function networkReason(thrown: unknown): string {
  const error = toError(thrown);
  const cause: unknown = error.cause;
  if (cause instanceof AggregateError && cause.errors.length > 0) {
    return networkReason(cause.errors[0]);
  }
  if (cause instanceof Error && cause.message !== '') {
    return cause.message;
  }
  return error.message.split('\n', 1)[0] ?? 'failed';
}
