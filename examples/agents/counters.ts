/**
 * What the example agents received, for tests to count: how many times an attempt was sent
 * (a re-sent attempt shows as two messages with the same ids) and which tasks were cancelled.
 */

export interface ReceivedMessage {
  readonly agentId: string;
  readonly intent: string;
  readonly messageId: string;
  readonly workId?: string;
  readonly taskId?: string;
  readonly attempt?: number;
  readonly clientId?: string;
  /** The id the agent gave the task this message started. */
  readonly agentTaskId: string;
}

export interface ReceivedCancel {
  readonly agentId: string;
  readonly agentTaskId: string;
  /** The intent of the cancelled task, when this agent started it. */
  readonly intent?: string;
}

export interface MessageFilter {
  readonly agentId?: string;
  readonly intent?: string;
  readonly clientId?: string;
  readonly workId?: string;
  readonly taskId?: string;
}

export class Counters {
  readonly #messages: ReceivedMessage[] = [];
  readonly #cancels: ReceivedCancel[] = [];

  /** The messages received, oldest first, matching every field the filter names. */
  messages(filter: MessageFilter = {}): readonly ReceivedMessage[] {
    return this.#messages.filter((message) =>
      Object.entries(filter).every(
        ([field, wanted]) => message[field as keyof MessageFilter] === wanted,
      ),
    );
  }

  /** The cancel requests received, oldest first. */
  cancels(
    filter: { readonly agentId?: string; readonly intent?: string } = {},
  ): readonly ReceivedCancel[] {
    return this.#cancels.filter(
      (cancel) =>
        (filter.agentId === undefined || cancel.agentId === filter.agentId) &&
        (filter.intent === undefined || cancel.intent === filter.intent),
    );
  }

  reset(): void {
    this.#messages.length = 0;
    this.#cancels.length = 0;
  }

  /** @internal Called by the agents. */
  recordMessage(message: ReceivedMessage): void {
    this.#messages.push(Object.freeze({ ...message }));
  }

  /** @internal Called by the agents. */
  recordCancel(cancel: ReceivedCancel): void {
    this.#cancels.push(Object.freeze({ ...cancel }));
  }
}
