import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { defaultPlaybookPath, loadDefaultPlaybook } from '../../src/playbook/default.js';
import { parsePlaybook } from '../../src/playbook/load.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/playbooks/${name}`, import.meta.url));

/** Runs `journey <args>` in-process and returns what it wrote and the exit code it chose. */
async function run(...args: string[]): Promise<{ out: string; err: string; exitCode: number }> {
  let out = '';
  let err = '';
  const program = buildProgram({
    exitOverride: true,
    output: { writeOut: (text) => (out += text), writeErr: (text) => (err += text) },
  });
  try {
    await program.parseAsync(args, { from: 'user' });
    return { out, err, exitCode: 0 };
  } catch (error) {
    if (error instanceof CommanderError) {
      return { out, err, exitCode: error.exitCode };
    }
    throw error;
  }
}

describe('journey playbook validate', () => {
  it('says ok with a summary for a valid playbook', async () => {
    expect(await run('playbook', 'validate', defaultPlaybookPath())).toEqual({
      out: 'ok: default v1: 16 tasks, 11 criteria\n',
      err: '',
      exitCode: 0,
    });
  });

  it('prints every problem, one per line, and exits 1', async () => {
    const { out, exitCode } = await run('playbook', 'validate', fixture('bad.yaml'));
    expect(exitCode).toBe(1);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(13);
    expect(lines).toContain(
      'stages.pilot.setup.tasks[2].dependsOn[0] (line 38, col 15): unknown task "x"',
    );
    expect(lines.at(-1)).toBe(`${fixture('bad.yaml')}: 12 problems`);
  });

  it('prints machine-readable results with --json', async () => {
    const ok = await run('playbook', 'validate', '--json', fixture('minimal.yaml'));
    expect(JSON.parse(ok.out)).toEqual({
      ok: true,
      name: 'minimal',
      version: 3,
      tasks: 1,
      criteria: 2,
    });
    const bad = await run('playbook', 'validate', fixture('bad.yaml'), '--json');
    expect(bad.exitCode).toBe(1);
    const parsed = JSON.parse(bad.out) as { ok: boolean; problems: { path: string }[] };
    expect(parsed.ok).toBe(false);
    expect(parsed.problems).toHaveLength(12);
    expect(parsed.problems[7]).toEqual({
      kind: 'semantic',
      source: fixture('bad.yaml'),
      path: 'stages.pilot.setup.tasks[2].dependsOn[0]',
      line: 38,
      column: 15,
      message: 'unknown task "x"',
    });
  });

  it('reports a missing file as a problem', async () => {
    const { out, exitCode } = await run('playbook', 'validate', fixture('nope.yaml'));
    expect(exitCode).toBe(1);
    expect(out).toContain('file not found');
  });

  it('needs a file', async () => {
    const { err, exitCode } = await run('playbook', 'validate');
    expect(exitCode).toBe(1);
    expect(err).toContain("missing required argument 'file'");
  });
});

describe('journey playbook show', () => {
  it('prints the shipped playbook, resolved, in the playbook format', async () => {
    const { out, exitCode } = await run('playbook', 'show');
    expect(exitCode).toBe(0);
    expect(out).toContain('intent: provision_test_dataset');
    const again = parsePlaybook(out, 'show');
    expect(again).toEqual({ ok: true, playbook: await loadDefaultPlaybook() });
  });

  it('prints the resolved object with --json', async () => {
    const { out } = await run('playbook', 'show', fixture('minimal.yaml'), '--json');
    const playbook = JSON.parse(out) as { stages: { sandbox: { setup: { tasks: unknown[] } } } };
    expect(playbook.stages.sandbox.setup.tasks[0]).toMatchObject({
      taskId: 'prepare',
      timeout: 300_000,
    });
  });

  it('prints the problems and exits 1 for a bad file', async () => {
    const { out, exitCode } = await run('playbook', 'show', fixture('syntax-error.txt'));
    expect(exitCode).toBe(1);
    expect(out).toMatch(/^line 8, col 3: /);
  });
});
