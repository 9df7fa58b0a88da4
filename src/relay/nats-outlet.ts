import {
  connect,
  credsAuthenticator,
  headers,
  nanos,
  NatsError,
  type ConnectionOptions,
  type JetStreamClient,
  type NatsConnection,
} from 'nats';
import type { Millis } from '../domain/index.js';
import type { CloudEventJson } from './cloud-event.js';
import {
  DEFAULT_SUBJECT_TEMPLATE,
  domainEventType,
  parseSubjectTemplate,
  type SubjectTemplate,
} from './nats-subject.js';
import { failedOutcome, type DeliveryOutcome, type Outlet } from './outlet.js';

export type NatsCredentials =
  | { readonly token: string }
  | { readonly user: string; readonly pass: string }
  /** The contents of a `.creds` file (a user JWT and its NKey seed). */
  | { readonly creds: string };

/** What a publish acknowledged, for metrics and tests (e.g. counting redeliveries). */
export interface NatsPublication {
  readonly eventId: string;
  readonly subject: string;
  readonly stream: string;
  readonly seq: number;
  /** The stream already held this message id (in its duplicate window) and dropped it. */
  readonly duplicate: boolean;
}

export interface NatsOutletOptions {
  readonly name: string;
  /** e.g. `nats://127.0.0.1:4222`, or several servers of one cluster. */
  readonly servers: string | readonly string[];
  /** The JetStream stream that must capture every message; the server checks it per publish. */
  readonly stream: string;
  /** Subject per event; see nats-subject.ts. @default 'journeys.events.{type}' */
  readonly subject?: string;
  /** @default all events */
  readonly events?: readonly string[];
  /** How long to wait for a connection and for each PubAck. @default 5000 */
  readonly timeout?: Millis;
  readonly credentials?: NatsCredentials;
  /**
   * Create the stream at first use when it is missing, listening on the subject's literal
   * prefix (`journeys.events.>`); an existing stream is left as it is. When false, a missing
   * stream fails each delivery with "no stream listens on subject ...". @default false
   */
  readonly ensureStream?: boolean;
  /** The duplicate window of a stream `ensureStream` creates. @default 120000 (JetStream's) */
  readonly duplicateWindow?: Millis;
  /** Called after each PubAck; must not throw (the publish would count as failed and be redone). */
  readonly onPublished?: (publication: NatsPublication) => void;
}

/** The CloudEvents NATS binding's structured mode: this content type, the envelope as payload. */
export const CLOUDEVENTS_JSON = 'application/cloudevents+json';

const encoder = new TextEncoder();

/**
 * Publishes each envelope to JetStream, acknowledged: the outcome is ok only once the stream's
 * PubAck arrives, so the relay moves its checkpoint past stored messages only. The message id
 * is the CloudEvent id: a redelivery (the relay crashed before its checkpoint moved) within the
 * stream's duplicate window is dropped by the server and acknowledged as a duplicate.
 */
export function natsOutlet(options: NatsOutletOptions): Outlet {
  return new NatsOutlet(options);
}

class NatsOutlet implements Outlet {
  readonly name: string;
  readonly events: readonly string[];
  readonly #options: NatsOutletOptions;
  readonly #subjects: SubjectTemplate;
  readonly #timeout: Millis;
  /** One connection per outlet, opened at first use; forgotten when it fails or closes. */
  #connection: Promise<{ nc: NatsConnection; js: JetStreamClient }> | undefined;
  #closed = false;

  constructor(options: NatsOutletOptions) {
    this.#subjects = parseSubjectTemplate(options.subject ?? DEFAULT_SUBJECT_TEMPLATE);
    if (options.ensureStream === true && this.#subjects.streamSubject === null) {
      throw new RangeError(
        `NATS outlet ${options.name}: ensureStream needs a subject that starts with a literal token, not "${this.#subjects.template}"`,
      );
    }
    this.name = options.name;
    this.events = options.events ?? [];
    this.#options = options;
    this.#timeout = options.timeout ?? 5_000;
  }

