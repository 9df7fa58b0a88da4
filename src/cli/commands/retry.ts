import type { Command } from 'commander';
import { workId } from '../arguments.js';
import { clientCommand } from '../client-command-builder.js';
import { runClientCommand, type ClientCommandSettings } from '../client-command.js';
import type { ClientOptions } from '../client-options.js';
import type { CommandContext } from '../context.js';
import { renderUnit } from '../render/journey.js';

/** `journey retry <workId>`: runs a failed unit's failed tasks again, with a fresh retry budget. */
export function registerRetryCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  clientCommand(program, {
    name: 'retry',
    description: "Retry a failed unit of work's failed tasks (setup or rollback).",
    examples: [
      ['journey status acme', 'shows the unit and its failed tasks'],
      ['journey retry 5f0c…', 'then retry it by its id'],
    ],
  })
    .argument('<workId>', 'the unit of work, as `journey status <clientId>` shows it', workId)
    .action(async (unitId: string, options: ClientOptions, command: Command) => {
      await runClientCommand(command, context, settings, options, async ({ client, out }) => {
        const unit = await client.retryUnit(unitId);
        if (out.json) {
          out.printJson(unit);
        } else {
          out.write(renderUnit(unit, out.style));
        }
      });
    });
}
