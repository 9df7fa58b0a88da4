import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { ExitCriterion } from '../../src/domain/exit-criteria/criterion.js';
import { DAY, MINUTE } from '../../src/domain/time.js';
import { defaultPlaybookPath, loadDefaultPlaybook } from '../../src/playbook/default.js';
import { parsePlaybook } from '../../src/playbook/load.js';
import { toPlaybookDocument } from '../../src/playbook/serialize.js';

/** The parts of a criterion that section 8.2 of the specification fixes. */
function rule(criterion: ExitCriterion) {
  if (criterion.kind === 'approval') {
    return { id: criterion.id, kind: 'approval', roles: criterion.policy.roles };
  }
  return {
    id: criterion.id,
    kind: 'metric',
    comparator: criterion.comparator,
    threshold: criterion.threshold,
    unit: criterion.unit,
    window: criterion.window,
  };
}

const metric = (
  id: string,
  comparator: string,
  threshold: number | boolean,
  unit?: string,
  window?: number,
) => ({ id, kind: 'metric', comparator, threshold, unit, window });

describe('the default playbook', () => {
  it('is found in the package and loads', async () => {
    expect(defaultPlaybookPath()).toMatch(/playbooks[/\\]default\.yaml$/);
    const playbook = await loadDefaultPlaybook();
    expect(playbook.name).toBe('default');
    expect(playbook.version).toBe(1);
    expect(Object.isFrozen(playbook.stages.pilot.setup.tasks[0])).toBe(true);
  });

  it('gates the sandbox on exactly the specification rules', async () => {
    const { stages } = await loadDefaultPlaybook();
    expect(stages.sandbox.exitCriteria.map(rule)).toEqual([
      metric('connectors_syncing', 'eq', true),
      metric('search_quality', 'gt', 80, '%'),
      metric('security_scan_passed', 'eq', true),
      { id: 'demo_approved', kind: 'approval', roles: ['client', 'operator', 'admin'] },
    ]);
  });

  it('gates the pilot on exactly the specification rules', async () => {
    const { stages } = await loadDefaultPlaybook();
    expect(stages.pilot.exitCriteria.map(rule)).toEqual([
      metric('search_quality', 'gt', 85, '%'),
      metric('user_satisfaction', 'gt', 4.0, '/5'),
      metric('no_critical_bugs', 'eq', 0, undefined, 7 * DAY),
      metric('performance_sla_met', 'eq', true),
    ]);
  });

  it('completes production on exactly the specification success rules', async () => {
    const { stages } = await loadDefaultPlaybook();
    expect(stages.production.exitCriteria.map(rule)).toEqual([
      metric('user_adoption', 'gt', 70, '%'),
      metric('search_satisfaction', 'gt', 4.5, '/5'),
      metric('no_p0_p1_incidents', 'eq', 0),
    ]);
  });

  it('asks agents for every metric, so the example agents can answer', async () => {
    const { stages, agents } = await loadDefaultPlaybook();
    const criteria = Object.values(stages).flatMap((stage) => stage.exitCriteria);
    for (const criterion of criteria) {
      if (criterion.kind === 'metric') {
        expect(criterion.source.type).toBe('agent');
        expect(criterion.source.type === 'agent' && criterion.source.agentId).toBeTruthy();
      }
    }
    for (const agent of Object.values(agents)) {
      expect(agent.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
  });

  it('sets the sandbox up in four tasks, including the DataOps test dataset', async () => {
    const { sandbox } = (await loadDefaultPlaybook()).stages;
    expect(sandbox.setup.tasks.map((task) => [task.taskId, task.intent, task.dependsOn])).toEqual([
      ['create_tenant', 'create_tenant', []],
      ['install_connectors', 'install_connectors', ['create_tenant']],
      ['provision_test_dataset', 'provision_test_dataset', ['create_tenant']],
      [
        'capture_search_baseline',
        'capture_search_baseline',
        ['install_connectors', 'provision_test_dataset'],
      ],
    ]);
    expect(sandbox.setup.tasks[2]?.agentId).toBe('dataops');
    expect(sandbox.rollback.tasks).toEqual([]);
  });

  it('tears the pilot dataset down on rollback, using the id the pilot setup got back', async () => {
    const { pilot } = (await loadDefaultPlaybook()).stages;
    const provision = pilot.setup.tasks.find((task) => task.intent === 'provision_test_dataset');
    const teardown = pilot.rollback.tasks.find((task) => task.intent === 'teardown_dataset');
    expect(provision?.agentId).toBe('dataops');
    expect(teardown?.agentId).toBe('dataops');
    expect(teardown?.input).toEqual({
      datasetId: `\${snapshot.tasks.${provision?.taskId}.output.datasetId}`,
    });
  });

  it('promotes automatically and rolls back pilot and production on failure', async () => {
    const { stages } = await loadDefaultPlaybook();
    expect(
      Object.entries(stages).map(([name, stage]) => [
        name,
        stage.autoPromote,
        stage.rollbackOnFailure,
        stage.recheckInterval,
      ]),
    ).toEqual([
      ['sandbox', true, false, 5 * MINUTE],
      ['pilot', true, true, 5 * MINUTE],
      ['production', true, true, 5 * MINUTE],
    ]);
  });

  it('applies the defaults to every task', async () => {
    const task = (await loadDefaultPlaybook()).stages.sandbox.setup.tasks[0];
    expect(task?.timeout).toBe(5 * MINUTE);
    expect(task?.retry).toEqual({
      maxRetries: 3,
      initialInterval: 1_000,
      backoffCoefficient: 2,
      maxInterval: 5 * MINUTE,
      jitter: 0.2,
    });
  });

  it('survives a round trip through the playbook format (what `show` prints)', async () => {
    const playbook = await loadDefaultPlaybook();
    const again = parsePlaybook(stringify(toPlaybookDocument(playbook)), 'show');
    expect(again).toEqual({ ok: true, playbook });
  });
});
