import { randomBytes } from 'node:crypto';
import { natsOutlet } from '../src/relay/nats-outlet.js';
import type { OutletPolicy } from '../src/relay/relay-settings.js';
import type { RelayOutlet } from '../src/relay/relay.js';
import { webhookOutlet } from '../src/relay/webhook-outlet.js';
import {
  PublicationLog,
  type BenchStreams,
  type Deliveries,
  type ReceiverProcess,
} from './events-sinks.js';
import { deliveryProblems, type LogScan } from './events-stats.js';

/**
 * The outlets of one phase of the events bench, built as `journey serve` builds them from an
 * outlets file (src/runtime/outlets.ts), each with a receiver path or a stream of its own, and
 * how to read back what each delivered.
 */

export type OutletName = 'webhook' | 'nats';

/** The relay's outlets for one phase, each with its own receiver path or stream. */
export interface Outlets {
  readonly outlets: RelayOutlet[];
  readonly names: string[];
  /** Distinct ids delivered so far, per outlet kind. */
  readonly counters: Partial<Record<OutletName, () => number | Promise<number>>>;
  deliveries(kind: OutletName): Promise<Deliveries>;
  /** What breaks "exactly once per id" (the stream's message count included). */
  problems(label: string, log: LogScan): Promise<string[]>;
}

export async function outletsFor(
  kinds: readonly OutletName[],
  label: string,
  policy: Partial<OutletPolicy> | undefined,
  options: { readonly backend: string; readonly nats: string },
  receiver: ReceiverProcess,
  streams: BenchStreams,
): Promise<Outlets> {
  const path = `/${options.backend}/${label}-${randomBytes(3).toString('hex')}`;
  const stream = kinds.includes('nats') ? await streams.create() : undefined;
  const published = new PublicationLog();
  const outlets: RelayOutlet[] = [];
  const counters: Outlets['counters'] = {};
  const suffix = label === 'load' ? '' : `-${label}`;
  if (kinds.includes('webhook')) {
    const outlet = webhookOutlet({
      name: `webhook${suffix}`,
      url: receiver.url(path),
      secret,
      events: [],
    });
    outlets.push(policy === undefined ? { outlet } : { outlet, policy });
    counters.webhook = async () => (await receiver.counts())[path] ?? 0;
  }
  if (stream !== undefined) {
    const outlet = natsOutlet({
      name: `nats${suffix}`,
      servers: options.nats,
      stream: stream.stream,
      subject: stream.subject,
      onPublished: published.onPublished,
    });
    outlets.push(policy === undefined ? { outlet } : { outlet, policy });
    counters.nats = () => published.first.size;
  }
  const deliveries = (kind: OutletName): Promise<Deliveries> =>
    kind === 'webhook' ? receiver.deliveries(path) : Promise.resolve(published);
  return {
    outlets,
    names: outlets.map(({ outlet }) => outlet.name),
    counters,
    deliveries,
    async problems(name, log) {
      const found: string[] = [];
      for (const kind of kinds) {
        found.push(...deliveryProblems(`${kind} ${name}`, log, await deliveries(kind)));
      }
      if (stream !== undefined) {
        const messages = await streams.messages(stream.stream);
        if (messages !== log.events) {
          found.push(
            `NATS stream ${stream.stream} holds ${messages} messages for ${log.events} events`,
          );
        }
      }
      return found;
    },
  };
}

/** The receiver verifies nothing, but the outlet signs every request as it does in production. */
const secret = `whsec_${randomBytes(32).toString('base64')}`;
