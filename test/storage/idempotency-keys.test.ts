import { expect, it } from 'vitest';
import type { IdempotentRequest, IdempotentResponse } from '../../src/application/ports.js';
import { addMillis } from '../../src/domain/index.js';
import { forEachBackend } from '../support/backends.js';

/** The idempotency_keys table through the store: claim, answer, replay, take over, expire. */

const T0 = '2026-03-01T10:00:00.000Z';
const request = (key: string, overrides: Partial<IdempotentRequest> = {}): IdempotentRequest => ({
  actor: 'ada',
  key,
  method: 'POST',
  path: '/v1/journeys',
  requestHash: 'h1',
  ...overrides,
});
const answer: IdempotentResponse = {
  status: 201,
  headers: { 'content-type': 'application/json; charset=utf-8', location: '/v1/journeys/a' },
  body: '{"b":1,"a":[2]}',
};
/** Keys last 24 h; an in-flight request is abandoned after 60 s. */
const at = (now: string) => ({
  now,
  expiredBefore: addMillis(now, -24 * 3_600_000),
  abandonedBefore: addMillis(now, -60_000),
});

forEachBackend((backend) => {
  it('claims a key once, replays its answer byte for byte, refuses it for another request', async () => {
    const { store } = await backend.freshDatabase();
    const claim = await store.claimIdempotencyKey(request('k'), at(T0));
    expect(claim).toEqual({ kind: 'claimed', claimedAt: T0 });
    expect(await store.claimIdempotencyKey(request('k'), at(addMillis(T0, 5)))).toEqual({
      kind: 'in_flight',
      since: T0,
    });
    expect(await store.completeIdempotencyKey('ada', 'k', T0, answer, addMillis(T0, 9))).toBe(true);
    expect(await store.claimIdempotencyKey(request('k'), at(addMillis(T0, 10)))).toEqual({
      kind: 'replay',
      response: answer,
    });
    for (const other of [{ requestHash: 'h2' }, { path: '/v1/journeys/a/cancel' }]) {
      expect(await store.claimIdempotencyKey(request('k', other), at(T0))).toEqual({
        kind: 'mismatch',
        method: 'POST',
        path: '/v1/journeys',
      });
    }
    // Another caller's key of the same name is its own.
    expect(await store.claimIdempotencyKey(request('k', { actor: 'otto' }), at(T0))).toEqual({
      kind: 'claimed',
      claimedAt: T0,
    });
  });

  it('takes over a request abandoned in flight; the dead claim can no longer answer', async () => {
    const { store } = await backend.freshDatabase();
    await store.claimIdempotencyKey(request('dead'), at(T0));
    expect((await store.claimIdempotencyKey(request('dead'), at(addMillis(T0, 60_000)))).kind).toBe(
      'in_flight',
    );
    const later = addMillis(T0, 60_001);
    expect(
      await store.claimIdempotencyKey(request('dead', { requestHash: 'h2' }), at(later)),
    ).toEqual({ kind: 'claimed', claimedAt: later });
    expect(await store.completeIdempotencyKey('ada', 'dead', T0, answer, later)).toBe(false);
    await store.releaseIdempotencyKey('ada', 'dead', T0);
    expect(
      (await store.claimIdempotencyKey(request('dead', { requestHash: 'h2' }), at(later))).kind,
    ).toBe('in_flight');
    // A completed answer is never taken over as abandoned, only once it expires.
    expect(await store.completeIdempotencyKey('ada', 'dead', later, answer, later)).toBe(true);
    expect(
      (
        await store.claimIdempotencyKey(
          request('dead', { requestHash: 'h2' }),
          at(addMillis(later, 3_600_000)),
        )
      ).kind,
    ).toBe('replay');
  });

  it('releases a claim so the request may run again, and forgets expired keys', async () => {
    const { store } = await backend.freshDatabase();
    await store.claimIdempotencyKey(request('failed'), at(T0));
    await store.releaseIdempotencyKey('ada', 'failed', T0);
    expect((await store.claimIdempotencyKey(request('failed'), at(T0))).kind).toBe('claimed');
    await store.completeIdempotencyKey('ada', 'failed', T0, answer, T0);

    await store.claimIdempotencyKey(request('old'), at(T0));
    await store.completeIdempotencyKey('ada', 'old', T0, answer, T0);
    const dayLater = addMillis(T0, 24 * 3_600_000 + 1);
    // Expired: claimed afresh even for another body, without waiting for the sweep.
    expect(
      await store.claimIdempotencyKey(request('old', { requestHash: 'h2' }), at(dayLater)),
    ).toEqual({ kind: 'claimed', claimedAt: dayLater });
    expect(await store.removeExpiredIdempotencyKeys(addMillis(dayLater, -24 * 3_600_000))).toBe(1);
    expect((await store.claimIdempotencyKey(request('failed'), at(dayLater))).kind).toBe('claimed');
    expect(
      (await store.claimIdempotencyKey(request('old', { requestHash: 'h2' }), at(dayLater))).kind,
    ).toBe('in_flight');
  });

  it('lets exactly one of many concurrent claims of one key win', async () => {
    const { store, url } = await backend.freshDatabase();
    const second = await backend.open({}, url);
    const claims = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 === 0 ? store : second).claimIdempotencyKey(request('race'), at(T0)),
      ),
    );
    expect(claims.filter((claim) => claim.kind === 'claimed')).toHaveLength(1);
    expect(claims.filter((claim) => claim.kind === 'in_flight')).toHaveLength(11);
  });
});
