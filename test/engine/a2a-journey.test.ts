import { afterEach, expect, it } from 'vitest';
import type { Store } from '../../src/application/ports.js';
import { startA2AEngine, type A2AEngine } from '../support/a2a-engine.js';
import { forEachBackend } from '../support/backends.js';

const admin = { actor: 'alice' };
let running: A2AEngine | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function stageOf(store: Store, journeyId: string, wanted: string) {
  const record = await store.findJourney(journeyId);
  return record?.stage === wanted ? record : undefined;
}

forEachBackend((backend) => {
  it('runs a whole journey over A2A: sandbox -> pilot -> production -> completed', async () => {
    const { store } = await backend.freshDatabase();
    running = await startA2AEngine(store);
    const { engine, agents, waitFor } = running;
    agents.behaviour.set('connectors', 'install_connectors', { kind: 'fail', times: 2 });
    agents.behaviour.setMetric('quality', 'measure_search_quality', { value: 93 });
    const { journeyId } = await engine.orchestrator.startJourney({ clientId: 'a2a-1' }, admin);
    await waitFor(async () => {
      const record = await store.findJourney(journeyId);
      return record?.state.setups.sandbox?.status === 'completed' ? record : undefined;
    });
    await engine.orchestrator.approve(
      'a2a-1',
      { criterionId: 'demo_approved', role: 'client' },
      admin,
    );
    const done = await waitFor(() => stageOf(store, journeyId, 'completed'));
    expect(done.state.stageHistory.map((t) => t.toStage)).toEqual([
      'pilot',
      'production',
      'completed',
    ]);
    // Failed twice, then succeeded: three attempts, three messages, no duplicate.
    const installs = agents.counters.messages({ intent: 'install_connectors', clientId: 'a2a-1' });
    expect(installs.filter((m) => m.taskId === 'install_connectors').map((m) => m.attempt)).toEqual(
      [1, 2, 3],
    );
    const perAttempt = new Map<string, number>();
    for (const message of agents.counters.messages()) {
      if (message.workId?.startsWith('criterion:') === true) {
        continue;
      }
      const key = `${message.workId}:${message.taskId}:${message.attempt}`;
      perAttempt.set(key, (perAttempt.get(key) ?? 0) + 1);
    }
    expect([...perAttempt.values()].every((count) => count === 1)).toBe(true);
    // The metric the agent reported is the evidence kept.
    const promotion = done.state.stageHistory[0]?.exitCriteriaResults.find(
      (r) => r.criterionId === 'search_quality',
    );
    expect(promotion).toMatchObject({ outcome: 'passed', observed: 93 });
  });

  it('fails an attempt cleanly on a garbage reply, and times out a hanging agent with a cancel', async () => {
    const { store } = await backend.freshDatabase();
    running = await startA2AEngine(store, {
      task: {
        timeout: 300,
        retry: {
          maxRetries: 0,
          initialInterval: 10,
          backoffCoefficient: 2,
          maxInterval: 10,
          jitter: 0,
        },
      },
    });
    const { engine, agents, waitFor } = running;
    agents.behaviour.set('dataops', 'provision_test_dataset', {
      kind: 'garbage',
      variant: 'not-an-object',
    });
    agents.behaviour.set('connectors', 'install_connectors', { kind: 'hang' });
    const { setups } = await engine.orchestrator.startJourney({ clientId: 'a2a-2' }, admin);
    const workId = setups.sandbox?.workId ?? '';
    const unit = await waitFor(async () => {
      const record = await store.findUnitOfWork(workId);
      return record?.status === 'failed' ? record : undefined;
    });
    const byId = Object.fromEntries(unit.state.tasks.map((t) => [t.taskId, t.execution]));
    const garbage = byId.provision_test_dataset;
    expect(garbage?.status === 'failed' && garbage.error).toMatchObject({
      code: 'BAD_REPLY',
      retryable: false,
    });
    const hung = byId.install_connectors;
    expect(hung?.status === 'failed' && hung.error.code).toBe('TIMEOUT');
    await waitFor(() =>
      Promise.resolve(
        agents.counters.cancels({ intent: 'install_connectors' }).length > 0 ? true : undefined,
      ),
    );
    expect(
      unit.state.tasks.find((t) => t.taskId === 'capture_search_baseline')?.execution.status,
    ).toBe('pending');
  });
});
