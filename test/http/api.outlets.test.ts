import { afterAll, describe, expect, it } from 'vitest';
import { inProcessOutlet } from '../../src/relay/in-process-outlet.js';
import type { Relay } from '../../src/relay/relay.js';
import { forEachBackend } from '../support/backends.js';
import { caughtUp, startRelay } from '../support/relay-harness.js';
import { useApi } from './api-harness.js';

forEachBackend((backend) => {
  const api = useApi(backend);
  let relay: Relay | undefined;
  let accept = false;
  afterAll(() => relay?.stop());

  describe('outlets and dead letters over HTTP', () => {
    it('lists outlets, shows dead letters, replays them and discards them by role', async () => {
      expect(
        (await api.request('POST', '/v1/journeys', { body: { clientId: 'out-1' } })).status,
      ).toBe(201);
      relay = startRelay(
        api.store,
        api.clock,
        [
          inProcessOutlet({
            name: 'crm',
            events: ['JourneyStarted', 'StageSetupCompleted'],
            handle: () => {
              if (!accept) {
                throw new Error('crm is down for maintenance');
              }
            },
          }),
        ],
        {
          policy: {
            retry: {
              maxAttempts: 2,
              initialInterval: 1,
              backoffCoefficient: 1,
              maxInterval: 1,
              jitter: 0,
            },
          },
        },
      );
      await api.settle({ maxAdvance: 60_000 });
      await caughtUp(api.store, 'crm');

      const outlets = await api.request('GET', '/v1/outlets', { as: 'viewer' });
      expect(outlets.status).toBe(200);
      expect(outlets.json.items).toEqual([
        expect.objectContaining({ name: 'crm', delivered: 0, deadLetters: 2 }),
      ]);
      const letters = await api.request('GET', '/v1/outlets/crm/dead-letters?limit=1', {
        as: 'viewer',
      });
      expect(letters.status).toBe(200);
      const next = await api.request(
        'GET',
        `/v1/outlets/crm/dead-letters?cursor=${encodeURIComponent(String(letters.json.nextCursor))}`,
        { as: 'viewer' },
      );
      expect(next.json.nextCursor).toBeNull();
      type Letter = { eventId: string; type: string; lastError: string };
      const both = [...(letters.json.items as Letter[]), ...(next.json.items as Letter[])];
      expect(both.map((l) => l.type).sort()).toEqual(['JourneyStarted', 'StageSetupCompleted']);
      expect(new Set(both.map((l) => l.lastError))).toEqual(
        new Set(['crm is down for maintenance']),
      );
      const first = both.find((l) => l.type === 'JourneyStarted');
      const second = both.find((l) => l.type === 'StageSetupCompleted')?.eventId ?? '';

      expect(
        (await api.request('POST', '/v1/outlets/crm/dead-letters/replay', { as: 'viewer' })).status,
      ).toBe(403);
      expect(
        (await api.request('POST', '/v1/outlets/nope/dead-letters/replay', { as: 'operator' }))
          .status,
      ).toBe(404);
      expect(
        (await api.request('GET', '/v1/outlets/crm/dead-letters?cursor=bogus', { as: 'viewer' }))
          .status,
      ).toBe(400);
      expect(
        (await api.request('DELETE', `/v1/outlets/crm/dead-letters/${second}`, { as: 'operator' }))
          .status,
      ).toBe(204);
      expect(
        (await api.request('DELETE', `/v1/outlets/crm/dead-letters/${second}`, { as: 'operator' }))
          .status,
      ).toBe(404);

      accept = true;
      const replay = await api.request('POST', '/v1/outlets/crm/dead-letters/replay', {
        as: 'operator',
        body: { eventId: first?.eventId },
      });
      expect(replay.status).toBe(202);
      expect(replay.json).toEqual({ requested: 1 });
      await expect.poll(() => api.store.countDeadLetters('crm'), { timeout: 10_000 }).toBe(0);
    });
  });
});
