import { createServer, request as forward, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy in front of a `journey serve`, for the watch tests: it can cut the event
 * streams going through it (a dropped connection), or answer 404 for the stream as a release
 * from before it would. Everything else passes through as it is.
 */
export interface StreamProxy {
  readonly url: string;
  /** The `Last-Event-ID` of each stream request, in order (undefined: a fresh subscription). */
  readonly streamRequests: (string | undefined)[];
  /** Destroys every event stream open through the proxy. */
  dropStreams(): void;
  close(): Promise<void>;
}

export async function startStreamProxy(
  target: string,
  options: { readonly withoutStream?: boolean } = {},
): Promise<StreamProxy> {
  const upstream = new URL(target);
  const streams = new Set<ServerResponse>();
  const streamRequests: (string | undefined)[] = [];
  const server = createServer((request, response) => {
    const isStream = (request.url ?? '').startsWith('/v1/events/stream');
    if (isStream) {
      const lastEventId = request.headers['last-event-id'];
      streamRequests.push(Array.isArray(lastEventId) ? lastEventId[0] : lastEventId);
      if (options.withoutStream === true) {
        request.resume();
        response
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"message":"Route GET:/v1/events/stream not found","statusCode":404}');
        return;
      }
      streams.add(response);
      response.on('close', () => streams.delete(response));
    }
    const out = forward(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    out.on('error', () => response.destroy());
    response.on('close', () => out.destroy());
    request.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    streamRequests,
    dropStreams: () => {
      for (const response of streams) {
        response.destroy();
      }
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
