import type { Command } from 'commander';
import { reason, slug } from '../arguments.js';
import { clientCommand } from '../client-command-builder.js';
import { runClientCommand, type ClientCommandSettings } from '../client-command.js';
import type { ClientOptions } from '../client-options.js';
import type { CommandContext } from '../context.js';

/**
 * `journey pause <clientId> --reason`: nothing new starts for the journey until it is resumed
 * (docs/controls.md); running attempts finish, rollbacks and cancellations are still allowed.
 */
export function registerPauseCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  clientCommand(program, {
    name: 'pause',
    description:
      'Pause the journey: no promotion, gate or new task attempt until resumed (running attempts finish).',
    examples: [
      ['journey pause acme --reason "client incident"', 'the reason is kept'],
      ['journey resume acme', 'let it go on'],
    ],
  })
    .argument('<clientId>', 'the client whose journey to pause', slug)
    .requiredOption('--reason <text>', 'why, for the audit trail (required)', reason)
    .action(
      async (clientId: string, options: ClientOptions & { reason: string }, command: Command) => {
        await runClientCommand(command, context, settings, options, async ({ client, out }) => {
          const journey = await client.pause(clientId, { reason: options.reason });
          if (out.json) {
            out.printJson(journey);
            return;
          }
          out.write(
            `${out.style.bold(clientId)}: paused in ${journey.currentStage} (${journey.status} underneath); resume with: journey resume ${clientId}\n`,
          );
        });
      },
    );
}
