import { expect, it } from 'vitest';
import { addMillis, DAY, DomainError, HOUR } from '../../src/domain/index.js';
import { forEachBackend } from '../support/backends.js';
import { playbookWith, startTestEngine } from '../support/engine-harness.js';

const otto = { actor: 'otto', role: 'operator' } as const;
const ada = { actor: 'ada', role: 'admin' } as const;

async function refusalOf(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

forEachBackend((backend) => {
  it('a paused journey runs nothing, across a restart; resumed, it goes on', async () => {
    const { store, url } = await backend.freshDatabase();
    const { clock } = backend;
    const first = await startTestEngine(store, clock);
    const started = await first.engine.orchestrator.startJourney({ clientId: 'p-1' }, otto);
    await first.engine.orchestrator.pauseJourney('p-1', { reason: 'client asked to wait' }, otto);
    await first.settle({ maxAdvance: HOUR });
    expect(first.agents.calls).toHaveLength(0);
    expect(await store.findUnitOfWork(started.setups.sandbox?.workId ?? '')).toBeNull();
    const record = await store.findJourney(started.journeyId);
    expect(record?.state.pause).toMatchObject({ pausedBy: 'otto', reason: 'client asked to wait' });
    await first.engine.stop();

    // A new engine on a store opened again: still paused, still nothing runs.
    const reopened = await backend.open(undefined, url);
    const second = await startTestEngine(reopened, clock);
    await second.settle({ maxAdvance: HOUR });
    expect(second.agents.calls).toHaveLength(0);
    const refusal = await refusalOf(
      second.engine.orchestrator.executeStageTransition('p-1', {}, ada),
    );
    expect(refusal.code).toBe('JOURNEY_PAUSED');

    await second.engine.orchestrator.resumeJourney('p-1', { reason: 'go' }, otto);
    await second.settle();
    const after = await reopened.findJourney(started.journeyId);
    expect(after?.state.pause).toBeNull();
    expect(after?.state.setups.sandbox?.status).toBe('completed');
    expect(second.agents.callsOf('create_tenant')).toHaveLength(1);
    const types = (await reopened.readStream(started.journeyId)).map((e) => e.type);
    expect(types).toContain('JourneyPaused');
    expect(types).toContain('JourneyResumed');
    await second.engine.stop();
  });

  it('a pause holds re-checks and automatic promotion; the resume lets them run', async () => {
    const { store } = await backend.freshDatabase();
    const { clock } = backend;
    const { engine, agents, settle } = await startTestEngine(store, clock);
    agents.setMetric('measure_search_quality', 70);
    const started = await engine.orchestrator.startJourney({ clientId: 'p-2' }, otto);
    await settle();
    await engine.orchestrator.approve(
      'p-2',
      { criterionId: 'demo_approved', role: 'client' },
      { actor: 'carol' },
    );
    await settle();
    await engine.orchestrator.pauseJourney('p-2', { reason: 'hold' }, otto);
    agents.setMetric('measure_search_quality', 95);
    const evaluations = async () =>
      (await store.readStream(started.journeyId)).filter((e) => e.type === 'ExitCriteriaEvaluated')
        .length;
    const before = await evaluations();
    await settle({ maxAdvance: 2 * HOUR });
    expect(await evaluations()).toBe(before);
    expect((await store.findJourney(started.journeyId))?.stage).toBe('sandbox');

    await engine.orchestrator.resumeJourney('p-2', {}, otto);
    await settle();
    // The parked re-check ran at once and promoted; the later stages pass and complete.
    expect((await store.findJourney(started.journeyId))?.stage).toBe('completed');
    expect(await evaluations()).toBeGreaterThan(before);
  });

  it('soak time: a manual promotion is refused with the time left; the engine promotes when it ends', async () => {
    const { store } = await backend.freshDatabase();
    const { clock } = backend;
    const playbook = await playbookWith('sandbox', { soakTime: 3 * DAY });
    const { engine, settle } = await startTestEngine(store, clock, { playbook });
    const started = await engine.orchestrator.startJourney({ clientId: 's-1' }, otto);
    await settle();
    await engine.orchestrator.approve(
      's-1',
      { criterionId: 'demo_approved', role: 'client' },
      { actor: 'carol' },
    );
    await settle();
    expect((await store.findJourney(started.journeyId))?.stage).toBe('sandbox');
    const refusal = await refusalOf(engine.orchestrator.executeStageTransition('s-1', {}, ada));
    expect(refusal.code).toBe('SOAK_TIME_NOT_ELAPSED');
    expect(refusal.details.endsAt).toBe(addMillis(started.startedAt, 3 * DAY));

    clock.set(addMillis(started.startedAt, 3 * DAY - HOUR));
    await settle();
    expect((await store.findJourney(started.journeyId))?.stage).toBe('sandbox');
    await settle({ maxAdvance: 2 * HOUR });
    const record = await store.findJourney(started.journeyId);
    expect(record?.state.stageHistory[0]).toMatchObject({ kind: 'promotion', toStage: 'pilot' });
    expect(record?.state.stageHistory[0]?.transitionedAt).toBe(
      addMillis(started.startedAt, 3 * DAY),
    );
  });

  it('a freeze refuses promotions until it ends; an admin override is recorded', async () => {
    const { store } = await backend.freshDatabase();
    const { clock } = backend;
    const { engine, settle } = await startTestEngine(store, clock);
    const now = clock.now();
    await engine.orchestrator.controls.addFreeze(
      {
        freeze: {
          id: 'incident-window',
          description: 'Quarter close',
          from: now,
          to: addMillis(now, 2 * HOUR),
        },
        reason: 'quarter close',
      },
      ada,
    );
    const started = await engine.orchestrator.startJourney({ clientId: 'f-1' }, otto);
    const other = await engine.orchestrator.startJourney({ clientId: 'f-2' }, otto);
    await settle();
    for (const client of ['f-1', 'f-2']) {
      await engine.orchestrator.approve(
        client,
        { criterionId: 'demo_approved', role: 'client' },
        { actor: 'carol' },
      );
    }
    await settle();
    expect((await store.findJourney(started.journeyId))?.stage).toBe('sandbox');
    const refusal = await refusalOf(engine.orchestrator.executeStageTransition('f-1', {}, otto));
    expect(refusal.code).toBe('FREEZE_IN_FORCE');
    expect(refusal.message).toContain('incident-window');
    expect(refusal.details.until).toBe(addMillis(now, 2 * HOUR));

    // Only an admin may override, whoever calls the use case: an operator, or no role at all.
    for (const by of [otto, { actor: 'script' }]) {
      const refused = await refusalOf(
        engine.orchestrator.executeStageTransition(
          'f-2',
          { overrideFreeze: { reason: 'not mine to decide' } },
          by,
        ),
      );
      expect(refused.code).toBe('FREEZE_OVERRIDE_NOT_ALLOWED');
      expect(refused.message).toContain(by.actor);
    }
    expect((await store.findJourney(other.journeyId))?.stage).toBe('sandbox');

    // An admin overrides it for f-2; the promotion says who, why and which freeze.
    await engine.orchestrator.executeStageTransition(
      'f-2',
      { overrideFreeze: { reason: 'hotfix for the client' } },
      ada,
    );
    const promoted = (await store.readStream(other.journeyId)).find(
      (e) => e.type === 'StagePromoted',
    );
    expect(promoted?.event).toMatchObject({
      promotedBy: 'ada',
      freezeOverride: {
        reason: 'hotfix for the client',
        overriddenBy: 'ada',
        freezes: [{ freezeId: 'incident-window', scope: 'global' }],
      },
    });

    // When the freeze ends, f-1's held promotion goes ahead by itself.
    await settle({ maxAdvance: 2 * HOUR });
    expect((await store.findJourney(started.journeyId))?.state.stageHistory[0]).toMatchObject({
      toStage: 'pilot',
      transitionedAt: addMillis(now, 2 * HOUR),
    });
  });

  it('a stored freeze that no longer validates holds promotions and is reported; removed, they go on', async () => {
    const { store } = await backend.freshDatabase();
    const { clock } = backend;
    const warnings: { message: string; fields?: Record<string, unknown> }[] = [];
    const log = {
      info: () => undefined,
      warn: (message: string, fields?: Record<string, unknown>) => {
        warnings.push({ message, ...(fields === undefined ? {} : { fields }) });
      },
    };
    const { engine, settle } = await startTestEngine(store, clock, { log });
    // Written by hand (or by a release with other rules): no time zone of this world.
    await store.addGlobalFreeze({
      freezeId: 'broken',
      definition: { id: 'broken', schedule: '0 18 * * 5', duration: '60h', timezone: 'Mars/Base' },
      createdBy: 'ops',
      reason: null,
      createdAt: clock.now(),
    });
    const started = await engine.orchestrator.startJourney({ clientId: 'bf-1' }, otto);
    await settle();
    await engine.orchestrator.approve(
      'bf-1',
      { criterionId: 'demo_approved', role: 'client' },
      { actor: 'carol' },
    );
    await settle({ maxAdvance: HOUR });
    expect((await store.findJourney(started.journeyId))?.stage).toBe('sandbox');
    const refusal = await refusalOf(engine.orchestrator.executeStageTransition('bf-1', {}, ada));
    expect(refusal.code).toBe('FREEZE_IN_FORCE');
    expect(refusal.message).toContain('"broken"');
    expect(refusal.message).toContain('invalid');
    const warned = warnings.find(
      (w) => w.message === 'global freeze is invalid: held in force until removed',
    );
    expect(warned?.fields?.freezeId).toBe('broken');
    const view = await engine.orchestrator.controls.view();
    expect(view.freezes).toHaveLength(1);
    expect(view.freezes[0]).toMatchObject({
      freezeId: 'broken',
      status: 'invalid',
      window: null,
      problems: [{ path: 'timezone' }],
      activeNow: { freezeId: 'broken', scope: 'global' },
    });

    // Removed: the held automatic promotion goes on at its next re-check.
    await engine.orchestrator.controls.removeFreeze('broken', { reason: 'fix it' }, ada);
    await settle({ maxAdvance: 10 * 60_000 });
    expect((await store.findJourney(started.journeyId))?.stage).toBe('completed');
  });

  it('stop the line holds across two engines on one database, and is recorded', async () => {
    const { store, url } = await backend.freshDatabase();
    const { clock } = backend;
    const a = await startTestEngine(store, clock);
    const otherStore = await backend.open(undefined, url);
    const b = await startTestEngine(otherStore, clock);
    await b.engine.orchestrator.startJourney({ clientId: 'l-1' }, otto);
    await b.settle();
    await b.engine.orchestrator.approve(
      'l-1',
      { criterionId: 'demo_approved', role: 'operator' },
      otto,
    );
    await a.engine.orchestrator.controls.pausePromotions({ reason: 'incident 7' }, ada);
    await b.settle({ maxAdvance: HOUR });
    expect((await store.findJourneyByClientId('l-1'))?.stage).toBe('sandbox');
    const refusal = await refusalOf(b.engine.orchestrator.executeStageTransition('l-1', {}, ada));
    expect(refusal.code).toBe('PROMOTIONS_PAUSED');
    expect(refusal.message).toContain('ada');
    expect(refusal.message).toContain('incident 7');
    const again = await refusalOf(
      b.engine.orchestrator.controls.pausePromotions({ reason: 'twice' }, otto),
    );
    expect(again.code).toBe('PROMOTIONS_ALREADY_PAUSED');

    const view = await b.engine.orchestrator.controls.resumePromotions({ reason: 'fixed' }, ada);
    expect(view.promotions.paused).toBe(false);
    expect(view.changes.map((c) => `${c.action} by ${c.actor}: ${c.reason}`)).toEqual([
      'promotions_resumed by ada: fixed',
      'promotions_paused by ada: incident 7',
    ]);
    // The held automatic promotion runs at its next re-check.
    await b.settle({ maxAdvance: 10 * 60_000 });
    expect((await store.findJourneyByClientId('l-1'))?.stage).toBe('completed');
    await a.engine.stop();
    await b.engine.stop();
  });
});
