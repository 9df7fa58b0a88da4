import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook, webhookKey } from '../../src/relay/webhook-signature.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TIMESTAMP = 1_614_265_330;
const NOW = new Date(TIMESTAMP * 1_000);
const BODY = '{"test": 2432232314}';

function signed(secrets: readonly string[], body: string = BODY) {
  return {
    'webhook-id': ID,
    'webhook-timestamp': String(TIMESTAMP),
    'webhook-signature': signWebhook(secrets.map(webhookKey), ID, TIMESTAMP, body),
  };
}

describe('webhook signatures', () => {
  it('match the Standard Webhooks example, computed by hand', () => {
    // The specification's own test vector.
    expect(signed([SECRET])['webhook-signature']).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
    const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
    const byHand = createHmac('sha256', key).update(`${ID}.${TIMESTAMP}.${BODY}`).digest('base64');
    expect(signed([SECRET])['webhook-signature']).toBe(`v1,${byHand}`);
  });

  it('key a raw secret by its UTF-8 bytes and refuse a malformed one', () => {
    expect(webhookKey('pässword')).toEqual(Buffer.from('pässword', 'utf8'));
    expect(() => webhookKey('')).toThrow(RangeError);
    expect(() => webhookKey('whsec_')).toThrow(RangeError);
    expect(() => webhookKey('whsec_abc')).toThrow(RangeError);
  });

  it('verify the body as signed, at any of several signatures or secrets', () => {
    expect(verifyWebhook(SECRET, signed([SECRET]), BODY, { now: NOW })).toEqual({
      ok: true,
      id: ID,
      timestamp: TIMESTAMP,
    });
    const rotating = signed([OTHER, SECRET]);
    expect(verifyWebhook(SECRET, rotating, BODY, { now: NOW }).ok).toBe(true);
    expect(verifyWebhook(OTHER, rotating, BODY, { now: NOW }).ok).toBe(true);
    expect(verifyWebhook([OTHER, SECRET], signed([SECRET]), BODY, { now: NOW }).ok).toBe(true);
    expect(verifyWebhook(SECRET, signed([SECRET]), Buffer.from(BODY), { now: NOW }).ok).toBe(true);
    // Header names in any case, as a plain record or fetch Headers.
    const upper = Object.fromEntries(
      Object.entries(signed([SECRET])).map(([name, value]) => [name.toUpperCase(), value]),
    );
    expect(verifyWebhook(SECRET, upper, BODY, { now: NOW }).ok).toBe(true);
    expect(verifyWebhook(SECRET, new Headers(signed([SECRET])), BODY, { now: NOW }).ok).toBe(true);
  });

  it('reject a tampered body, another secret or id, and garbled signatures', () => {
    const reason = (result: ReturnType<typeof verifyWebhook>) => !result.ok && result.reason;
    expect(reason(verifyWebhook(SECRET, signed([SECRET]), `${BODY} `, { now: NOW }))).toBe(
      'no-matching-signature',
    );
    expect(reason(verifyWebhook(OTHER, signed([SECRET]), BODY, { now: NOW }))).toBe(
      'no-matching-signature',
    );
    const otherId = { ...signed([SECRET]), 'webhook-id': 'msg_other' };
    expect(reason(verifyWebhook(SECRET, otherId, BODY, { now: NOW }))).toBe(
      'no-matching-signature',
    );
    for (const garbled of ['', 'v1', 'v2,abc', 'v1,', 'v1,!!!', 'v1,dGVzdA==']) {
      const headers = { ...signed([SECRET]), 'webhook-signature': garbled };
      expect(reason(verifyWebhook(SECRET, headers, BODY, { now: NOW }))).toMatch(
        /^(no-matching-signature|missing-headers)$/,
      );
    }
  });

  it('reject missing headers and timestamps outside the tolerance', () => {
    const reason = (result: ReturnType<typeof verifyWebhook>) => !result.ok && result.reason;
    const { 'webhook-id': _id, ...noId } = signed([SECRET]);
    expect(reason(verifyWebhook(SECRET, noId, BODY, { now: NOW }))).toBe('missing-headers');
    const badStamp = { ...signed([SECRET]), 'webhook-timestamp': '1614265330.5' };
    expect(reason(verifyWebhook(SECRET, badStamp, BODY, { now: NOW }))).toBe('invalid-timestamp');
    const at = (seconds: number) => ({ now: new Date((TIMESTAMP + seconds) * 1_000) });
    expect(verifyWebhook(SECRET, signed([SECRET]), BODY, at(300)).ok).toBe(true);
    expect(verifyWebhook(SECRET, signed([SECRET]), BODY, at(-300)).ok).toBe(true);
    expect(reason(verifyWebhook(SECRET, signed([SECRET]), BODY, at(301)))).toBe('stale-timestamp');
    expect(reason(verifyWebhook(SECRET, signed([SECRET]), BODY, at(-301)))).toBe('stale-timestamp');
    expect(
      verifyWebhook(SECRET, signed([SECRET]), BODY, { ...at(600), toleranceSeconds: 600 }).ok,
    ).toBe(true);
  });
});
