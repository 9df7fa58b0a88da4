import type { IncomingMessage } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idempotencyKeyOf, requestHash } from '../../src/http/idempotency-key.js';
import { HttpProblem } from '../../src/http/problem.js';

/** The Idempotency-Key header's rules and the request digest, as properties. */

/** A request as Node hands it over: `rawHeaders` name/value pairs, `headers` joined. */
function requestWith(values: readonly string[]): IncomingMessage {
  return {
    rawHeaders: values.flatMap((value) => ['Idempotency-Key', value]),
    headers: values.length === 0 ? {} : { 'idempotency-key': values.join(', ') },
  } as unknown as IncomingMessage;
}

const refusal = (values: readonly string[]): unknown => {
  try {
    idempotencyKeyOf(requestWith(values));
    return null;
  } catch (error) {
    return error;
  }
};

/** The same JSON value written another way: every object's keys reversed, then rotated. */
function reordered(value: unknown, rotate: number): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => reordered(item, rotate));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).reverse();
    const turn = entries.length === 0 ? 0 : rotate % entries.length;
    return Object.fromEntries(
      [...entries.slice(turn), ...entries.slice(0, turn)].map(([key, item]) => [
        key,
        reordered(item, rotate),
      ]),
    );
  }
  return value;
}

describe('idempotencyKeyOf', () => {
  it('accepts exactly 1 to 255 printable ASCII characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (key) => {
        const valid = key.length >= 1 && key.length <= 255 && /^[ -~]+$/.test(key);
        const error = refusal([key]);
        if (valid) {
          expect(error).toBeNull();
          expect(idempotencyKeyOf(requestWith([key]))).toBe(key);
        } else {
          expect(error).toBeInstanceOf(HttpProblem);
          expect((error as HttpProblem).code).toBe('IDEMPOTENCY_KEY_INVALID');
        }
      }),
    );
  });

  it('is absent without the header and refused when sent twice', () => {
    expect(idempotencyKeyOf(requestWith([]))).toBeNull();
    expect((refusal(['a', 'a']) as HttpProblem).code).toBe('IDEMPOTENCY_KEY_INVALID');
  });
});

describe('requestHash', () => {
  it('ignores the order of object keys and tells different JSON apart', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 3 }),
        fc.jsonValue({ maxDepth: 3 }),
        fc.nat(8),
        (a, b, rotate) => {
          expect(requestHash(reordered(a, rotate))).toBe(requestHash(a));
          if (JSON.stringify(sortKeys(a)) !== JSON.stringify(sortKeys(b))) {
            expect(requestHash(a)).not.toBe(requestHash(b));
          }
        },
      ),
    );
  });

  it('counts no body as null', () => {
    expect(requestHash(undefined)).toBe(requestHash(null));
    expect(requestHash(undefined)).not.toBe(requestHash({}));
  });
});

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
