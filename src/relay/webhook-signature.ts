import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures as the Standard Webhooks specification (standardwebhooks.com) defines
 * them, so any of its libraries verifies our requests:
 *
 * - `webhook-id`: the CloudEvent id (the same on every retry, for de-duplication);
 * - `webhook-timestamp`: when this attempt was signed, in unix seconds;
 * - `webhook-signature`: `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`, several
 *   separated by spaces while a secret is being rotated.
 *
 * A secret `whsec_<base64>` is keyed by its base64-decoded bytes (the specification's form);
 * any other string is keyed by its UTF-8 bytes (what the libraries call a `raw` secret).
 */
const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** @default 300 seconds either side of now, the specification's recommendation. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

const SIGNATURE_VERSION = 'v1';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Why a request was not verified. */
export const WebhookRejection = {
  missingHeaders: 'missing-headers',
  invalidTimestamp: 'invalid-timestamp',
  staleTimestamp: 'stale-timestamp',
  noMatchingSignature: 'no-matching-signature',
} as const;
export type WebhookRejection = (typeof WebhookRejection)[keyof typeof WebhookRejection];

export type WebhookVerification =
  | { readonly ok: true; readonly id: string; readonly timestamp: number }
  | { readonly ok: false; readonly reason: WebhookRejection; readonly message: string };

/** A fetch `Headers`, or a plain record such as node's `IncomingHttpHeaders` (any case). */
export type WebhookHeaders =
  Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface VerifyWebhookOptions {
  /** @default DEFAULT_WEBHOOK_TOLERANCE_SECONDS */
  readonly toleranceSeconds?: number;
  /** @default new Date() */
  readonly now?: Date;
}

/** The HMAC key of a secret; throws a RangeError for an empty or malformed one. */
export function webhookKey(secret: string): Buffer {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) {
    if (secret === '') {
      throw new RangeError('a webhook secret must not be empty');
    }
    return Buffer.from(secret, 'utf8');
  }
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  // Buffer.from skips what is not base64: a typo would silently become another key.
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0) {
    throw new RangeError(`a ${WEBHOOK_SECRET_PREFIX} secret must be followed by base64`);
  }
  return Buffer.from(encoded, 'base64');
}

/** The `webhook-signature` value: one `v1,<base64>` per key, separated by spaces. */
export function signWebhook(
  keys: readonly Buffer[],
  id: string,
  timestamp: number,
  body: string | Uint8Array,
): string {
  return keys
    .map((key) => `${SIGNATURE_VERSION},${digest(key, id, timestamp, body).toString('base64')}`)
    .join(' ');
}

/**
 * Verifies a request as received: `body` must be the exact bytes (or text) that came, before
 * any JSON parsing. Passes when the timestamp lies within the tolerance of `now` and one of the
 * request's signatures matches one of `secret` (several while rotating); compared in constant
 * time. A malformed secret throws (a configuration mistake); a bad request is a value.
 */
export function verifyWebhook(
  secret: string | readonly string[],
  headers: WebhookHeaders,
  body: string | Uint8Array,
  options: VerifyWebhookOptions = {},
): WebhookVerification {
  const keys = (typeof secret === 'string' ? [secret] : secret).map(webhookKey);
  const id = header(headers, 'webhook-id');
  const stamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (id === undefined || stamp === undefined || signatures === undefined) {
    return rejected('missingHeaders', 'webhook-id, webhook-timestamp and webhook-signature');
  }
  if (!/^\d{1,12}$/.test(stamp)) {
    return rejected('invalidTimestamp', `webhook-timestamp ${JSON.stringify(stamp)}`);
  }
  const timestamp = Number(stamp);
  const now = Math.floor((options.now ?? new Date()).getTime() / 1_000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
  if (Math.abs(now - timestamp) > tolerance) {
    return rejected('staleTimestamp', `signed ${now - timestamp} s from now (±${tolerance} s)`);
  }
  const expected = keys.map((key) => digest(key, id, timestamp, body));
  // Every pair is compared, so the time taken does not tell which one matched.
  let matched = false;
  for (const given of signatures.split(' ')) {
    const [version, encoded] = given.split(',', 2);
    if (version !== SIGNATURE_VERSION || encoded === undefined) {
      continue;
    }
    const bytes = Buffer.from(encoded, 'base64');
    for (const wanted of expected) {
      // A length differs only for a garbled signature: the length itself is no secret.
      if (bytes.length === wanted.length && timingSafeEqual(bytes, wanted)) {
        matched = true;
      }
    }
  }
  return matched
    ? { ok: true, id, timestamp }
    : rejected('noMatchingSignature', 'no signature matches the body with this secret');
}

function digest(key: Buffer, id: string, timestamp: number, body: string | Uint8Array): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  let value: string | readonly string[] | null | undefined;
  if (headers instanceof Headers) {
    value = headers.get(name);
  } else {
    const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
    value = key === undefined ? undefined : headers[key];
  }
  const text = typeof value === 'string' ? value : value?.join(' ');
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}

function rejected(reason: keyof typeof WebhookRejection, detail: string): WebhookVerification {
  return {
    ok: false,
    reason: WebhookRejection[reason],
    message: `${WebhookRejection[reason]}: ${detail}`,
  };
}
