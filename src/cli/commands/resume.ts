import type { Command } from 'commander';
import { reason, slug } from '../arguments.js';
import { clientCommand } from '../client-command-builder.js';
import { runClientCommand, type ClientCommandSettings } from '../client-command.js';
import type { ClientOptions } from '../client-options.js';
import type { CommandContext } from '../context.js';
import { statusNote } from '../render/journey.js';

/** `journey resume <clientId>`: a paused journey goes on; the work that waited runs now. */
export function registerResumeCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  clientCommand(program, {
    name: 'resume',
    description: 'Resume a paused journey: the gate, re-check or setup that waited runs now.',
    examples: [
      ['journey resume acme', 'no reason needed'],
      ['journey resume acme --reason "incident closed"', 'kept when given'],
    ],
  })
    .argument('<clientId>', 'the client whose journey to resume', slug)
    .option('--reason <text>', 'why, for the audit trail', reason)
    .action(
      async (clientId: string, options: ClientOptions & { reason?: string }, command: Command) => {
        await runClientCommand(command, context, settings, options, async ({ client, out }) => {
          const journey = await client.resume(
            clientId,
            options.reason === undefined ? {} : { reason: options.reason },
          );
          if (out.json) {
            out.printJson(journey);
            return;
          }
          const note = statusNote(journey.statusDetail);
          out.write(
            `${out.style.bold(clientId)}: resumed in ${journey.currentStage} (${journey.status}${note === '' ? '' : `: ${note}`})\n`,
          );
        });
      },
    );
}
