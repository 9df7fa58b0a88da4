import { expect, it } from 'vitest';
import { DomainError } from '../../src/domain/index.js';
import { forEachBackend } from '../support/backends.js';
import { playbookWith, startTestEngine } from '../support/engine-harness.js';

const admin = { actor: 'alice' };
const HOUR = 60 * 60_000;

forEachBackend((backend) => {
  it('rolls back from pilot when a task exhausts its retries, tears down with the snapshot, and promotes again later', async () => {
    const { store } = await backend.freshDatabase();
    const { clock } = backend;
    const { engine, agents, settle } = await startTestEngine(store, clock);
    agents.fail('invite_pilot_users');
    const { journeyId } = await engine.orchestrator.startJourney({ clientId: 'beta-1' }, admin);
    await settle();
    await engine.orchestrator.approve(
      'beta-1',
      { criterionId: 'demo_approved', role: 'client' },
      admin,
    );
    await settle({ maxAdvance: HOUR });

    // 1 attempt + maxRetries 3, then the unit fails and the playbook rolls the pilot back.
    expect(agents.callsOf('invite_pilot_users').map((c) => c.attempt)).toEqual([1, 2, 3, 4]);
    let record = await store.findJourney(journeyId);
    expect(record?.stage).toBe('sandbox');
    const kinds = record?.state.stageHistory.map((t) => `${t.kind}:${t.fromStage}->${t.toStage}`);
    expect(kinds).toEqual([
      'promotion:sandbox->pilot',
      'rollback_started:pilot->rollback',
      'rollback_completed:rollback->sandbox',
    ]);
    const types = (await store.readStream(journeyId)).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'StageSetupFailed',
        'RollbackInitiated',
        'SnapshotTaken',
        'RollbackCompleted',
      ]),
    );
    // The teardown got the pilot dataset from the snapshot.
    expect(agents.callsOf('teardown_dataset')[0]?.input).toEqual({
      datasetId: 'ds-beta-1-pilot-pilot',
    });
    expect(agents.callsOf('delete_tenant')[0]?.input).toEqual({ tenantId: 'beta-1-pilot' });

    // Later: the agent is fixed, the client approves again, and the journey goes on.
    agents.heal('invite_pilot_users');
    await engine.orchestrator.approve(
      'beta-1',
      { criterionId: 'demo_approved', role: 'client' },
      admin,
    );
    await settle({ maxAdvance: HOUR });
    record = await store.findJourney(journeyId);
    expect(record?.stage).toBe('completed');
  });

  it('lets exactly one of a concurrent promotion and rollback win', async () => {
    const { store } = await backend.freshDatabase();
    const { clock } = backend;
    const playbook = await playbookWith('pilot', { autoPromote: false });
    const { engine, settle } = await startTestEngine(store, clock, { playbook });
    for (let round = 0; round < 6; round += 1) {
      const clientId = `race-${round}`;
      const { journeyId } = await engine.orchestrator.startJourney({ clientId }, admin);
      await settle();
      await engine.orchestrator.approve(
        clientId,
        { criterionId: 'demo_approved', role: 'client' },
        admin,
      );
      await settle();
      const debug = await store.findJourney(journeyId);
      if (debug?.stage !== 'pilot') {
        console.log(
          JSON.stringify(debug?.state, null, 1),
          await store.countQueued(),
          await store.nextDueAt(),
          clock.now(),
        );
      }
      expect((await store.findJourney(journeyId))?.stage).toBe('pilot');
      const outcomes = await Promise.allSettled([
        engine.orchestrator.executeStageTransition(clientId, { to: 'production' }, admin),
        engine.orchestrator.initiateRollback(clientId, { reason: 'race', to: 'sandbox' }, admin),
      ]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o) => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(DomainError);
      const stage = (await store.findJourney(journeyId))?.stage;
      expect(['production', 'rollback']).toContain(stage);
      await engine.orchestrator.cancelJourney(clientId, { reason: 'done' }, admin);
      await settle();
    }
  });

  it('times out a hanging agent, raises the deadline alert, and resumes after a retry of the failed tasks', async () => {
    const { store } = await backend.freshDatabase();
    const { clock } = backend;
    const { engine, agents, settle } = await startTestEngine(store, clock);
    agents.hang('provision_test_dataset');
    const { journeyId, setups } = await engine.orchestrator.startJourney(
      { clientId: 'gamma-1' },
      admin,
    );
    await settle({ maxAdvance: 3 * HOUR });
    const workId = setups.sandbox?.workId ?? '';
    const unit = await store.findUnitOfWork(workId);
    expect(unit?.status).toBe('failed');
    const task = unit?.state.tasks.find((t) => t.taskId === 'provision_test_dataset');
    expect(task?.execution.status === 'failed' && task.execution.error.code).toBe('TIMEOUT');
    expect(agents.cancelled.map((c) => c.attempt)).toEqual([1, 2, 3, 4]);
    const types = (await store.readStream(journeyId)).map((e) => e.type);
    expect(types.filter((t) => t === 'StageTransitionOverdue')).toHaveLength(1);
    expect(types).toContain('StageSetupFailed');
    // capture_search_baseline depends on the dataset and never started.
    expect(agents.callsOf('capture_search_baseline')).toHaveLength(0);

    agents.heal('provision_test_dataset');
    await engine.orchestrator.retryFailedTasks(workId, admin);
    await settle();
    expect((await store.findUnitOfWork(workId))?.status).toBe('completed');
    expect((await store.findJourney(journeyId))?.state.setups.sandbox?.status).toBe('completed');
  });

  it('cancels a journey: its running attempts are cancelled at the agent', async () => {
    const { store } = await backend.freshDatabase();
    const { clock } = backend;
    const { engine, agents, settle } = await startTestEngine(store, clock);
    agents.hang('install_connectors');
    const { journeyId, setups } = await engine.orchestrator.startJourney(
      { clientId: 'delta-1' },
      admin,
    );
    await settle({ maxAdvance: 5_000 });
    expect(agents.callsOf('install_connectors')).toHaveLength(1);
    await engine.orchestrator.cancelJourney('delta-1', { reason: 'client left' }, admin);
    await settle({ maxAdvance: HOUR });
    expect(agents.cancelled.map((c) => c.taskId)).toContain('install_connectors');
    expect((await store.findUnitOfWork(setups.sandbox?.workId ?? ''))?.status).toBe('cancelled');
    expect((await store.findJourney(journeyId))?.stage).toBe('cancelled');
    expect(await store.countQueued()).toBe(0);
  });

  it('leaves a failed rollback visible in the rollback stage until it is retried', async () => {
    const { store } = await backend.freshDatabase();
    const { clock } = backend;
    const playbook = await playbookWith('pilot', { autoPromote: false });
    const { engine, agents, settle } = await startTestEngine(store, clock, { playbook });
    const { journeyId } = await engine.orchestrator.startJourney({ clientId: 'eps-1' }, admin);
    await settle();
    await engine.orchestrator.approve(
      'eps-1',
      { criterionId: 'demo_approved', role: 'client' },
      admin,
    );
    await settle();
    agents.fail('teardown_dataset', Number.POSITIVE_INFINITY, false);
    await engine.orchestrator.initiateRollback('eps-1', { reason: 'pilot users unhappy' }, admin);
    await settle({ maxAdvance: HOUR });

    let record = await store.findJourney(journeyId);
    expect(record?.stage).toBe('rollback');
    expect(record?.state.rollback).toMatchObject({
      status: 'failed',
      reason: 'pilot users unhappy',
    });
    expect(record?.state.rollback?.error).toContain('teardown_dataset');

    agents.heal('teardown_dataset');
    await engine.orchestrator.retryFailedTasks(record?.state.rollback?.workId ?? '', admin);
    await settle({ maxAdvance: HOUR });
    record = await store.findJourney(journeyId);
    expect(record?.stage).toBe('sandbox');
    const types = (await store.readStream(journeyId)).map((e) => e.type);
    expect(types.slice(-3)).toEqual(['RollbackFailed', 'RollbackRetried', 'RollbackCompleted']);
  });
});
