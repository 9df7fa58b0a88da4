import { expect, it } from 'vitest';
import { journeyStatus, MINUTE } from '../../src/domain/index.js';
import { forEachBackend } from '../support/backends.js';
import { playbookWith, startTestEngine } from '../support/engine-harness.js';

const otto = { actor: 'otto' };
const approveDemo = { criterionId: 'demo_approved', role: 'client' } as const;

forEachBackend((backend) => {
  async function blockedOnSearchQuality(clientId: string) {
    const { store } = await backend.freshDatabase();
    const { clock } = backend;
    const harness = await startTestEngine(store, clock);
    harness.agents.failMetric('measure_search_quality');
    const started = await harness.engine.orchestrator.startJourney({ clientId }, otto);
    await harness.settle();
    await harness.engine.orchestrator.approve(clientId, approveDemo, otto);
    await harness.settle();
    const record = await store.findJourney(started.journeyId);
    if (record === null) {
      throw new Error('journey not found');
    }
    return { ...harness, store, journeyId: started.journeyId, state: record.state };
  }

  it('a source that errs makes the gate wait, blocked on that criterion; accepted, it promotes', async () => {
    const { engine, settle, store, journeyId, state, agents } =
      await blockedOnSearchQuality('inc-1');
    expect(state.stage).toBe('sandbox');
    const status = journeyStatus(state);
    expect(status).toMatchObject({
      kind: 'blocked',
      reasons: [{ kind: 'criterion', criterionId: 'search_quality', outcome: 'inconclusive' }],
    });
    expect(status.kind === 'blocked' && status.summary).toMatch(
      /search_quality inconclusive: source error: .*unavailable.*accept or reject it/,
    );
    // It waits: re-checks come and go, and nothing rolls back or promotes.
    await settle({ maxAdvance: 20 * MINUTE });
    expect((await store.findJourney(journeyId))?.state.stage).toBe('sandbox');

    await engine.orchestrator.resolveInconclusive(
      'inc-1',
      { criterionId: 'search_quality', decision: 'accept', reason: 'known outage, 91% last week' },
      otto,
    );
    await settle();
    const after = await store.findJourney(journeyId);
    expect(after?.state.stage).toBe('pilot');
    const events = await store.readStream(journeyId);
    const resolved = events.find((e) => e.event.type === 'InconclusiveResolved');
    expect(resolved?.event).toMatchObject({
      stage: 'sandbox',
      criterionId: 'search_quality',
      decision: 'accept',
      reason: 'known outage, 91% last week',
      decidedBy: 'otto',
    });
    const promotion = events.find((e) => e.event.type === 'StagePromoted')?.event;
    expect(promotion?.type === 'StagePromoted' && promotion.exitCriteriaResults).toContainEqual(
      expect.objectContaining({
        criterionId: 'search_quality',
        outcome: 'passed',
        resolution: expect.objectContaining({ decision: 'accept', decidedBy: 'otto' }) as unknown,
      }),
    );
    // The decision belonged to the sandbox visit: pilot's inconclusive search quality waits again.
    await settle({ maxAdvance: 10 * MINUTE });
    const inPilot = await store.findJourney(journeyId);
    expect(inPilot?.state.stage).toBe('pilot');
    expect(inPilot?.state.resolutions).toEqual([]);
    agents.healMetric('measure_search_quality');
    await engine.stop();
  });

  it('rejected, the journey stays, failing; a later definite pass wins over the rejection', async () => {
    const { engine, settle, store, journeyId, agents } = await blockedOnSearchQuality('inc-2');
    await engine.orchestrator.resolveInconclusive(
      'inc-2',
      { criterionId: 'search_quality', decision: 'reject', reason: 'cannot promote blind' },
      otto,
    );
    await settle();
    const rejected = await store.findJourney(journeyId);
    expect(rejected?.state.stage).toBe('sandbox');
    expect(rejected?.state.lastEvaluation?.results).toContainEqual(
      expect.objectContaining({ criterionId: 'search_quality', outcome: 'failed' }),
    );
    expect(journeyStatus(rejected?.state ?? { status: 'none' })).toMatchObject({
      kind: 'blocked',
      reasons: [{ criterionId: 'search_quality', outcome: 'failed' }],
    });
    // No rollback, no promotion while it stays rejected.
    await settle({ maxAdvance: 20 * MINUTE });
    expect((await store.findJourney(journeyId))?.state.stage).toBe('sandbox');

    agents.healMetric('measure_search_quality');
    await settle({ maxAdvance: 10 * MINUTE });
    const events = await store.readStream(journeyId);
    const promotion = events.find((e) => e.event.type === 'StagePromoted')?.event;
    expect(promotion).toMatchObject({ fromStage: 'sandbox', toStage: 'pilot' });
    const quality = (promotion?.type === 'StagePromoted' ? promotion.exitCriteriaResults : []).find(
      (r) => r.criterionId === 'search_quality',
    );
    expect(quality).toMatchObject({ outcome: 'passed' });
    expect(quality?.resolution).toBeUndefined();
    await engine.stop();
  });

  it('without autoPromote an accepted criterion makes the journey ready to promote', async () => {
    const { store } = await backend.freshDatabase();
    const { clock } = backend;
    const playbook = await playbookWith('sandbox', { autoPromote: false });
    const { engine, agents, settle } = await startTestEngine(store, clock, { playbook });
    agents.setMetric('measure_search_quality', null);
    const started = await engine.orchestrator.startJourney({ clientId: 'inc-3' }, otto);
    await settle();
    await engine.orchestrator.approve('inc-3', approveDemo, otto);
    await settle();
    await engine.orchestrator.resolveInconclusive(
      'inc-3',
      { criterionId: 'search_quality', decision: 'accept', reason: 'dashboard shows 90%' },
      otto,
    );
    await settle();
    const record = await store.findJourney(started.journeyId);
    expect(journeyStatus(record?.state ?? { status: 'none' })).toMatchObject({
      kind: 'ready_to_promote',
      to: 'pilot',
    });
    const promoted = await engine.orchestrator.executeStageTransition('inc-3', {}, otto);
    expect(promoted.promoted).toBe(true);
    await engine.stop();
  });
});
