import type { Command } from 'commander';
import { slug } from '../arguments.js';
import { clientCommand } from '../client-command-builder.js';
import { runClientCommand, type ClientCommandSettings } from '../client-command.js';
import type { ClientOptions } from '../client-options.js';
import type { CommandContext } from '../context.js';
import { EXIT_CODES } from '../exit-codes.js';
import { untilInterrupted } from '../interrupt.js';
import { isTerminal } from '../output.js';
import { describeEnd, watchJourney } from '../watch/journey-watch.js';

/**
 * `journey watch <clientId>`: live progress of the journey (its unit's tasks as they run, then
 * the gate) from the event stream, until it waits for a person, ends, or Ctrl-C.
 */
export function registerWatchCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  clientCommand(program, {
    name: 'watch',
    description:
      "Follow a journey live: its unit's tasks as they run, then the gate; ends when it waits for a person or ends.",
    examples: [
      ['journey start acme && journey watch acme', 'follow the sandbox setup'],
      ['journey watch acme --json | jq .status', 'progress on stderr, the final journey as JSON'],
      ['journey watch acme; journey approve acme demo_approved', 'watch until it is your turn'],
    ],
  })
    .argument('<clientId>', 'the client whose journey to follow', slug)
    .action(async (clientId: string, options: ClientOptions, command: Command) => {
      await runClientCommand(command, context, settings, options, async ({ client, out }) => {
        out.note(`watching ${clientId} (Ctrl-C stops watching; the journey goes on)\n`);
        // A person at a terminal is told why the lines paused; a script only sees none missing.
        const tty = out.json ? process.stderr.isTTY : isTerminal(command);
        const end = await untilInterrupted((signal) =>
          watchJourney(client, clientId, {
            style: out.style,
            signal,
            onLine: (line) => out.note(`${line}\n`),
            ...(tty ? { onReconnecting: () => out.note('reconnecting…\n') } : {}),
          }),
        );
        out.note(`${describeEnd(end, out.style)}\n`);
        if (end.kind === 'interrupted') {
          context.fail(EXIT_CODES.interrupted, 'interrupted');
          return;
        }
        if (out.json) {
          out.printJson(end.journey);
        }
      });
    });
}
