import { describe, expect, it } from 'vitest';
import type { GlobalPosition, Store, StoredEvent } from '../../src/application/ports.js';
import { forEachBackend } from '../support/backends.js';
import { openSse, type SseConnection, type SseMessage } from '../support/sse-client.js';
import { TOKENS, useApi } from './api-harness.js';

/** The log after `position`, in commit order. */
async function eventsAfter(store: Store, position: GlobalPosition): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for (let at = position; ;) {
    const page = await store.readAll(at, 1_000);
    if (page.events.length === 0) {
      return events;
    }
    events.push(...page.events);
    at = page.next;
  }
}

const ids = (messages: readonly SseMessage[]) =>
  messages
    .filter((m) => m.event === 'message')
    .map((m) => (JSON.parse(m.data) as { id: string }).id);

forEachBackend((backend) => {
  const api = useApi(backend);
  const stream = (query = '', headers: Record<string, string> = {}): Promise<SseConnection> =>
    openSse(`${api.url}/v1/events/stream${query}`, {
      authorization: `Bearer ${TOKENS.viewer}`,
      ...headers,
    });
  const start = async (clientId: string) => {
    expect((await api.request('POST', '/v1/journeys', { body: { clientId } })).status).toBe(201);
    await api.settle({ maxAdvance: 60_000 });
  };
  const ready = async (connection: SseConnection): Promise<string> => {
    await connection.waitFor((messages) => messages.some((m) => m.event === 'ready'));
    return connection.messages.find((m) => m.event === 'ready')?.id ?? '';
  };

  describe('GET /v1/events/stream', () => {
    it('says where it starts (ready), then streams each new event as CloudEvents JSON', async () => {
      const connection = await stream();
      expect(connection.status).toBe(200);
      const head = await ready(connection);
      await start('sse-live');
      const expected = await eventsAfter(api.store, head);
      await connection.waitFor((m) => ids(m).length >= expected.length);
      connection.close();
      expect(ids(connection.messages)).toEqual(expected.map((e) => e.eventId));
      const first = JSON.parse(connection.messages[1]?.data ?? '{}') as Record<string, unknown>;
      expect(first).toMatchObject({
        specversion: '1.0',
        type: 'journey-orchestrator.JourneyStarted.v1',
        subject: 'sse-live',
        causedby: 'ada',
        data: { type: 'JourneyStarted', clientId: 'sse-live' },
      });
      expect(connection.messages[1]?.id).toBe(expected[0]?.position);
    });

    it('a client that disconnects and reconnects with Last-Event-ID misses nothing', async () => {
      const first = await stream();
      const head = await ready(first);
      await start('sse-resume-1');
      await first.waitFor((m) => ids(m).length >= 5);
      first.close();
      await first.ended;
      const lastSeen = first.messages.at(-1)?.id ?? '';
      // While it is away, more happens.
      await start('sse-resume-2');
      await start('sse-resume-3');
      const expected = (await eventsAfter(api.store, head)).map((e) => e.eventId);
      const second = await stream('', { 'last-event-id': lastSeen });
      await second.waitFor((m) => ids(first.messages).length + ids(m).length >= expected.length);
      second.close();
      expect(second.messages.some((m) => m.event === 'ready')).toBe(false);
      // Resumed at the head, with nothing new: the answer still starts at once.
      const idle = await Promise.race([
        stream('', { 'last-event-id': second.messages.at(-1)?.id ?? '' }),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('no response headers within 5 s')), 5_000),
        ),
      ]);
      expect(idle.status).toBe(200);
      idle.close();
      expect([...ids(first.messages), ...ids(second.messages)]).toEqual(expected);
    });

    it('streams only one client, or only some event types, when asked', async () => {
      const byClient = await stream('?clientId=sse-only');
      const byType = await stream('?types=JourneyStarted,StageSetupCompleted');
      await Promise.all([ready(byClient), ready(byType)]);
      await start('sse-other');
      await start('sse-only');
      await byClient.waitFor((m) => ids(m).some((id) => id !== '') && hasSetupDone(m));
      await byType.waitFor((m) => ids(m).length >= 4);
      byClient.close();
      byType.close();
      const subjects = new Set(byClient.messages.filter(isEvent).map((m) => subjectOf(m)));
      expect([...subjects]).toEqual(['sse-only']);
      const types = byType.messages.filter(isEvent).map((m) => typeOf(m));
      expect(new Set(types)).toEqual(new Set(['JourneyStarted', 'StageSetupCompleted']));
      expect(types).toHaveLength(4);
    });

    it('refuses a Last-Event-ID it never sent, unknown types, and callers without a token', async () => {
      const bad = await api.request('GET', '/v1/events/stream', {
        as: 'viewer',
        headers: { 'last-event-id': 'nope; DROP TABLE events' },
      });
      expect(bad.status).toBe(400);
      expect(bad.contentType).toMatch(/application\/problem\+json/);
      expect(bad.json.detail).toMatch(/Last-Event-ID/);
      const types = await api.request('GET', '/v1/events/stream?types=JourneyStarted,Nope', {
        as: 'viewer',
      });
      expect(types.status).toBe(400);
      expect(JSON.stringify(types.json.errors)).toMatch(/types/);
      expect((await api.request('GET', '/v1/events/stream', { as: 'none' })).status).toBe(401);
    });
  });
});

function isEvent(message: SseMessage): boolean {
  return message.event === 'message';
}

function subjectOf(message: SseMessage): string {
  return (JSON.parse(message.data) as { subject: string }).subject;
}

function typeOf(message: SseMessage): string {
  return (JSON.parse(message.data) as { data: { type: string } }).data.type;
}

function hasSetupDone(messages: readonly SseMessage[]): boolean {
  return messages.filter(isEvent).some((m) => typeOf(m) === 'StageSetupCompleted');
}
