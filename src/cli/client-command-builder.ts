import type { Command } from 'commander';
import { exitWithUsageCode } from './arguments.js';
import { addClientOptions } from './client-options.js';

/** What a client command says about itself in `--help`. */
export interface ClientCommandSpec {
  readonly name: string;
  readonly description: string;
  /** Shown under "Examples:" after the options, one command line each with a comment. */
  readonly examples: readonly (readonly [commandLine: string, comment: string])[];
  /** The subcommand its parent runs when given none (`journey controls` is `controls show`). */
  readonly isDefault?: boolean;
}

/**
 * A subcommand that talks to the API: the common options (`--url`, `--token`, `--json`,
 * `--verbose`), usage errors ending with 64, and examples in its help.
 */
export function clientCommand(program: Command, spec: ClientCommandSpec): Command {
  const width = Math.max(...spec.examples.map(([line]) => line.length));
  const examples = spec.examples
    .map(([line, comment]) => `  $ ${line.padEnd(width)}  # ${comment}`)
    .join('\n');
  const command = program
    .command(spec.name, { isDefault: spec.isDefault === true })
    .description(spec.description)
    // One line, not the whole help: the error names the argument or option already.
    .showHelpAfterError('(add --help for usage and examples)')
    .addHelpText(
      'after',
      `\nExamples:\n${examples}\n\nExit codes: listed by \`journey --help\` and in docs/cli.md.\n`,
    );
  return addClientOptions(exitWithUsageCode(command));
}
