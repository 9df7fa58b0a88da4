import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudEventJson } from '../../src/relay/cloud-event.js';

/**
 * A real webhook receiver on 127.0.0.1 for relay tests: it records every request as it came
 * (headers, the exact body) and answers as the test decides, and can go down and come back up
 * on the same port, as a restarted service does.
 */

/** What the receiver answers to one request; `hang` never answers (a stuck service). */
export type Reply =
  | {
      readonly status: number;
      readonly headers?: Record<string, string>;
      readonly body?: string;
    }
  | 'hang';

export interface ReceivedRequest {
  /** The path and query. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly event: CloudEventJson;
  /** The status answered; undefined while (or when never) answered. */
  status: number | undefined;
  /**
   * For a request left hanging: ms from its arrival until the sender closed the connection (it
   * gave up); undefined while it is open or when it was answered.
   */
  abandonedAfterMs?: number;
}

export type Responder = (event: CloudEventJson, received: readonly ReceivedRequest[]) => Reply;

export class WebhookReceiver {
  readonly received: ReceivedRequest[] = [];
  respond: Responder;
  /** TCP connections accepted: fewer than requests when connections are reused. */
  connections = 0;
  readonly #server: Server;
  #port = 0;

  private constructor(respond: Responder) {
    this.respond = respond;
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const entry: ReceivedRequest = {
          url: request.url ?? '',
          headers: request.headers,
          body,
          event: JSON.parse(body) as CloudEventJson,
          status: undefined,
        };
        this.received.push(entry);
        const reply = this.respond(entry.event, this.received);
        if (reply === 'hang') {
          const arrived = performance.now();
          response.on('close', () => {
            entry.abandonedAfterMs = performance.now() - arrived;
          });
          return;
        }
        entry.status = reply.status;
        response.writeHead(reply.status, reply.headers).end(reply.body);
      });
    });
    this.#server.on('connection', () => {
      this.connections += 1;
    });
  }

  /** A receiver listening on a free port; `respond` defaults to 204 for everything. */
  static async start(respond: Responder = () => ({ status: 204 })): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(respond);
    await receiver.up();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}/hooks/journeys`;
  }

  /** Listens again, on the same port once it had one. */
  async up(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#port, '127.0.0.1', () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  /** Stops listening and drops every connection: requests are then refused. */
  async down(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  /** The requests answered with a 2xx, i.e. the deliveries the relay counts. */
  accepted(): ReceivedRequest[] {
    return this.received.filter((r) => r.status !== undefined && r.status < 300);
  }

  /** The CloudEvents as they arrived, duplicates and all. */
  events(): CloudEventJson[] {
    return this.received.map((r) => r.event);
  }
}

/** A seeded generator (mulberry32): the same failures on every run of a test. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
