/**
 * A minimal Server-Sent Events reader over fetch, for tests: collects messages as they arrive
 * (`id`, `event`, `data`), and can be closed at any moment like a client that goes away.
 */
export interface SseMessage {
  readonly id: string | undefined;
  readonly event: string;
  readonly data: string;
}

export interface SseConnection {
  readonly status: number;
  readonly messages: SseMessage[];
  /** Resolves when `count` messages (in all) have arrived; rejects after `timeoutMs`. */
  waitFor(
    predicate: (messages: readonly SseMessage[]) => boolean,
    timeoutMs?: number,
  ): Promise<void>;
  close(): void;
  /** Resolves when the server ended the stream. */
  readonly ended: Promise<void>;
}

export async function openSse(
  url: string,
  headers: Record<string, string>,
): Promise<SseConnection> {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const messages: SseMessage[] = [];
  const listeners = new Set<() => void>();
  const ended = (async () => {
    if (response.body === null || response.status !== 200) {
      return;
    }
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message = parseBlock(block);
          if (message !== null) {
            messages.push(message);
            listeners.forEach((listener) => listener());
          }
        }
      }
    } catch {
      // Closed by us (abort): the messages so far are what the test looks at.
    }
  })();
  return {
    status: response.status,
    messages,
    ended,
    close: () => controller.abort(),
    waitFor: (predicate, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(messages)) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`the stream sent ${messages.length} messages, not what was awaited`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
  };
}

function parseBlock(block: string): SseMessage | null {
  let id: string | undefined;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') {
      id = value;
    } else if (field === 'event') {
      event = value;
    } else if (field === 'data') {
      data.push(value);
    }
  }
  return data.length === 0 && id === undefined ? null : { id, event, data: data.join('\n') };
}
