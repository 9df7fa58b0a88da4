import type { Command } from 'commander';
import { stringify } from 'yaml';
import { A2AAgentGateway } from '../../agents/a2a/index.js';
import { defaultPlaybookPath } from '../../playbook/default.js';
import { loadPlaybookFile, type PlaybookResult } from '../../playbook/load.js';
import { countPlaybook, type Playbook } from '../../playbook/playbook.js';
import { formatProblem, type PlaybookProblem } from '../../playbook/problems.js';
import { toPlaybookDocument } from '../../playbook/serialize.js';
import type { CommandContext } from '../context.js';
import { writerOf } from '../output.js';
import type { ValidateOptions } from './playbook.js';

/**
 * The bodies of `journey playbook validate` and `show`, loaded only when they run (the playbook
 * loader, YAML and the A2A client are not needed to register them).
 * @internal
 */
export async function validatePlaybook(
  file: string,
  options: ValidateOptions,
  command: Command,
  context: CommandContext,
): Promise<void> {
  const loaded = await loadPlaybookFile(file);
  const result =
    loaded.ok && options.checkAgents === true
      ? await withAgentProblems(file, loaded.playbook)
      : loaded;
  const write = writerOf(command);
  if (options.json === true) {
    write(`${JSON.stringify(validationJson(result), null, 2)}\n`);
  } else if (result.ok) {
    const { tasks, criteria } = countPlaybook(result.playbook);
    write(
      `ok: ${result.playbook.name} v${result.playbook.version}: ${tasks} tasks, ${criteria} criteria\n`,
    );
  } else {
    write(problemLines(file, result.problems));
  }
  if (!result.ok) {
    context.fail(1, `${file} is not a valid playbook`);
  }
}

/** @internal */
export async function showPlaybook(
  file: string | undefined,
  options: { json?: boolean },
  command: Command,
  context: CommandContext,
): Promise<void> {
  const path = file ?? defaultPlaybookPath();
  const result = await loadPlaybookFile(path);
  const write = writerOf(command);
  if (!result.ok) {
    write(
      options.json === true
        ? `${JSON.stringify(validationJson(result), null, 2)}\n`
        : problemLines(path, result.problems),
    );
    context.fail(1, `${path} is not a valid playbook`);
    return;
  }
  write(
    options.json === true
      ? `${JSON.stringify(result.playbook, null, 2)}\n`
      : stringify(toPlaybookDocument(result.playbook), { lineWidth: 0 }),
  );
}

/** The playbook's tasks checked against the live agents' cards (the gateway's `check`). */
async function withAgentProblems(file: string, playbook: Playbook): Promise<PlaybookResult> {
  const gateway = new A2AAgentGateway(
    Object.fromEntries(Object.entries(playbook.agents).map(([id, { url }]) => [id, { url }])),
  );
  try {
    const problems: PlaybookProblem[] = [];
    for (const [stage, plan] of Object.entries(playbook.stages)) {
      for (const purpose of ['setup', 'rollback'] as const) {
        for (const [index, task] of plan[purpose].tasks.entries()) {
          for (const message of await gateway.check([task])) {
            problems.push({
              kind: 'agents',
              source: file,
              path: `stages.${stage}.${purpose}.tasks[${index}]`,
              message,
            });
          }
        }
      }
    }
    return problems.length === 0 ? { ok: true, playbook } : { ok: false, problems };
  } finally {
    await gateway.close();
  }
}

function problemLines(file: string, problems: readonly PlaybookProblem[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return [...problems.map(formatProblem), `${file}: ${count}`, ''].join('\n');
}

function validationJson(result: PlaybookResult): object {
  if (!result.ok) {
    return { ok: false, problems: result.problems };
  }
  const { tasks, criteria } = countPlaybook(result.playbook);
  return {
    ok: true,
    name: result.playbook.name,
    version: result.playbook.version,
    tasks,
    criteria,
  };
}
