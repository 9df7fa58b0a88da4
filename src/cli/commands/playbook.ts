import type { Command } from 'commander';
import { stringify } from 'yaml';
import { defaultPlaybookPath } from '../../playbook/default.js';
import { loadPlaybookFile, type PlaybookResult } from '../../playbook/load.js';
import { countPlaybook } from '../../playbook/playbook.js';
import { formatProblem, type PlaybookProblem } from '../../playbook/problems.js';
import { toPlaybookDocument } from '../../playbook/serialize.js';
import type { CommandContext } from '../context.js';
import { writerOf } from '../output.js';

/**
 * `journey playbook validate <file>` and `journey playbook show [file]`: check a playbook before
 * a journey ever runs it, and read what the orchestrator will actually do.
 */
export function registerPlaybookCommand(program: Command, context: CommandContext): void {
  const playbook = program
    .command('playbook')
    .description(
      'Check and inspect playbooks (the stages, tasks and exit criteria a journey follows).',
    );

  playbook
    .command('validate')
    .description('Load a playbook and report every problem in it (exit code 1 when there is any).')
    .argument('<file>', 'the playbook YAML file')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options: { json?: boolean }, command: Command) => {
      const result = await loadPlaybookFile(file);
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
    });

  playbook
    .command('show')
    .description(
      'Print a playbook as it resolves (every default applied); the shipped default without a file.',
    )
    .argument('[file]', 'the playbook YAML file (default: the shipped playbook)')
    .option('--json', 'print the resolved playbook as JSON (durations in milliseconds)')
    .action(async (file: string | undefined, options: { json?: boolean }, command: Command) => {
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
    });
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
