import type { Command } from 'commander';
import { eventId, outletName } from '../arguments.js';
import { clientCommand } from '../client-command-builder.js';
import { runClientCommand, type ClientCommandSettings } from '../client-command.js';
import type { ClientOptions } from '../client-options.js';
import type { CommandContext } from '../context.js';

/** `journey discard <outlet> <eventId>`: gives up on a dead letter for good. */
export function registerDiscardCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  clientCommand(program, {
    name: 'discard',
    description: 'Give up on one of an outlet’s dead letters for good (it is not delivered again).',
    examples: [
      ['journey dead-letters crm', 'find the event id'],
      ['journey discard crm 6f1c0b8e-3a8c-4c53-9d7e-0b7a0f0f5b1e', 'drop it'],
    ],
  })
    .argument('<outlet>', "the outlet's name (the outlets file's `name`)", outletName)
    .argument('<eventId>', 'the dead letter to give up on', eventId)
    .action(async (outlet: string, id: string, options: ClientOptions, command: Command) => {
      await runClientCommand(command, context, settings, options, async ({ client, out }) => {
        await client.discardDeadLetter(outlet, id);
        if (out.json) {
          // The API answers 204 without a body: say what was done, for scripts.
          out.printJson({ outlet, eventId: id, discarded: true });
        } else {
          out.write(`discarded ${id} from the dead letters of ${outlet}\n`);
        }
      });
    });
}
