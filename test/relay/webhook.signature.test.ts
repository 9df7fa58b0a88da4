import type { IncomingHttpHeaders } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { Relay } from '../../src/relay/relay.js';
import { webhookOutlet } from '../../src/relay/webhook-outlet.js';
import { verifyWebhook } from '../../src/relay/webhook-signature.js';
import { forEachBackend } from '../support/backends.js';
import { allEvents, caughtUp, produceJourneys, startRelay } from '../support/relay-harness.js';
import { WebhookReceiver, type ReceivedRequest } from '../support/webhook-receiver.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const PREVIOUS = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
const RAW = 'a plain secret from the operator';

/** The three signature headers as the standardwebhooks library takes them. */
function signatureHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const pick = (name: string) => String(headers[name]);
  return {
    'webhook-id': pick('webhook-id'),
    'webhook-timestamp': pick('webhook-timestamp'),
    'webhook-signature': pick('webhook-signature'),
  };
}

forEachBackend((backend) => {
  let relay: Relay | undefined;
  let receiver: WebhookReceiver | undefined;
  afterEach(async () => {
    await relay?.stop();
    await receiver?.down();
  });

  /** Runs one journey's events through a webhook outlet and returns what the receiver got. */
  async function deliveredWith(
    options: { readonly secret: string; readonly previousSecret?: string },
    name: string,
  ): Promise<ReceivedRequest[]> {
    const { store } = await backend.freshDatabase();
    await produceJourneys(store, backend.clock, 1);
    receiver = await WebhookReceiver.start();
    const outlet = webhookOutlet({
      name,
      url: receiver.url,
      events: [],
      headers: { authorization: 'Bearer receiver-token', 'content-type': 'text/plain' },
      ...options,
    });
    relay = startRelay(store, backend.clock, [outlet]);
    await caughtUp(store, name);
    expect(receiver.received).toHaveLength((await allEvents(store)).length);
    return receiver.received;
  }

  describe('webhook signatures', () => {
    it('verify with the documented recipe and with the standardwebhooks library, in rotation too', async () => {
      const received = await deliveredWith({ secret: SECRET, previousSecret: PREVIOUS }, 'signed');
      for (const { headers, body, event } of received) {
        expect(headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
        expect(headers.authorization).toBe('Bearer receiver-token');
        expect(headers['webhook-id']).toBe(event.id);
        expect(headers['webhook-signature']?.toString().split(' ')).toHaveLength(2);
        expect(verifyWebhook(SECRET, headers, body)).toEqual({
          ok: true,
          id: event.id,
          timestamp: Number(headers['webhook-timestamp']),
        });
        expect(verifyWebhook(PREVIOUS, headers, body).ok).toBe(true);
        expect(new Webhook(SECRET).verify(body, signatureHeaders(headers))).toEqual(event);
        expect(new Webhook(PREVIOUS).verify(body, signatureHeaders(headers))).toEqual(event);
      }
    });

    it('fail on a tampered body, a wrong secret or a stale timestamp', async () => {
      const [first] = await deliveredWith({ secret: SECRET }, 'tampered');
      const { headers, body } = first!;
      const tampered = body.replace('"specversion":"1.0"', '"specversion":"1.0" ');
      const later = new Date(Number(headers['webhook-timestamp']) * 1_000 + 301_000);

      expect(verifyWebhook(SECRET, headers, tampered)).toMatchObject({
        ok: false,
        reason: 'no-matching-signature',
      });
      expect(verifyWebhook(PREVIOUS, headers, body)).toMatchObject({
        ok: false,
        reason: 'no-matching-signature',
      });
      expect(verifyWebhook(SECRET, headers, body, { now: later })).toMatchObject({
        ok: false,
        reason: 'stale-timestamp',
      });
      expect(() => new Webhook(SECRET).verify(tampered, signatureHeaders(headers))).toThrow(
        'No matching signature found',
      );
      expect(() => new Webhook(PREVIOUS).verify(body, signatureHeaders(headers))).toThrow(
        'No matching signature found',
      );
    });

    it('key a raw secret by its UTF-8 bytes, as the libraries do with format "raw"', async () => {
      const [first] = await deliveredWith({ secret: RAW }, 'raw');
      const { headers, body, event } = first!;
      expect(verifyWebhook(RAW, headers, body).ok).toBe(true);
      const library = new Webhook(RAW, { format: 'raw' });
      expect(library.verify(body, signatureHeaders(headers))).toEqual(event);
    });
  });
});
