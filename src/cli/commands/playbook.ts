import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

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
    .option(
      '--check-agents',
      "also ask the playbook's agents (their A2A cards) whether every task's intent is served, once and unambiguously",
    )
    .action(async (file: string, options: ValidateOptions, command: Command) => {
      const { validatePlaybook } = await import('./playbook-run.js');
      await validatePlaybook(file, options, command, context);
    });

  playbook
    .command('show')
    .description(
      'Print a playbook as it resolves (every default applied); the shipped default without a file.',
    )
    .argument('[file]', 'the playbook YAML file (default: the shipped playbook)')
    .option('--json', 'print the resolved playbook as JSON (durations in milliseconds)')
    .action(async (file: string | undefined, options: { json?: boolean }, command: Command) => {
      const { showPlaybook } = await import('./playbook-run.js');
      await showPlaybook(file, options, command, context);
    });
}

/** @internal */
export interface ValidateOptions {
  readonly json?: boolean;
  readonly checkAgents?: boolean;
}
