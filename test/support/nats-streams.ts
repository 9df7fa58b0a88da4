import { randomBytes } from 'node:crypto';
import { connect, NatsError, type JetStreamManager, type NatsConnection } from 'nats';
import { inject } from 'vitest';
import type { CloudEventJson } from '../../src/relay/cloud-event.js';

/**
 * Helpers for the NATS outlet's tests: each test gets its own stream and subject prefix on the
 * real server (so tests and runs never see each other's messages), reads back what the stream
 * stored, and deletes its streams afterwards.
 */

/** `host:port` of the NATS server the run probed (JOURNEY_TEST_NATS_HOST/PORT override it). */
export function natsServer(): string {
  return inject('services').nats.target;
}

export interface StoredMessage {
  readonly seq: number;
  readonly subject: string;
  readonly contentType: string | undefined;
  readonly msgId: string | undefined;
  readonly envelope: CloudEventJson;
}

export class NatsStreams {
  readonly #names = new Set<string>();
  #nc: NatsConnection | undefined;
  #jsm: JetStreamManager | undefined;

  /** A unique stream name and subject prefix, remembered for `deleteAll`; nothing is created. */
  reserve(): { readonly stream: string; readonly prefix: string } {
    const id = randomBytes(5).toString('hex');
    const stream = `JOURNEY_TEST_${id.toUpperCase()}`;
    this.#names.add(stream);
    return { stream, prefix: `test.${id}.events` };
  }

  /** Reserves a stream and creates it, listening on `<prefix>.>`. */
  async create(): Promise<{ readonly stream: string; readonly prefix: string }> {
    const reserved = this.reserve();
    const jsm = await this.#manager();
    await jsm.streams.add({ name: reserved.stream, subjects: [`${reserved.prefix}.>`] });
    return reserved;
  }

  async subjects(stream: string): Promise<string[]> {
    const info = await (await this.#manager()).streams.info(stream);
    return info.config.subjects ?? [];
  }

  /** Every message the stream holds, by stream sequence. */
  async messages(stream: string): Promise<StoredMessage[]> {
    const jsm = await this.#manager();
    const { state } = await jsm.streams.info(stream);
    const messages: StoredMessage[] = [];
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
      const message = await jsm.streams.getMessage(stream, { seq });
      messages.push({
        seq: message.seq,
        subject: message.subject,
        contentType: message.header.get('Content-Type') || undefined,
        msgId: message.header.get('Nats-Msg-Id') || undefined,
        envelope: message.json<CloudEventJson>(),
      });
    }
    return messages;
  }

  /** Deletes every stream reserved here that exists, and closes the connection. */
  async deleteAll(): Promise<void> {
    if (this.#names.size > 0) {
      const jsm = await this.#manager();
      for (const name of this.#names) {
        await jsm.streams.delete(name).catch((error: unknown) => {
          // A reserved stream that was never created (a test of a missing stream).
          if (!(error instanceof NatsError && error.api_error?.err_code === 10059)) {
            throw error;
          }
        });
      }
      this.#names.clear();
    }
    await this.#nc?.drain();
    this.#nc = undefined;
    this.#jsm = undefined;
  }

  async #manager(): Promise<JetStreamManager> {
    this.#nc ??= await connect({ servers: natsServer() });
    this.#jsm ??= await this.#nc.jetstreamManager();
    return this.#jsm;
  }
}
