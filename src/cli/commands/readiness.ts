import type { Command } from 'commander';
import { slug } from '../arguments.js';
import { clientCommand } from '../client-command-builder.js';
import { runClientCommand, type ClientCommandSettings } from '../client-command.js';
import type { ClientOptions } from '../client-options.js';
import type { CommandContext } from '../context.js';
import { renderReadiness } from '../render/readiness.js';

/**
 * `journey readiness <clientId>`: what blocks the promotion of the current stage right now
 * (docs/evidence.md). The server evaluates the criteria now and records nothing.
 */
export function registerReadinessCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  clientCommand(program, {
    name: 'readiness',
    description:
      'What blocks promotion right now: the blockers, then every criterion (evaluated now, nothing recorded).',
    examples: [
      ['journey readiness acme', 'blockers and criteria'],
      ['journey readiness acme --json | jq -r ".blockers[].code"', 'for scripts'],
    ],
  })
    .argument('<clientId>', 'the client whose journey to judge', slug)
    .action(async (clientId: string, options: ClientOptions, command: Command) => {
      await runClientCommand(command, context, settings, options, async ({ client, out }) => {
        const readiness = await client.readiness(clientId);
        if (out.json) {
          out.printJson(readiness);
        } else {
          out.write(renderReadiness(readiness, out.style));
        }
      });
    });
}
