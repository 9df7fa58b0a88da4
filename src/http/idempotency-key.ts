import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpProblem } from './problem.js';

/** The request header a client sends to make a POST safe to repeat. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Set on an answer that is a stored first answer returned again. */
export const IDEMPOTENCY_REPLAYED_HEADER = 'idempotency-replayed';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** Printable ASCII (space to tilde): what a client can put in a header unchanged. */
const KEY_PATTERN = /^[\x20-\x7e]+$/;

/**
 * The request's Idempotency-Key, or null when none was sent. A key that is empty, longer than
 * 255 characters, not printable ASCII, or sent twice is refused (400 IDEMPOTENCY_KEY_INVALID):
 * silently ignoring it would run a request the client asked to be safe to repeat.
 */
export function idempotencyKeyOf(request: IncomingMessage): string | null {
  const sent = request.rawHeaders.filter(
    (value, index) => index % 2 === 0 && value.toLowerCase() === IDEMPOTENCY_KEY_HEADER,
  ).length;
  if (sent === 0) {
    return null;
  }
  const key = request.headers[IDEMPOTENCY_KEY_HEADER];
  if (sent > 1 || typeof key !== 'string') {
    throw invalid('Send one Idempotency-Key header, not several.');
  }
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw invalid(
      `The Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters long (it has ${key.length}).`,
    );
  }
  if (!KEY_PATTERN.test(key)) {
    throw invalid('The Idempotency-Key must be printable ASCII (space to "~").');
  }
  return key;
}

function invalid(detail: string): HttpProblem {
  return new HttpProblem('IDEMPOTENCY_KEY_INVALID', detail);
}

/**
 * A digest of a request body as the schema understood it: the same JSON with its keys in
 * another order is the same request. No body counts as `null`.
 */
export function requestHash(body: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(body ?? null))
    .digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
