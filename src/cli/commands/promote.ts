import type { Command } from 'commander';
import { Option } from 'commander';
import { reason, slug } from '../arguments.js';
import { clientCommand } from '../client-command-builder.js';
import { runClientCommand, type ClientCommandSettings } from '../client-command.js';
import type { ClientOptions } from '../client-options.js';
import type { CommandContext } from '../context.js';
import { statusNote } from '../render/journey.js';

interface PromoteOptions extends ClientOptions {
  readonly to?: string;
  readonly reason?: string;
  readonly overrideFreeze?: string;
}

/**
 * `journey promote <clientId>`: validates the current stage's exit criteria, then promotes (from
 * production: completes). A gate that refuses exits 4 with the failing criteria.
 */
export function registerPromoteCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  clientCommand(program, {
    name: 'promote',
    description:
      'Validate the exit criteria, then promote to the next stage (from production: complete).',
    examples: [
      ['journey promote acme', 'to the next stage'],
      ['journey promote acme --to pilot', 'refused unless pilot is the next stage'],
      ['journey promote acme --reason "client signed off"', 'kept in the audit trail'],
      [
        'journey promote acme --override-freeze "security fix, CAB-118"',
        'admin: through a freeze in force (recorded)',
      ],
    ],
  })
    .argument('<clientId>', 'the client whose journey to promote', slug)
    .addOption(
      new Option('--to <stage>', 'the stage expected next (a skip is refused)').choices([
        'pilot',
        'production',
        'completed',
      ]),
    )
    .option('--reason <text>', 'why, for the audit trail', reason)
    .option(
      '--override-freeze <reason>',
      'admin: promote although a freeze is in force (not a pause, a stop or the soak time); the reason is recorded',
      reason,
    )
    .action(async (clientId: string, options: PromoteOptions, command: Command) => {
      await runClientCommand(command, context, settings, options, async ({ client, out }) => {
        const journey = await client.promote(clientId, {
          ...(options.to === undefined ? {} : { to: options.to }),
          ...(options.reason === undefined ? {} : { reason: options.reason }),
          ...(options.overrideFreeze === undefined
            ? {}
            : { overrideFreeze: { reason: options.overrideFreeze } }),
        });
        if (out.json) {
          out.printJson(journey);
          return;
        }
        const note = statusNote(journey.statusDetail);
        out.write(
          journey.currentStage === 'completed'
            ? `${out.style.bold(clientId)}: journey completed\n`
            : `${out.style.bold(clientId)}: promoted to ${journey.currentStage} (${journey.status}${note === '' ? '' : `: ${note}`})\n`,
        );
      });
    });
}
