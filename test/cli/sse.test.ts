import { describe, expect, it } from 'vitest';
import { readServerSentEvents, type ServerSentEvent } from '../../src/cli/watch/sse.js';

/** The SSE reader of `journey watch`, fed the way a network delivers: in arbitrary pieces. */

/** Each part as its own chunk, a tick apart, as from a socket. */
async function* chunks(parts: readonly (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for (const part of parts) {
    await Promise.resolve();
    yield typeof part === 'string' ? encoder.encode(part) : part;
  }
}

async function read(
  parts: readonly (string | Uint8Array)[],
  lastEventId?: string,
): Promise<ServerSentEvent[]> {
  const messages: ServerSentEvent[] = [];
  for await (const message of readServerSentEvents(chunks(parts), lastEventId)) {
    messages.push(message);
  }
  return messages;
}

const STREAM =
  'event: ready\nid: 41\ndata: {}\n\n' +
  ': keep-alive\n\n' +
  'id: 42\ndata: {"type":"journey-orchestrator.StagePromoted.v1","subject":"café"}\n\n' +
  'data: first line\ndata:second line\n\n' +
  'id: 44\nretry: 3000\ndata: x\n\n';

const EXPECTED: ServerSentEvent[] = [
  { event: 'ready', id: '41', data: '{}' },
  {
    event: 'message',
    id: '42',
    data: '{"type":"journey-orchestrator.StagePromoted.v1","subject":"café"}',
  },
  { event: 'message', id: '42', data: 'first line\nsecond line' },
  { event: 'message', id: '44', data: 'x', retry: 3000 },
];

describe('readServerSentEvents', () => {
  it('reads messages, comments, multi-line data, ids that carry over, and retry', async () => {
    expect(await read([STREAM])).toEqual(EXPECTED);
  });

  it('reads the same whatever the chunk boundaries (split inside a UTF-8 character too)', async () => {
    const bytes = new TextEncoder().encode(STREAM);
    for (let cut = 1; cut < bytes.length; cut += 1) {
      const messages = await read([bytes.slice(0, cut), bytes.slice(cut)]);
      expect(messages, `cut at byte ${cut}`).toEqual(EXPECTED);
    }
  });

  it('takes CRLF and CR line ends, even a CRLF split across two chunks', async () => {
    expect(await read(['id: 1\r\ndata: a\r', '\n\r\nid: 2\rdata: b\r\r'])).toEqual([
      { event: 'message', id: '1', data: 'a' },
      { event: 'message', id: '2', data: 'b' },
    ]);
  });

  it('drops a message the stream ended in the middle of, and one without data', async () => {
    expect(await read(['id: 7\n\n', 'id: 8\ndata: cut off'], '3')).toEqual([]);
    expect(await read(['data: a\n\n'], '3')).toEqual([{ event: 'message', id: '3', data: 'a' }]);
  });

  it('keeps one leading space of a value only, ignores unknown fields and ids with NUL', async () => {
    expect(await read(['data:  two spaces\nfoo: bar\nid: a\u0000b\n\n'], '9')).toEqual([
      { event: 'message', id: '9', data: ' two spaces' },
    ]);
  });
});
