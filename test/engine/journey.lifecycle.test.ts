import { expect, it } from 'vitest';
import { DomainError } from '../../src/domain/index.js';
import { forEachBackend } from '../support/backends.js';
import { startTestEngine } from '../support/engine-harness.js';

const admin = { actor: 'alice' };

forEachBackend((backend) => {
  it('takes a journey from sandbox to completed with an approval and passing metrics', async () => {
    const { store } = await backend.freshDatabase();
    const { clock } = backend;
    const { engine, agents, settle } = await startTestEngine(store, clock);
    const started = await engine.orchestrator.startJourney({ clientId: 'acme-1' }, admin);
    await settle();

    // Sandbox setup done; the gate waits for the client's demo approval.
    let record = await store.findJourney(started.journeyId);
    expect(record?.stage).toBe('sandbox');
    expect(record?.state.setups.sandbox?.status).toBe('completed');
    const waiting = record?.state.lastEvaluation?.results.find(
      (r) => r.criterionId === 'demo_approved',
    );
    expect(waiting?.outcome).not.toBe('passed');
    expect(agents.callsOf('create_tenant')).toHaveLength(1);

    await engine.orchestrator.approve(
      'acme-1',
      { criterionId: 'demo_approved', role: 'client' },
      { actor: 'carol' },
    );
    await settle();
    record = await store.findJourney(started.journeyId);
    // Approval -> gate passes -> pilot -> pilot setup -> pilot gate passes -> production -> completed.
    expect(record?.stage).toBe('completed');
    expect(record?.state.stageHistory.map((t) => `${t.fromStage}->${t.toStage}`)).toEqual([
      'sandbox->pilot',
      'pilot->production',
      'production->completed',
    ]);

    // Task outputs flowed to dependents' inputs.
    const baseline = agents.callsOf('capture_search_baseline')[0];
    expect(baseline?.input).toEqual({
      tenantId: 'acme-1-sandbox',
      datasetId: 'ds-acme-1-sandbox-sandbox',
    });
    const events = await store.readStream(started.journeyId);
    expect(events.map((e) => e.type)).toContain('ExitCriteriaEvaluated');
    // Timers left behind (deadlines, the sandbox re-check) lapse without effect.
    await settle({ maxAdvance: 60 * 60_000 });
    expect(await store.countQueued()).toBe(0);
    expect((await store.readStream(started.journeyId)).length).toBe(events.length);
  });

  it('retries a task that fails twice, then goes on', async () => {
    const { store } = await backend.freshDatabase();
    const { clock } = backend;
    const { engine, agents, settle } = await startTestEngine(store, clock);
    agents.fail('install_connectors', 2);
    const started = await engine.orchestrator.startJourney({ clientId: 'acme-2' }, admin);
    await settle({ maxAdvance: 60_000 });
    const unit = await store.findUnitOfWork(started.setups.sandbox?.workId ?? '');
    expect(unit?.status).toBe('completed');
    const task = unit?.state.tasks.find((t) => t.taskId === 'install_connectors');
    expect(task?.attempts).toBe(3);
    expect(agents.callsOf('install_connectors').map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(new Set(agents.callsOf('install_connectors').map((c) => c.messageId)).size).toBe(3);
  });

  it('refuses a manual promotion with the failing criteria listed', async () => {
    const { store } = await backend.freshDatabase();
    const { clock } = backend;
    const { engine, agents, settle } = await startTestEngine(store, clock);
    agents.setMetric('measure_search_quality', 70);
    const started = await engine.orchestrator.startJourney({ clientId: 'acme-3' }, admin);
    await settle();
    const refusal = await engine.orchestrator
      .executeStageTransition('acme-3', { to: 'pilot' }, admin)
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).code).toBe('EXIT_CRITERIA_NOT_MET');
    const failing = (refusal as DomainError).details.results as { criterionId: string }[];
    expect(failing.map((r) => r.criterionId).sort()).toEqual(['demo_approved', 'search_quality']);
    // The refused evaluation is kept as evidence.
    const events = await store.readStream(started.journeyId);
    expect(events.filter((e) => e.type === 'ExitCriteriaEvaluated').at(-1)?.event).toMatchObject({
      trigger: 'promotion',
    });
  });

  it('re-checks a failing gate every recheckInterval and promotes once it passes', async () => {
    const { store } = await backend.freshDatabase();
    const { clock } = backend;
    const { engine, agents, settle } = await startTestEngine(store, clock);
    agents.setMetric('measure_search_quality', 75);
    const { journeyId } = await engine.orchestrator.startJourney({ clientId: 'acme-4' }, admin);
    await settle();
    await engine.orchestrator.approve(
      'acme-4',
      { criterionId: 'demo_approved', role: 'client' },
      admin,
    );
    await settle();
    expect((await store.findJourney(journeyId))?.stage).toBe('sandbox');

    // Two re-checks (5 min apart) still fail; the quality is fixed; the next one promotes.
    await settle({ maxAdvance: 10 * 60_000 });
    agents.setMetric('measure_search_quality', 88);
    await settle({ maxAdvance: 5 * 60_000 });
    const record = await store.findJourney(journeyId);
    expect(record?.stage).not.toBe('sandbox');
    const triggers = (await store.readStream(journeyId)).flatMap((e) =>
      e.event.type === 'ExitCriteriaEvaluated' && e.event.stage === 'sandbox'
        ? [e.event.trigger]
        : [],
    );
    expect(triggers).toEqual(['setup_completed', 'approval', 'recheck', 'recheck', 'recheck']);
  });
});
