import type { Command } from 'commander';
import { slug } from '../arguments.js';
import { clientCommand } from '../client-command-builder.js';
import { runClientCommand, type ClientCommandSettings } from '../client-command.js';
import type { ClientOptions } from '../client-options.js';
import type { CommandContext } from '../context.js';
import { renderTimeline } from '../render/timeline.js';

interface HistoryOptions extends ClientOptions {
  readonly journeyOnly?: boolean;
}

/** `journey history <clientId>`: the timeline of the journey's events and its units' events. */
export function registerHistoryCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  clientCommand(program, {
    name: 'history',
    description: "The timeline of a client's journey: every event of it and its units of work.",
    examples: [
      ['journey history acme', 'oldest first'],
      ['journey history acme --journey-only', 'stages, gates, approvals; no task events'],
      ['journey history acme --json | jq ".items[].type"', 'the event types'],
    ],
  })
    .argument('<clientId>', 'the client whose journey to show', slug)
    .option('--journey-only', "only the journey's own events, not its units' task events")
    .action(async (clientId: string, options: HistoryOptions, command: Command) => {
      await runClientCommand(command, context, settings, options, async ({ client, out }) => {
        const events = await client.events(clientId);
        if (out.json) {
          out.printJson(events);
        } else {
          out.write(
            renderTimeline(events, out.style, { journeyOnly: options.journeyOnly === true }),
          );
        }
      });
    });
}
