import { expect, it } from 'vitest';
import { handleWorkItem } from '../../src/application/engine/handle-work.js';
import type { Store, WorkItem } from '../../src/application/ports.js';
import { forEachBackend } from '../support/backends.js';
import type { StepClock } from '../support/clock.js';
import { playbookWith, startTestEngine, testPlaybook } from '../support/engine-harness.js';

const HOUR = 60 * 60_000;
const admin = { actor: 'alice' };

/** The default playbook without the demo approval: a journey runs to the end on its own. */
async function unattendedPlaybook() {
  const base = await testPlaybook();
  return playbookWith('sandbox', {
    exitCriteria: base.stages.sandbox.exitCriteria.filter((c) => c.kind !== 'approval'),
  });
}

async function eventCounts(store: Store, journeyId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const streams = new Set([journeyId]);
  for (const { event } of await store.readStream(journeyId)) {
    for (const id of [
      'setupWorkId' in event ? event.setupWorkId : undefined,
      'rollbackWorkId' in event ? event.rollbackWorkId : undefined,
    ]) {
      if (id !== undefined && id !== null) {
        streams.add(id);
      }
    }
  }
  for (const stream of streams) {
    for (const { type } of await store.readStream(stream)) {
      counts[type] = (counts[type] ?? 0) + 1;
    }
  }
  return counts;
}

/**
 * Every item is run twice at once: by worker A, whose lease then expires, and by worker B, who
 * claimed it after the expiry (what happens when a worker stalls past its lease).
 */
async function runEveryItemTwice(
  store: Store,
  clock: StepClock,
  run: (item: WorkItem) => Promise<void>,
): Promise<{ doubled: number }> {
  let doubled = 0;
  const until = Date.parse(clock.now()) + 2 * HOUR;
  for (let round = 0; round < 2_000; round += 1) {
    const [first] = await store.claim({ owner: 'A', limit: 1, leaseFor: 1_000, now: clock.now() });
    if (first === undefined) {
      const next = await store.nextDueAt();
      if (next === null || Date.parse(next) > until) {
        return { doubled };
      }
      clock.set(next);
      continue;
    }
    clock.advance(1_001);
    const claimed = await store.claim({
      owner: 'B',
      limit: 1_000,
      leaseFor: HOUR,
      now: clock.now(),
    });
    const second = claimed.find((item) => item.id === first.id);
    for (const other of claimed.filter((item) => item.id !== first.id)) {
      await store.release(other.id, 'B', other.dueAt);
    }
    expect(second?.attempts).toBe(first.attempts + 1);
    const results = await Promise.allSettled([run(first), run(second ?? first)]);
    // Exactly one run finishes the item; the other loses its lease (or its race) and writes nothing.
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    doubled += 1;
  }
  throw new Error('the journey did not settle');
}

forEachBackend((backend) => {
  it('reaches the same end, with the same events, when every work item runs twice at once', async () => {
    const playbook = await unattendedPlaybook();
    const { clock } = backend;

    const once = await backend.freshDatabase();
    const normal = await startTestEngine(once.store, clock, { playbook });
    const reference = await normal.engine.orchestrator.startJourney({ clientId: 'twice' }, admin);
    await normal.settle({ maxAdvance: 2 * HOUR });
    expect((await once.store.findJourney(reference.journeyId))?.stage).toBe('completed');

    const twice = await backend.freshDatabase();
    const doubled = await startTestEngine(twice.store, clock, { playbook });
    const journey = await doubled.engine.orchestrator.startJourney({ clientId: 'twice' }, admin);
    const signal = new AbortController().signal;
    const { doubled: items } = await runEveryItemTwice(twice.store, clock, (item) =>
      handleWorkItem(doubled.engine.context, item, signal),
    );
    expect(items).toBeGreaterThan(20);
    expect((await twice.store.findJourney(journey.journeyId))?.stage).toBe('completed');
    expect(await eventCounts(twice.store, journey.journeyId)).toEqual(
      await eventCounts(once.store, reference.journeyId),
    );
    expect(await twice.store.countQueued()).toBe(0);
  });
});
