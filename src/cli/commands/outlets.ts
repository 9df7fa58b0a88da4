import type { Command } from 'commander';
import { clientCommand } from '../client-command-builder.js';
import { runClientCommand, type ClientCommandSettings } from '../client-command.js';
import type { ClientOptions } from '../client-options.js';
import type { CommandContext } from '../context.js';
import { renderOutlets } from '../render/outlets.js';

/** `journey outlets`: where each outlet of the event relay stands (docs/events.md). */
export function registerOutletsCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  clientCommand(program, {
    name: 'outlets',
    description:
      'The outlets of the event relay: events delivered, dead letters, the process delivering now.',
    examples: [
      ['journey outlets', 'a table of every outlet'],
      ['journey outlets --json | jq ".items[] | {name, deadLetters}"', 'for scripts and alerts'],
    ],
  }).action(async (options: ClientOptions, command: Command) => {
    await runClientCommand(command, context, settings, options, async ({ client, out }) => {
      const outlets = await client.outlets();
      if (out.json) {
        out.printJson(outlets);
      } else {
        out.write(renderOutlets(outlets, out.style));
      }
    });
  });
}
