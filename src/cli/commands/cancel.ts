import type { Command } from 'commander';
import { reason, slug } from '../arguments.js';
import { clientCommand } from '../client-command-builder.js';
import { runClientCommand, type ClientCommandSettings } from '../client-command.js';
import type { ClientOptions } from '../client-options.js';
import type { CommandContext } from '../context.js';

/** `journey cancel <clientId> --reason`: ends the journey for good (operator). */
export function registerCancelCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  clientCommand(program, {
    name: 'cancel',
    description: 'Cancel the journey (its running unit of work is cancelled at the agents too).',
    examples: [['journey cancel acme --reason "contract ended"', 'the reason is kept']],
  })
    .argument('<clientId>', 'the client whose journey to cancel', slug)
    .requiredOption('--reason <text>', 'why, for the audit trail (required)', reason)
    .action(
      async (clientId: string, options: ClientOptions & { reason: string }, command: Command) => {
        await runClientCommand(command, context, settings, options, async ({ client, out }) => {
          const journey = await client.cancel(clientId, { reason: options.reason });
          if (out.json) {
            out.printJson(journey);
            return;
          }
          out.write(
            `${out.style.bold(clientId)}: journey ${journey.journeyId} ${journey.currentStage}\n`,
          );
        });
      },
    );
}
