import type { Command } from 'commander';
import { Option } from 'commander';
import { WORKING_STAGES } from '../../domain/index.js';
import { reason, slug } from '../arguments.js';
import { clientCommand } from '../client-command-builder.js';
import { runClientCommand, type ClientCommandSettings } from '../client-command.js';
import type { ClientOptions } from '../client-options.js';
import type { CommandContext } from '../context.js';

interface RollbackOptions extends ClientOptions {
  readonly reason: string;
  readonly to?: string;
}

/** `journey rollback <clientId> --reason`: rolls back to the previous stage (operator). */
export function registerRollbackCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  clientCommand(program, {
    name: 'rollback',
    description:
      'Roll back to the previous stage: the stage being left is torn down by its rollback unit.',
    examples: [
      ['journey rollback acme --reason "pilot users report bad results"', 'back one stage'],
      ['journey rollback acme --reason "..." && journey watch acme', 'and follow the teardown'],
    ],
  })
    .argument('<clientId>', 'the client whose journey to roll back', slug)
    .requiredOption('--reason <text>', 'why, for the audit trail (required)', reason)
    .addOption(
      new Option('--to <stage>', 'the stage expected (must be the previous one)').choices(
        WORKING_STAGES,
      ),
    )
    .action(async (clientId: string, options: RollbackOptions, command: Command) => {
      await runClientCommand(command, context, settings, options, async ({ client, out }) => {
        const journey = await client.rollback(clientId, {
          reason: options.reason,
          ...(options.to === undefined ? {} : { to: options.to }),
        });
        if (out.json) {
          out.printJson(journey);
          return;
        }
        const rollback = journey.rollback;
        out.write(
          rollback === null
            ? `${out.style.bold(clientId)}: ${journey.currentStage}, ${journey.status}\n`
            : `${out.style.bold(clientId)}: rolling back ${rollback.fromStage} -> ${rollback.toStage} (unit ${rollback.workId})\nfollow it with: journey watch ${clientId}\n`,
        );
      });
    });
}
