import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The events bench's webhook receiver, in a process of its own (as a real receiver is another
 * service: its HTTP parsing must not run on the relay's event loop): node:http on 127.0.0.1,
 * answering 204 at once and verifying nothing. Per path (one per outlet) it keeps the first
 * arrival of each `webhook-id` (Date.now(), the machine's clock, as the relay's process reads
 * it) and counts the repeats. The parent asks over IPC (`ReceiverRequest`), and every answer
 * carries the request's `seq`.
 *
 * `tsx bench/events-receiver.ts`; it sends `{ seq: 0, port }` once it listens.
 */

/** What the parent asks; the request itself carries a `seq` the answer repeats. */
export type ReceiverAsk =
  | { readonly kind: 'counts' }
  | { readonly kind: 'report'; readonly path: string }
  | { readonly kind: 'stop' };

export type ReceiverRequest = ReceiverAsk & { readonly seq: number };

export interface PathReport {
  /** `[webhook-id, first arrival in ms since the epoch]`, in arrival order. */
  readonly arrivals: readonly (readonly [string, number])[];
  readonly requests: number;
  /** Requests whose id had arrived before. */
  readonly duplicates: number;
  /** Requests without a `webhook-id` header. */
  readonly anonymous: number;
}

export type ReceiverReply =
  | { readonly seq: number; readonly port: number }
  | { readonly seq: number; readonly counts: Readonly<Record<string, number>> }
  | { readonly seq: number; readonly report: PathReport }
  | { readonly seq: number; readonly stopped: true };

interface PathState {
  readonly first: Map<string, number>;
  requests: number;
  duplicates: number;
  anonymous: number;
}

const paths = new Map<string, PathState>();

function stateOf(path: string): PathState {
  let state = paths.get(path);
  if (state === undefined) {
    state = { first: new Map(), requests: 0, duplicates: 0, anonymous: 0 };
    paths.set(path, state);
  }
  return state;
}

const server = createServer((request, response) => {
  // The body is not needed: the id is in a header. Reading it to the end keeps the connection.
  request.resume();
  request.on('end', () => {
    const at = Date.now();
    const state = stateOf(request.url ?? '/');
    state.requests += 1;
    const id = request.headers['webhook-id'];
    if (typeof id !== 'string') {
      state.anonymous += 1;
    } else if (state.first.has(id)) {
      state.duplicates += 1;
    } else {
      state.first.set(id, at);
    }
    response.writeHead(204).end();
  });
});
server.keepAliveTimeout = 60_000;

function reply(message: ReceiverReply): void {
  process.send?.(message);
}

process.on('message', (message: ReceiverRequest) => {
  switch (message.kind) {
    case 'counts':
      reply({
        seq: message.seq,
        counts: Object.fromEntries([...paths].map(([path, state]) => [path, state.first.size])),
      });
      break;
    case 'report': {
      const state = stateOf(message.path);
      reply({
        seq: message.seq,
        report: {
          arrivals: [...state.first],
          requests: state.requests,
          duplicates: state.duplicates,
          anonymous: state.anonymous,
        },
      });
      break;
    }
    case 'stop':
      server.closeAllConnections();
      server.close(() =>
        process.send?.({ seq: message.seq, stopped: true }, () => process.exit(0)),
      );
      break;
  }
});
// The parent died without stopping us: nothing is left to receive for.
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  reply({ seq: 0, port: (server.address() as AddressInfo).port });
});
