import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SseParser } from '../../src/web/live/sse-parser.js';

const STREAM =
  'event: ready\nid: 41\ndata: {}\n\n' +
  ': keep-alive\n\n' +
  'id: 42\ndata: {"type":"a"}\n\n' +
  'retry: 2500\r\nid: 43\r\ndata: line one\r\ndata:line two\r\n\r\n';

const EXPECTED = [
  { id: '41', event: 'ready', data: '{}' },
  { id: '42', event: 'message', data: '{"type":"a"}' },
  { id: '43', event: 'message', data: 'line one\nline two' },
];

describe('SseParser', () => {
  it('reads messages, ids, named events, multi-line data; drops comments; keeps retry', () => {
    const parser = new SseParser();
    expect(parser.push(STREAM)).toEqual(EXPECTED);
    expect(parser.retryMs).toBe(2500);
  });

  it('gives the same messages however the stream is split into chunks (CRLF halves too)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(STREAM.length), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks = [0, ...points].map((from, i) =>
          STREAM.slice(from, points[i] ?? STREAM.length),
        );
        const parser = new SseParser();
        expect(chunks.flatMap((chunk) => parser.push(chunk))).toEqual(EXPECTED);
      }),
    );
  });

  it('waits for the blank line before it dispatches, and dispatches an event without data', () => {
    const parser = new SseParser();
    expect(parser.push('event: ready\nid: 7\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ id: '7', event: 'ready', data: '' }]);
    expect(parser.push('\n\n: only a comment\n\n')).toEqual([]);
  });

  it('ignores unknown fields, a non-numeric retry and an id holding NUL', () => {
    const parser = new SseParser();
    expect(parser.push('foo: bar\nretry: soon\nid: a\0b\ndata: x\n\n')).toEqual([
      { id: null, event: 'message', data: 'x' },
    ]);
    expect(parser.retryMs).toBeNull();
  });
});
