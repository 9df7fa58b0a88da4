import type { Command } from 'commander';
import { slug } from '../arguments.js';
import { clientCommand } from '../client-command-builder.js';
import { runClientCommand, type ClientCommandSettings } from '../client-command.js';
import type { ClientOptions } from '../client-options.js';
import type { CommandContext } from '../context.js';

interface StartOptions extends ClientOptions {
  readonly playbook?: string;
}

/** `journey start <clientId>`: starts a client's journey in the sandbox (admin). */
export function registerStartCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  clientCommand(program, {
    name: 'start',
    description: "Start a client's journey: it enters the sandbox and its setup runs.",
    examples: [
      ['journey start acme', 'with the server’s default playbook'],
      ['journey start acme --playbook demo', 'with a playbook the server loaded'],
      ['journey start acme --json | jq .journeyId', 'for scripts'],
    ],
  })
    .argument('<clientId>', 'the client (letters, digits, . _ : -)', slug)
    .option('--playbook <name>', 'the playbook to follow (default: the server’s first)', slug)
    .action(async (clientId: string, options: StartOptions, command: Command) => {
      await runClientCommand(command, context, settings, options, async ({ client, out }) => {
        const journey = await client.startJourney(clientId, options.playbook);
        if (out.json) {
          out.printJson(journey);
          return;
        }
        out.write(
          `started journey ${journey.journeyId} for ${out.style.bold(clientId)} (playbook ${journey.playbook.name} v${journey.playbook.version}): ${journey.currentStage}, ${journey.status}\n` +
            `follow it with: journey watch ${clientId}\n`,
        );
      });
    });
}
