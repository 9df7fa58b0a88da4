import { Command } from 'commander';
import { version } from './version.js';

/** The `journey` command line. Each subcommand lives in its own file and registers itself here. */
export function buildProgram(): Command {
  const program = new Command('journey')
    .description(
      'Moves each client through sandbox -> pilot -> production with validation gates and rollback.',
    )
    .version(version, '-V, --version')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
  return program;
}
