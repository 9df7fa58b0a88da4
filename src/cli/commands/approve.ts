import type { Command } from 'commander';
import { comment, slug } from '../arguments.js';
import { clientCommand } from '../client-command-builder.js';
import { runClientCommand, type ClientCommandSettings } from '../client-command.js';
import type { ClientOptions } from '../client-options.js';
import type { CommandContext } from '../context.js';
import { statusNote } from '../render/journey.js';

interface ApproveOptions extends ClientOptions {
  readonly comment?: string;
  readonly reject?: boolean;
}

/**
 * `journey approve <clientId> <criterion>`: records the caller's approval (or, with `--reject`,
 * rejection) of an approval criterion. The approver is the token's name, its role the token's.
 */
export function registerApproveCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  clientCommand(program, {
    name: 'approve',
    description:
      "Approve (or reject) an approval criterion of the journey's current stage, as the token's owner.",
    examples: [
      ['journey approve acme demo_approved', 'approve the sandbox demo'],
      ['journey approve acme demo_approved --comment "great demo"', 'with a comment'],
      ['journey approve acme demo_approved --reject --comment "not yet"', 'reject it'],
    ],
  })
    .argument('<clientId>', 'the client whose journey it is', slug)
    .argument('<criterion>', 'the approval criterion, e.g. demo_approved', slug)
    .option('--comment <text>', 'a comment kept with the decision', comment)
    .option('--reject', 'record a rejection instead of an approval')
    .action(
      async (clientId: string, criterion: string, options: ApproveOptions, command: Command) => {
        await runClientCommand(command, context, settings, options, async ({ client, out }) => {
          const decision = options.reject === true ? 'rejected' : 'approved';
          const journey = await client.approve(clientId, {
            criterion,
            decision,
            ...(options.comment === undefined ? {} : { comment: options.comment }),
          });
          if (out.json) {
            out.printJson(journey);
            return;
          }
          const note = statusNote(journey.statusDetail);
          out.write(
            `${out.style.bold(clientId)}: ${criterion} ${decision}; journey ${journey.currentStage}, ${journey.status}${note === '' ? '' : `: ${note}`}\n`,
          );
        });
      },
    );
}
