import { once } from 'node:events';
import { createServer, type Server } from 'node:net';

const ATTEMPTS = 50;
const LOWEST = 20_000;
const HIGHEST = 60_000;

/**
 * A first port of `count` consecutive free ports on 127.0.0.1. The example agents take a port
 * base and keep their ports across the restart that fixes them, so one free port is not enough.
 * Another process may still take a port before the agents do; they then fail to start, loudly.
 */
export async function freePortRange(
  count: number,
  random: () => number = Math.random,
): Promise<number> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const base = LOWEST + Math.floor(random() * (HIGHEST - LOWEST - count));
    const servers: Server[] = [];
    try {
      for (let port = base; port < base + count; port += 1) {
        const server = createServer();
        server.listen(port, '127.0.0.1');
        await once(server, 'listening');
        servers.push(server);
      }
      return base;
    } catch {
      // That port is taken: try another range.
    } finally {
      await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
    }
  }
  throw new Error(`found no ${count} consecutive free ports on 127.0.0.1 in ${ATTEMPTS} tries`);
}
