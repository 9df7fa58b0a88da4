import type { Command } from 'commander';
import { exitWithUsageCode, reason } from '../arguments.js';
import { clientCommand } from '../client-command-builder.js';
import { runClientCommand, type ClientCommandSettings } from '../client-command.js';
import type { ClientOptions } from '../client-options.js';
import type { CommandContext } from '../context.js';
import { renderControls } from '../render/controls.js';

/**
 * `journey controls [show|stop|resume]`: the fleet controls (docs/controls.md). Showing is for
 * every role; stopping the line (no promotion anywhere until resumed) and resuming are for admins.
 */
export function registerControlsCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  // The parent has no options of its own, so `journey controls --json` reaches `show`.
  const controls = exitWithUsageCode(
    program
      .command('controls')
      .description('The fleet controls: stop the line (every promotion), global freezes, changes.')
      .addHelpText(
        'after',
        '\nWithout a subcommand: show. Examples:\n  $ journey controls\n  $ journey controls stop --reason "incident INC-42"\n  $ journey controls resume\n',
      ),
  );
  clientCommand(controls, {
    name: 'show',
    isDefault: true,
    description:
      'Show whether promotions are stopped (by whom, why), the global freezes and recent changes.',
    examples: [
      ['journey controls', 'the same as `journey controls show`'],
      ['journey controls --json | jq .promotions.paused', 'for scripts'],
    ],
  }).action(async (options: ClientOptions, command: Command) => {
    await runClientCommand(command, context, settings, options, async ({ client, out }) => {
      const view = await client.controls();
      if (out.json) {
        out.printJson(view);
      } else {
        out.write(renderControls(view, out.style));
      }
    });
  });

  clientCommand(controls, {
    name: 'stop',
    description:
      'Stop the line (admin): no promotion or completion starts anywhere until resumed; running units finish.',
    examples: [
      ['journey controls stop --reason "incident INC-42"', 'who and why are shown to all'],
    ],
  })
    .requiredOption('--reason <text>', 'why, for the audit trail (required)', reason)
    .action(async (options: ClientOptions & { reason: string }, command: Command) => {
      await runClientCommand(command, context, settings, options, async ({ client, out }) => {
        const view = await client.stopPromotions({ reason: options.reason });
        if (out.json) {
          out.printJson(view);
          return;
        }
        out.write(`promotions stopped fleet-wide; resume with: journey controls resume\n`);
      });
    });

  clientCommand(controls, {
    name: 'resume',
    description:
      'Lift the stop (admin): promotions may start again (held ones at their next re-check).',
    examples: [['journey controls resume --reason "incident closed"', 'the reason is optional']],
  })
    .option('--reason <text>', 'why, for the audit trail', reason)
    .action(async (options: ClientOptions & { reason?: string }, command: Command) => {
      await runClientCommand(command, context, settings, options, async ({ client, out }) => {
        const view = await client.resumePromotions(
          options.reason === undefined ? {} : { reason: options.reason },
        );
        if (out.json) {
          out.printJson(view);
          return;
        }
        out.write('promotions resumed fleet-wide\n');
      });
    });
}
