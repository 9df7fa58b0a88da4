import { InvalidArgumentError, type Command } from 'commander';
import { reason, slug } from '../arguments.js';
import { clientCommand } from '../client-command-builder.js';
import { runClientCommand, type ClientCommandSettings } from '../client-command.js';
import type { ClientOptions } from '../client-options.js';
import type { CommandContext } from '../context.js';
import { statusNote } from '../render/journey.js';

type Decision = 'accept' | 'reject';

/** `accept` or `reject`, the words the API takes. */
function decision(value: string): Decision {
  if (value !== 'accept' && value !== 'reject') {
    throw new InvalidArgumentError(`"${value}" is not a decision: say accept or reject.`);
  }
  return value;
}

/**
 * `journey decide <clientId> <criterion> accept|reject --reason`: an operator decides an exit
 * criterion that is inconclusive now (docs/controls.md "Inconclusive gates decided by people"):
 * accept counts it as passed, reject as failed, for this stage visit while it stays
 * inconclusive; the gate is evaluated again at once.
 */
export function registerDecideCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  clientCommand(program, {
    name: 'decide',
    description:
      'Accept (counts as passed) or reject (counts as failed) an inconclusive exit criterion of the current stage, with a reason.',
    examples: [
      [
        'journey decide acme search_quality accept --reason "quality service outage; 91% last week"',
        'count it as passed; the gate is evaluated again at once',
      ],
      [
        'journey decide acme search_quality reject --reason "cannot promote blind"',
        'count it as failed: the journey stays blocked, without a rollback',
      ],
    ],
  })
    .argument('<clientId>', 'the client whose journey it is', slug)
    .argument('<criterion>', 'the inconclusive exit criterion, e.g. search_quality', slug)
    .argument('<decision>', 'accept or reject', decision)
    .requiredOption('--reason <text>', 'why, for the audit trail (required)', reason)
    .action(
      async (
        clientId: string,
        criterion: string,
        chosen: Decision,
        options: ClientOptions & { reason: string },
        command: Command,
      ) => {
        await runClientCommand(command, context, settings, options, async ({ client, out }) => {
          const journey = await client.decideInconclusive(clientId, criterion, {
            decision: chosen,
            reason: options.reason,
          });
          if (out.json) {
            out.printJson(journey);
            return;
          }
          const counted = chosen === 'accept' ? 'counts as passed' : 'counts as failed';
          const note = statusNote(journey.statusDetail);
          out.write(
            `${out.style.bold(clientId)}: ${criterion} ${chosen}ed (${counted} while inconclusive); journey ${journey.currentStage}, ${journey.status}${note === '' ? '' : `: ${note}`}\n`,
          );
        });
      },
    );
}
