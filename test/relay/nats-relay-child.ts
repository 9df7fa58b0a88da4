/**
 * The victim of test/relay/nats.crash.test.ts:
 * `node --import tsx test/relay/nats-relay-child.ts <db-url> <nats-server> <stream> <subject-prefix> <outlet>`.
 * Runs the event relay with one NATS outlet on the store at <db-url>, the way `journey serve`
 * does, and prints each PubAck as one JSON line once it arrived (`{"ack":{...}}`). The parent
 * kills it with SIGKILL while it publishes, and stops the last run with SIGTERM.
 *
 * The lease owner is the same in every run, as a restarted `serve` on one SQLite file is the
 * same deliverer: a restart takes the dead run's lease at once instead of waiting it out.
 */
import type { Clock } from '../../src/application/ports.js';
import { natsOutlet, type NatsPublication } from '../../src/relay/nats-outlet.js';
import { Relay } from '../../src/relay/relay.js';
import { openStore } from '../../src/storage/open-store.js';
import { QUICK_POLICY } from '../support/relay-harness.js';

export type ChildLine = { readonly ready: true } | { readonly ack: NatsPublication };

const [url, server, stream, prefix, outletName] = process.argv.slice(2);
if (
  url === undefined ||
  server === undefined ||
  stream === undefined ||
  prefix === undefined ||
  outletName === undefined
) {
  throw new Error('usage: nats-relay-child.ts <db-url> <nats-server> <stream> <prefix> <outlet>');
}
const say = (line: ChildLine) => process.stdout.write(`${JSON.stringify(line)}\n`);
const clock: Clock = { now: () => new Date().toISOString() };
const store = await openStore(url, { clock, postgres: { poolSize: 2 } });
const relay = new Relay({
  store,
  clock,
  owner: 'nats-crash-relay',
  outlets: [
    {
      outlet: natsOutlet({
        name: outletName,
        servers: server,
        stream: stream,
        subject: `${prefix}.{type}`,
        onPublished: (ack) => say({ ack }),
      }),
      // Small batches, a few journeys at a time: a kill lands inside a batch most of the time.
      policy: { ...QUICK_POLICY, batchSize: 40, concurrency: 4 },
    },
  ],
  log: {
    info: () => undefined,
    warn: (message, fields) => process.stderr.write(`${message} ${JSON.stringify(fields)}\n`),
  },
  timings: { pollInterval: 20, errorBackoff: 50, leaseFor: 5_000 },
});
relay.start();
say({ ready: true });
process.once('SIGTERM', () => {
  void relay
    .stop()
    .then(() => store.close())
    .then(() => process.exit(0));
});
