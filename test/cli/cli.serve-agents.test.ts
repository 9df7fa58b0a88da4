import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { readAgentOverrides, withAgentOverrides } from '../../src/cli/agents-option.js';
import { loadDefaultPlaybook } from '../../src/playbook/index.js';
import { runCli, tempDirectory } from './run-cli.js';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) {
    await step();
  }
  cleanup = [];
});

it('moves known agents and adds new ones, from id=url pairs and from a file', async () => {
  const dir = await tempDirectory();
  cleanup.push(dir.remove);
  const file = join(dir.path, 'agents.yaml');
  await writeFile(
    file,
    'quality: http://127.0.0.1:9004\nbilling: { url: "https://billing.example", description: Invoices }\n',
  );
  const overrides = await readAgentOverrides([
    'tenancy=http://127.0.0.1:9001, dataops=http://127.0.0.1:9003',
    file,
  ]);
  const [playbook] = withAgentOverrides([await loadDefaultPlaybook()], overrides);
  expect(playbook?.agents['tenancy']?.url).toBe('http://127.0.0.1:9001');
  expect(playbook?.agents['quality']?.url).toBe('http://127.0.0.1:9004');
  expect(playbook?.agents['billing']).toEqual({
    url: 'https://billing.example',
    description: 'Invoices',
  });
  expect(playbook?.agents['security']?.url).toBe('http://127.0.0.1:7405');
});

it('refuses a bad --agents value with exit 64, naming it', async () => {
  const cases: [string, string][] = [
    [
      'tenancy=ftp://x',
      '--agents tenancy=ftp://x: agent "tenancy": "ftp://x" must use http or https',
    ],
    ['=http://x', '"=http://x" is not id=url'],
    ['no-such-file.yaml', '--agents no-such-file.yaml: cannot read it'],
  ];
  for (const [value, message] of cases) {
    const run = await runCli(['serve', '--agents', value, '--db', 'sqlite:/tmp/never-opened.db']);
    expect(run.exitCode, value).toBe(64);
    expect(run.err, value).toContain(message);
  }
});
