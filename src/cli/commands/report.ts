import type { Command } from 'commander';
import { clientCommand } from '../client-command-builder.js';
import { runClientCommand, type ClientCommandSettings } from '../client-command.js';
import type { ClientOptions } from '../client-options.js';
import type { CommandContext } from '../context.js';
import { renderSuccessMetrics } from '../render/report.js';

/** `journey report`: the success metrics (time to production, rollback rate, pass rate). */
export function registerReportCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  clientCommand(program, {
    name: 'report',
    description:
      'Success metrics: journeys by stage, time to production, rollback rate, exit-criteria pass rate.',
    examples: [
      ['journey report', 'for people'],
      ['journey report --json | jq .rollbacks.rate', 'for scripts'],
    ],
  }).action(async (options: ClientOptions, command: Command) => {
    await runClientCommand(command, context, settings, options, async ({ client, out }) => {
      const metrics = await client.successMetrics();
      if (out.json) {
        out.printJson(metrics);
      } else {
        out.write(renderSuccessMetrics(metrics, out.style));
      }
    });
  });
}
