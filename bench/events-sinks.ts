import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { connect, NatsError, type JetStreamManager, type NatsConnection } from 'nats';
import type { NatsPublication } from '../src/relay/nats-outlet.js';
import type { PathReport, ReceiverAsk, ReceiverReply } from './events-receiver.js';

/**
 * Where the events bench's outlets deliver, and what each saw: the webhook receiver (a child
 * process, events-receiver.ts), and JetStream streams created for the run and deleted after it.
 */

/** What one outlet delivered: each event id's first delivery, and the repeats. */
export interface Deliveries {
  /** Event id -> first delivery, ms since the epoch. */
  readonly first: ReadonlyMap<string, number>;
  readonly duplicates: number;
}

type Pending = (reply: ReceiverReply) => void;

/** The webhook receiver process, asked over IPC. */
export class ReceiverProcess {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, Pending>();
  #seq = 0;
  #exited = false;

  private constructor(
    child: ChildProcess,
    readonly port: number,
  ) {
    this.#child = child;
    child.on('message', (message: ReceiverReply) => {
      const pending = this.#pending.get(message.seq);
      this.#pending.delete(message.seq);
      pending?.(message);
    });
  }

  static start(): Promise<ReceiverProcess> {
    const script = fileURLToPath(new URL('./events-receiver.ts', import.meta.url));
    const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      const failed = (why: unknown) =>
        reject(new Error(`the webhook receiver did not start: ${String(why)}`));
      child.once('error', failed);
      child.once('exit', (code) => failed(`exit ${code}`));
      child.once('message', (message: ReceiverReply) => {
        if ('port' in message) {
          const receiver = new ReceiverProcess(child, message.port);
          child.removeAllListeners('exit');
          child.once('exit', () => {
            receiver.#exited = true;
          });
          resolve(receiver);
        }
      });
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Distinct ids received so far, per path. */
  async counts(): Promise<Readonly<Record<string, number>>> {
    const answer = await this.#ask({ kind: 'counts' });
    return 'counts' in answer ? answer.counts : {};
  }

  async deliveries(path: string): Promise<Deliveries & { readonly report: PathReport }> {
    const answer = await this.#ask({ kind: 'report', path });
    if (!('report' in answer)) {
      throw new Error('the webhook receiver sent no report');
    }
    const { report } = answer;
    return { first: new Map(report.arrivals), duplicates: report.duplicates, report };
  }

  async stop(): Promise<void> {
    if (this.#exited) {
      return;
    }
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    await this.#ask({ kind: 'stop' });
    await exited;
  }

  #ask(request: ReceiverAsk): Promise<ReceiverReply> {
    if (this.#exited) {
      return Promise.reject(new Error('the webhook receiver has exited'));
    }
    this.#seq += 1;
    const seq = this.#seq;
    return new Promise((resolve) => {
      this.#pending.set(seq, resolve);
      this.#child.send({ ...request, seq });
    });
  }
}

/** Follows a NATS outlet's PubAcks (its `onPublished`): the delivery time is the PubAck's. */
export class PublicationLog implements Deliveries {
  readonly first = new Map<string, number>();
  duplicates = 0;
  /** PubAcks that said the stream already held the message id. */
  serverDuplicates = 0;

  readonly onPublished = (publication: NatsPublication): void => {
    const at = Date.now();
    if (publication.duplicate) {
      this.serverDuplicates += 1;
    }
    if (this.first.has(publication.eventId)) {
      this.duplicates += 1;
    } else {
      this.first.set(publication.eventId, at);
    }
  };
}

/** Streams `BENCH_EVENTS_<hex>` made for this run, each on `bench.<hex>.events.>`. */
export class BenchStreams {
  readonly #names = new Set<string>();
  readonly #nc: NatsConnection;
  readonly #jsm: JetStreamManager;

  private constructor(nc: NatsConnection, jsm: JetStreamManager) {
    this.#nc = nc;
    this.#jsm = jsm;
  }

  static async open(servers: string): Promise<BenchStreams> {
    const nc = await connect({ servers, name: 'journey-orchestrator/bench-events' });
    try {
      return new BenchStreams(nc, await nc.jetstreamManager());
    } catch (error) {
      await nc.close();
      throw error;
    }
  }

  /** A new stream (file storage, JetStream's 2-minute duplicate window) and its subject template. */
  async create(): Promise<{ readonly stream: string; readonly subject: string }> {
    const id = randomBytes(5).toString('hex');
    const stream = `BENCH_EVENTS_${id.toUpperCase()}`;
    this.#names.add(stream);
    await this.#jsm.streams.add({ name: stream, subjects: [`bench.${id}.events.>`] });
    return { stream, subject: `bench.${id}.events.{type}` };
  }

  async messages(stream: string): Promise<number> {
    return (await this.#jsm.streams.info(stream)).state.messages;
  }

  /** Deletes every stream made here (also after a failure), then closes the connection. */
  async close(): Promise<void> {
    for (const name of this.#names) {
      await this.#jsm.streams.delete(name).catch((error: unknown) => {
        if (!(error instanceof NatsError && error.api_error?.err_code === 10059)) {
          process.stderr.write(`could not delete NATS stream ${name}: ${String(error)}\n`);
        }
      });
    }
    this.#names.clear();
    await this.#nc.drain();
  }
}