  async deliver(event: CloudEventJson, signal: AbortSignal): Promise<DeliveryOutcome> {
    const subject = this.#subjects.render(domainEventType(event.type));
    if (subject === null) {
      return {
        ok: false,
        error: `${event.type} gives no legal subject from "${this.#subjects.template}"`,
      };
    }
    if (this.#closed) {
      return { ok: false, error: `NATS outlet ${this.name} is closed` };
    }
    let js: JetStreamClient;
    try {
      ({ js } = await untilAborted(this.#connect(), signal));
    } catch (error) {
      // Not connected: the outlet is unreachable, not refusing this event.
      return failedOutcome(error, 'network');
    }
    const { stream } = this.#options;
    const h = headers();
    h.set('Content-Type', CLOUDEVENTS_JSON);
    try {
      const ack = await untilAborted(
        js.publish(subject, encoder.encode(JSON.stringify(event)), {
          msgID: event.id,
          headers: h,
          expect: { streamName: stream },
          timeout: this.#timeout,
        }),
        signal,
      );
      this.#options.onPublished?.({
        eventId: event.id,
        subject,
        stream: ack.stream,
        seq: ack.seq,
        duplicate: ack.duplicate,
      });
      return { ok: true };
    } catch (error) {
      return publishFailure(error, subject, stream, this.#timeout);
    }
  }

  /** Lets messages in flight finish (drain), then closes the connection. */
  async close(): Promise<void> {
    this.#closed = true;
    const connection = this.#connection;
    this.#connection = undefined;
    // A connection that never opened has nothing to drain; its error was reported by deliver.
    const opened = await connection?.catch(() => undefined);
    if (opened !== undefined && !opened.nc.isClosed()) {
      await opened.nc.drain();
    }
  }

  #connect(): Promise<{ nc: NatsConnection; js: JetStreamClient }> {
    const opening = (this.#connection ??= this.#open());
    // A failed connect (or stream check) is tried afresh by the next delivery.
    opening.catch(() => {
      if (this.#connection === opening) {
        this.#connection = undefined;
      }
    });
    return opening;
  }

  async #open(): Promise<{ nc: NatsConnection; js: JetStreamClient }> {
    const { servers } = this.#options;
    const nc = await connect({
      servers: typeof servers === 'string' ? servers : [...servers],
      name: `journey-orchestrator/${this.name}`,
      timeout: this.#timeout,
      // Reconnects are the client's job, for ever: the relay retries deliveries meanwhile.
      maxReconnectAttempts: -1,
      ...auth(this.#options.credentials),
    }).catch((error: unknown) => {
      throw new Error(`cannot connect to NATS at ${String(servers)}: ${describe(error)}`);
    });
    try {
      if (this.#options.ensureStream === true) {
        await this.#ensureStream(nc);
      }
    } catch (error) {
      await nc.close();
      throw new Error(`cannot ensure stream ${this.#options.stream}: ${describe(error)}`);
    }
    const opened = { nc, js: nc.jetstream() };
    // Closed for good (e.g. its credentials were revoked): the next delivery connects again.
    void nc.closed().then(() => {
      if (!this.#closed) {
        this.#connection = undefined;
      }
    });
    return opened;
  }

  async #ensureStream(nc: NatsConnection): Promise<void> {
    const jsm = await nc.jetstreamManager({ timeout: this.#timeout });
    const { stream } = this.#options;
    try {
      await jsm.streams.info(stream);
      return;
    } catch (error) {
      if (!(error instanceof NatsError && error.api_error?.err_code === STREAM_NOT_FOUND)) {
        throw error;
      }
    }
    await jsm.streams.add({
      name: stream,
      subjects: [this.#subjects.streamSubject ?? this.#subjects.template],
      duplicate_window: nanos(this.#options.duplicateWindow ?? 120_000),
    });
  }
}

/** JetStream's error code for "stream not found". */
const STREAM_NOT_FOUND = 10059;

function publishFailure(
  error: unknown,
  subject: string,
  stream: string,
  timeout: Millis,
): DeliveryOutcome {
  if (error instanceof NatsError) {
    if (error.code === '503') {
      // Nothing answered the publish: no stream captures the subject (or JetStream is off).
      return refused(`no stream listens on subject ${subject} (expected stream ${stream})`);
    }
    if (error.code === 'TIMEOUT') {
      return {
        ok: false,
        error: `no PubAck from stream ${stream} within ${timeout} ms for subject ${subject}`,
        reason: 'timeout',
      };
    }
    const api = error.api_error;
    if (api !== undefined) {
      return refused(
        `JetStream refused subject ${subject}: ${api.description ?? error.message} (error ${api.err_code ?? api.code})`,
      );
    }
  }
  return {
    ok: false,
    error: `publishing to ${subject} failed: ${describe(error)}`,
    reason: 'other',
  };
}

function refused(error: string): DeliveryOutcome {
  return { ok: false, error, reason: 'rejected' };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function auth(credentials: NatsCredentials | undefined): Partial<ConnectionOptions> {
  if (credentials === undefined) {
    return {};
  }
  if ('token' in credentials) {
    return { token: credentials.token };
  }
  if ('creds' in credentials) {
    return { authenticator: credsAuthenticator(encoder.encode(credentials.creds)) };
  }
  return { user: credentials.user, pass: credentials.pass };
}

/** The client cannot cancel a request: the relay stops waiting, the server may still store it. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    return Promise.reject(new Error('delivery aborted'));
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(new Error('delivery aborted'));
    signal.addEventListener('abort', abort, { once: true });
    void work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
