import type { Command } from 'commander';
import { eventId, outletName } from '../arguments.js';
import { clientCommand } from '../client-command-builder.js';
import { runClientCommand, type ClientCommandSettings } from '../client-command.js';
import type { ClientOptions } from '../client-options.js';
import type { CommandContext } from '../context.js';

interface ReplayOptions extends ClientOptions {
  readonly all?: boolean;
}

/**
 * `journey replay <outlet> <eventId>` or `--all`: the relay delivers those dead letters again,
 * in order, shortly; one that fails again stays a dead letter with the new error.
 */
export function registerReplayCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  clientCommand(program, {
    name: 'replay',
    description:
      "Deliver an outlet's dead letters again (one, or --all) once the destination is fixed.",
    examples: [
      ['journey dead-letters crm', 'find the event ids'],
      ['journey replay crm 6f1c0b8e-3a8c-4c53-9d7e-0b7a0f0f5b1e', 'deliver that one again'],
      ['journey replay crm --all', 'deliver every dead letter of crm again'],
    ],
  })
    .argument('<outlet>', "the outlet's name (the outlets file's `name`)", outletName)
    .argument('[eventId]', 'the dead letter to deliver again (`dead-letters` lists them)', eventId)
    .option('--all', 'every dead letter of the outlet')
    .action(
      async (outlet: string, id: string | undefined, options: ReplayOptions, command: Command) => {
        if ((id === undefined) === (options.all !== true)) {
          command.error('error: give one event id or --all (not both)', {
            code: 'commander.invalidArgument',
          });
        }
        await runClientCommand(command, context, settings, options, async ({ client, out }) => {
          const answer = await client.replayDeadLetters(outlet, id);
          if (out.json) {
            out.printJson(answer);
            return;
          }
          const what =
            id === undefined
              ? `${answer.requested} ${answer.requested === 1 ? 'dead letter' : 'dead letters'} of ${outlet}`
              : `${id} on ${outlet}`;
          out.write(`replay requested: ${what}; the relay delivers again shortly\n`);
        });
      },
    );
}
