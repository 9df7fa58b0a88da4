import { Command, CommanderError, type OutputConfiguration } from 'commander';
import { registerPlaybookCommand } from './commands/playbook.js';
import type { CommandContext } from './context.js';
import { version } from './version.js';

/** How the command line is embedded: where it writes and whether it may end the process. */
export interface ProgramOptions {
  /** Replaces commander's writers (tests capture output here). @default process.stdout / stderr */
  readonly output?: OutputConfiguration;
  /**
   * Throw a `CommanderError` carrying the exit code instead of ending the process, for tests
   * and embedding. @default false
   */
  readonly exitOverride?: boolean;
}

/** The `journey` command line. Each subcommand lives in its own file and registers itself here. */
export function buildProgram(options: ProgramOptions = {}): Command {
  const program = new Command('journey')
    .description(
      'Moves each client through sandbox -> pilot -> production with validation gates and rollback.',
    )
    .version(version, '-V, --version')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text), ...options.output });
  if (options.exitOverride === true) {
    program.exitOverride();
  }
  // Subcommands copy the settings above when they are created, so they are applied first.
  const context: CommandContext = {
    fail: (exitCode, reason) => {
      if (options.exitOverride === true) {
        throw new CommanderError(exitCode, 'journey.failed', reason);
      }
      process.exitCode = exitCode;
    },
  };
  registerPlaybookCommand(program, context);
  return program;
}
