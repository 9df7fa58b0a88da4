import type { Command } from 'commander';
import { exitWithUsageCode, slug } from '../arguments.js';
import type { ClientCommandSettings } from '../client-command.js';
import type { CommandContext } from '../context.js';

/** @internal */
export interface DemoOptions {
  readonly client: string;
  readonly verbose?: boolean;
}

/**
 * `journey demo`: the whole story in under a minute, on a fresh temporary SQLite database with
 * the example A2A agents and its own `journey serve`; everything it starts is stopped and
 * removed at the end, on an error and on Ctrl-C.
 */
export function registerDemoCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  const demo = program
    .command('demo')
    .description(
      'Run the whole story (sandbox, pilot with a failing check and a rollback, production) on a throwaway server.',
    )
    .option('--client <id>', 'the client whose journey the demo runs', slug, 'acme')
    .option('--verbose', 'on errors, print the stack trace')
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ journey demo                 # about 30 s; needs `npm run build` (the example agents)\n  $ journey demo --client globex\n',
    );
  exitWithUsageCode(demo).action(async (options: DemoOptions, command: Command) => {
    // The demo's stack (child processes, the playbook loader) is loaded only when it runs.
    const { runDemo } = await import('./demo-run.js');
    await runDemo(options, command, context, settings);
  });
}
