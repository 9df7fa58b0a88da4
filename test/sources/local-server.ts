import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP server on 127.0.0.1 with an ephemeral port, for the sources to read from. */
export interface LocalServer {
  /** `http://127.0.0.1:<port>` without a trailing slash. */
  readonly url: string;
  /** Every request received, in order (path and query as sent). */
  readonly requests: IncomingMessage[];
  close(): Promise<void>;
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export async function serve(handler: Handler): Promise<LocalServer> {
  const requests: IncomingMessage[] = [];
  const server = createServer((request, response) => {
    requests.push(request);
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging handlers keep their sockets open: close them, or close() never returns.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers every request with `body` as JSON (or as given, when it is a string). */
export function replyJson(body: unknown, status = 200): Handler {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}

/** A port nothing listens on: bound once, then released. */
export async function closedPort(): Promise<string> {
  const server = await serve(() => undefined);
  await server.close();
  return server.url;
}
