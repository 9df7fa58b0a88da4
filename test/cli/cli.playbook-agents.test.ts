import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startExampleAgents, type ExampleAgents } from '../../examples/agents/index.js';
import {
  loadDefaultPlaybook,
  toPlaybookDocument,
  type Playbook,
} from '../../src/playbook/index.js';
import { runCli, tempDirectory } from './run-cli.js';

let agents: ExampleAgents;
let dir: Awaited<ReturnType<typeof tempDirectory>>;

beforeAll(async () => {
  agents = await startExampleAgents({ portBase: 0 });
  dir = await tempDirectory();
});
afterAll(async () => {
  await agents.close();
  await dir.remove();
});

async function writePlaybook(
  name: string,
  change: (playbook: Playbook) => Playbook,
): Promise<string> {
  const base = await loadDefaultPlaybook();
  const agentsAt = Object.fromEntries(
    Object.entries(base.agents).map(([id, endpoint]) => [
      id,
      { ...endpoint, url: agents.urls[id as keyof typeof agents.urls] },
    ]),
  );
  const path = join(dir.path, name);
  await writeFile(path, stringify(toPlaybookDocument(change({ ...base, agents: agentsAt }))));
  return path;
}

it('checks every task against the live agents of the playbook', async () => {
  const good = await writePlaybook('good.yaml', (p) => p);
  const ok = await runCli(['playbook', 'validate', '--check-agents', good]);
  expect(ok).toMatchObject({ exitCode: 0, out: 'ok: default v1: 16 tasks, 11 criteria\n' });

  // The connectors agent's card does not list "provision_test_dataset"; another agent is down.
  const bad = await writePlaybook('bad.yaml', (p) => ({
    ...p,
    agents: { ...p.agents, dataops: { url: 'http://127.0.0.1:9' } },
    stages: {
      ...p.stages,
      sandbox: {
        ...p.stages.sandbox,
        setup: {
          tasks: p.stages.sandbox.setup.tasks.map((t) =>
            t.taskId === 'install_connectors' ? { ...t, intent: 'provision_test_dataset' } : t,
          ),
        },
      },
    },
  }));
  const refused = await runCli(['playbook', 'validate', '--check-agents', bad]);
  expect(refused.exitCode).toBe(1);
  expect(refused.out).toContain('stages.sandbox.setup.tasks[1]: ');
  expect(refused.out).toMatch(
    /connectors.*provision_test_dataset|provision_test_dataset.*connectors/,
  );
  expect(refused.out).toMatch(/stages\.sandbox\.setup\.tasks\[2\]: .*dataops/);
});
