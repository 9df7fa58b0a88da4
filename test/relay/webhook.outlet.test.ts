import { afterEach, describe, expect, it } from 'vitest';
import type { CloudEventJson } from '../../src/relay/cloud-event.js';
import { webhookOutlet, type WebhookOutletOptions } from '../../src/relay/webhook-outlet.js';
import { WebhookReceiver, type Reply } from '../support/webhook-receiver.js';

/**
 * One webhook delivery against a real receiver, without the relay: the outcome each kind of
 * reply becomes (the relay's retries and dead letters are webhook.delivery.test.ts).
 */

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NOW = new Date('2026-03-02T10:00:00.000Z');

const EVENT: CloudEventJson = {
  specversion: '1.0',
  id: '0195f3a0-0000-7000-8000-000000000001',
  source: '/journey-orchestrator',
  type: 'journey-orchestrator.JourneyStarted.v1',
  subject: 'client-1',
  time: NOW.toISOString(),
  datacontenttype: 'application/json',
  data: { clientId: 'client-1' },
  journeyid: 'journey-1',
  streamid: 'journey-journey-1',
  streamversion: 1,
  causedby: 'test',
  correlationid: 'correlation-1',
};

let receivers: WebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.down().catch(() => undefined)));
  receivers = [];
});

async function answering(reply: Reply): Promise<WebhookReceiver> {
  const receiver = await WebhookReceiver.start(() => reply);
  receivers.push(receiver);
  return receiver;
}

function deliverTo(url: string, options: Partial<WebhookOutletOptions> = {}) {
  const outlet = webhookOutlet({ name: 'hook', url, secret: SECRET, events: [], ...options });
  return outlet.deliver(EVENT, new AbortController().signal);
}

describe('a webhook delivery', () => {
  it('is delivered on any 2xx', async () => {
    const receiver = await answering({ status: 202 });
    expect(await deliverTo(receiver.url)).toEqual({ ok: true });
    expect(JSON.parse(receiver.received[0]!.body)).toEqual(EVENT);
  });

  it('fails on another status, naming it and the URL without credentials or query', async () => {
    const receiver = await answering({ status: 500 });
    const url = new URL(receiver.url);
    url.username = 'user';
    url.password = 'hunter2';
    url.search = '?token=t0ps3cret';
    expect(await deliverTo(url.href)).toEqual({
      ok: false,
      error: `HTTP 500 from ${receiver.url}`,
      reason: 'rejected',
    });
    // Credentials in the URL mean Basic authentication; the query is sent as it is.
    const [request] = receiver.received;
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from('user:hunter2').toString('base64')}`,
    );
    expect(request?.url).toBe('/hooks/journeys?token=t0ps3cret');
  });

  it('finishes every reply, so connections are reused, not one opened per request', async () => {
    const verbose = await answering({ status: 200, body: 'thanks\n'.repeat(4_000) });
    const refusing = await answering({ status: 400, body: 'unknown\n  field: "x"\n' });
    for (let i = 0; i < 8; i += 1) {
      expect(await deliverTo(verbose.url)).toEqual({ ok: true });
      expect(await deliverTo(refusing.url)).toEqual({
        ok: false,
        error: `HTTP 400 from ${refusing.url}: unknown field: "x"`,
        reason: 'rejected',
      });
    }
    // undici's pool may open a second connection early on; unread replies would need eight.
    expect(verbose.connections).toBeLessThanOrEqual(2);
    expect(refusing.connections).toBeLessThanOrEqual(2);
    // A reply past the drain limit is cut off (and its connection closed), not read to its end.
    const endless = await answering({ status: 200, body: 'thanks\n'.repeat(100_000) });
    expect(await deliverTo(endless.url)).toEqual({ ok: true });
  });

  it('reads Retry-After on 429 and 503, as seconds or an HTTP date', async () => {
    const seconds = await answering({ status: 429, headers: { 'retry-after': '7' } });
    expect(await deliverTo(seconds.url)).toMatchObject({ ok: false, retryAfter: 7_000 });
    const at = new Date(NOW.getTime() + 30_000).toUTCString();
    const dated = await answering({ status: 503, headers: { 'retry-after': at } });
    expect(await deliverTo(dated.url, { now: () => NOW })).toMatchObject({
      ok: false,
      retryAfter: 30_000,
    });
    // Elsewhere the header means nothing the relay should wait for.
    const other = await answering({ status: 500, headers: { 'retry-after': '7' } });
    expect(await deliverTo(other.url)).not.toHaveProperty('retryAfter');
  });

  it('does not follow a redirect, and says so', async () => {
    const elsewhere = await answering({ status: 204 });
    const moved = await answering({ status: 307, headers: { location: elsewhere.url } });
    expect(await deliverTo(moved.url)).toEqual({
      ok: false,
      error: `HTTP 307 from ${moved.url}: redirects to ${elsewhere.url} are not followed; configure the final URL`,
      reason: 'rejected',
    });
    expect(elsewhere.received).toEqual([]);
  });

  it('fails after the timeout when no reply comes, and when nobody listens', async () => {
    const stuck = await answering('hang');
    expect(await deliverTo(stuck.url, { timeout: 30 })).toEqual({
      ok: false,
      error: `no reply from ${stuck.url} within 30 ms`,
      reason: 'timeout',
    });
    const gone = await answering({ status: 204 });
    await gone.down();
    const outcome = await deliverTo(gone.url);
    expect(outcome).toMatchObject({ ok: false, reason: 'network' });
    expect(outcome.ok === false && outcome.error).toMatch(
      new RegExp(`^POST ${gone.url} failed: connect ECONNREFUSED`),
    );
  });

  it('stops when the relay aborts it', async () => {
    const stuck = await answering('hang');
    const outlet = webhookOutlet({ name: 'hook', url: stuck.url, secret: SECRET, events: [] });
    const relayStops = new AbortController();
    const outcome = outlet.deliver(EVENT, relayStops.signal);
    await expect.poll(() => stuck.received.length).toBe(1);
    relayStops.abort();
    expect(await outcome).toEqual({ ok: false, error: `stopped before ${stuck.url} replied` });
  });

  it('refuses options it cannot work with', () => {
    const options = { name: 'hook', url: 'http://127.0.0.1/', secret: SECRET, events: [] };
    expect(() => webhookOutlet({ ...options, url: 'not a url' })).toThrow(RangeError);
    expect(() => webhookOutlet({ ...options, url: 'ftp://127.0.0.1/' })).toThrow(RangeError);
    expect(() => webhookOutlet({ ...options, secret: 'whsec_not base64!' })).toThrow(RangeError);
    expect(() => webhookOutlet({ ...options, timeout: 0 })).toThrow(RangeError);
    expect(() => webhookOutlet({ ...options, headers: { 'bad header': 'x' } })).toThrow(
      'header "bad header" is not valid',
    );
  });
});
