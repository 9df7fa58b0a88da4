import { expect, it } from 'vitest';
import type { EngineMetrics } from '../../src/application/queries/engine-metrics.js';
import { forEachBackend } from '../support/backends.js';
import { startTestEngine } from '../support/engine-harness.js';

const admin = { actor: 'alice' };

/** Records what the engine reports, as /metrics would count it. */
function recorder() {
  const seen = {
    transitions: [] as string[],
    rollbacks: [] as boolean[],
    setups: [] as string[],
    attempts: [] as { intent: string; outcome: string; duration: number }[],
  };
  const metrics: EngineMetrics = {
    stageTransition: (t) => seen.transitions.push(`${t.kind}:${t.fromStage}->${t.toStage}`),
    stageSetupCompleted: (s) => seen.setups.push(s.stage),
    rollbackInitiated: (r) => seen.rollbacks.push(r.automatic),
    taskAttemptFinished: (a) => seen.attempts.push(a),
  };
  return { seen, metrics };
}

forEachBackend((backend) => {
  it('reports each committed transition, rollback and task attempt once', async () => {
    const { store } = await backend.freshDatabase();
    const { seen, metrics } = recorder();
    const { engine, agents, settle } = await startTestEngine(store, backend.clock, {
      engineMetrics: metrics,
    });
    agents.fail('install_connectors', 1);
    agents.fail('invite_pilot_users');
    await engine.orchestrator.startJourney({ clientId: 'metered' }, admin);
    await settle({ maxAdvance: 60_000 });
    await engine.orchestrator.approve(
      'metered',
      { criterionId: 'demo_approved', role: 'client' },
      admin,
    );
    await settle({ maxAdvance: 60 * 60_000 });

    expect(seen.transitions).toEqual([
      'promotion:sandbox->pilot',
      'rollback_started:pilot->rollback',
      'rollback_completed:rollback->sandbox',
    ]);
    expect(seen.rollbacks).toEqual([true]);
    // The pilot's setup failed (and was rolled back): only the sandbox's completed.
    expect(seen.setups).toEqual(['sandbox']);
    const installs = seen.attempts.filter((a) => a.intent === 'install_connectors');
    // Sandbox: one failure, then success; pilot installs its connectors with the same intent.
    expect(installs.map((a) => a.outcome)).toEqual(['failed', 'succeeded', 'succeeded']);
    expect(seen.attempts.filter((a) => a.intent === 'invite_pilot_users')).toHaveLength(4);
    expect(seen.attempts.every((a) => a.duration >= 0)).toBe(true);
  });
});
