import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY } from '../../src/domain/retry-policy.js';
import { HOUR, MINUTE, SECOND } from '../../src/domain/time.js';
import { parsePlaybook } from '../../src/playbook/load.js';
import type { Playbook } from '../../src/playbook/playbook.js';

const minimal = readFileSync(
  fileURLToPath(new URL('../fixtures/playbooks/minimal.yaml', import.meta.url)),
  'utf8',
);

function load(text: string): Playbook {
  const result = parsePlaybook(text, 'test.yaml');
  if (!result.ok) {
    throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  }
  return result.playbook;
}

describe('a resolved playbook', () => {
  it('applies every default to a playbook that leaves them out', () => {
    const playbook = load(minimal);
    expect(playbook).toEqual({
      apiVersion: 'journey-orchestrator/v1',
      name: 'minimal',
      version: 3,
      agents: { worker: { url: 'https://agents.example.com/worker' } },
      stages: {
        sandbox: {
          setup: {
            tasks: [
              {
                taskId: 'prepare',
                name: 'Prepare',
                agentId: 'worker',
                intent: 'prepare',
                input: {},
                dependsOn: [],
                retry: DEFAULT_RETRY_POLICY,
                timeout: 5 * MINUTE,
              },
            ],
          },
          rollback: { tasks: [] },
          exitCriteria: [
            {
              id: 'approved',
              description: 'Approved by an admin',
              kind: 'approval',
              policy: { roles: ['admin'], minApprovals: 1, requiredApprovers: [] },
            },
          ],
          autoPromote: false,
          recheckInterval: 5 * MINUTE,
          rollbackOnFailure: false,
          soakTime: 0,
        },
        pilot: {
          setup: { tasks: [] },
          rollback: { tasks: [] },
          exitCriteria: [
            {
              id: 'quality',
              description: 'Quality above 0.8',
              kind: 'metric',
              source: {
                type: 'http',
                url: 'https://metrics.example.com/quality',
                jsonPath: '$.quality',
              },
              comparator: 'gte',
              threshold: 0.8,
            },
          ],
          autoPromote: false,
          recheckInterval: 5 * MINUTE,
          rollbackOnFailure: false,
          soakTime: 0,
        },
        production: {
          setup: { tasks: [] },
          rollback: { tasks: [] },
          exitCriteria: [],
          autoPromote: false,
          recheckInterval: 5 * MINUTE,
          rollbackOnFailure: false,
          soakTime: 0,
        },
      },
      freezes: [],
    });
  });

  it('is frozen all the way down', () => {
    const playbook = load(minimal);
    expect(Object.isFrozen(playbook)).toBe(true);
    expect(Object.isFrozen(playbook.stages.sandbox.setup.tasks[0]?.input)).toBe(true);
    expect(Object.isFrozen(playbook.agents['worker'])).toBe(true);
  });

  it('layers retry settings: built-in, then defaults.task, then the task', () => {
    const text = minimal
      .replace(
        'agents:',
        `defaults:
  task: { timeout: 2m, retry: { maxRetries: 5, jitter: 0 } }
  recheckInterval: 1h
agents:`,
      )
      .replace(
        '{ id: prepare, name: Prepare, agent: worker, intent: prepare }',
        '{ id: prepare, name: Prepare, agent: worker, intent: prepare, timeout: 90s, retry: { maxRetries: 0 } }',
      )
      .replace('exitCriteria: []', 'exitCriteria: []\n    recheckInterval: 30s');
    const playbook = load(text);
    expect(playbook.stages.sandbox.setup.tasks[0]).toMatchObject({
      timeout: 90 * SECOND,
      retry: { ...DEFAULT_RETRY_POLICY, maxRetries: 0, jitter: 0 },
    });
    expect(playbook.stages.sandbox.recheckInterval).toBe(1 * HOUR);
    expect(playbook.stages.production.recheckInterval).toBe(30 * SECOND);
  });
});
