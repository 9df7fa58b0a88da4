import { expect, it } from 'vitest';
import { forEachBackend } from '../support/backends.js';

/** The SQLite owner's start: the leases of a dead predecessor are given back at once. */
forEachBackend((backend) => {
  it('gives back every lease, whoever holds it, and nothing else', async () => {
    const { store } = await backend.freshDatabase();
    const now = backend.clock.now();
    await store.enqueue([
      { kind: 'reaction', key: 'a', payload: {}, dueAt: now },
      { kind: 'reaction', key: 'b', payload: {}, dueAt: now },
      { kind: 'recheck', key: 'later', payload: {}, dueAt: '2999-01-01T00:00:00.000Z' },
    ]);
    const held = await store.claim({ owner: 'dead', limit: 10, leaseFor: 3_600_000, now });
    expect(held).toHaveLength(2);
    expect(await store.claim({ owner: 'next', limit: 10, leaseFor: 1_000, now })).toHaveLength(0);

    expect(await store.releaseAllLeases()).toBe(2);
    const taken = await store.claim({ owner: 'next', limit: 10, leaseFor: 1_000, now });
    expect(taken.map((item) => item.key).sort()).toEqual(['a', 'b']);
    expect(await store.countQueued()).toBe(3);
  });
});
