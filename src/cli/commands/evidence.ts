import { Option, type Command } from 'commander';
import { slug } from '../arguments.js';
import { clientCommand } from '../client-command-builder.js';
import { runClientCommand, type ClientCommandSettings } from '../client-command.js';
import type { ClientOptions } from '../client-options.js';
import type { CommandContext } from '../context.js';

interface EvidenceOptions extends ClientOptions {
  readonly format?: 'json' | 'markdown';
}

/**
 * `journey evidence <clientId>`: every gate evaluation and decision of the journey
 * (docs/evidence.md), as the server's Markdown report (the default) or its JSON.
 */
export function registerEvidenceCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  clientCommand(program, {
    name: 'evidence',
    description:
      "The journey's evidence: every gate evaluation and decision by stage visit (Markdown or JSON).",
    examples: [
      ['journey evidence acme > acme-evidence.md', 'the report a client could be shown'],
      ['journey evidence acme --format json', 'the same as --json'],
    ],
  })
    .argument('<clientId>', 'the client whose journey it is', slug)
    .addOption(
      new Option('--format <format>', 'markdown to stdout, or json (default: markdown)').choices([
        'json',
        'markdown',
      ]),
    )
    .action(async (clientId: string, options: EvidenceOptions, command: Command) => {
      if (options.json === true && options.format === 'markdown') {
        command.error('error: --json and --format markdown contradict each other', {
          exitCode: 64,
          code: 'commander.conflictingOption',
        });
      }
      const json = options.json === true || options.format === 'json';
      await runClientCommand(
        command,
        context,
        settings,
        { ...options, json },
        async ({ client, out }) => {
          if (json) {
            out.printJson(await client.evidence(clientId));
            return;
          }
          const markdown = await client.evidenceMarkdown(clientId);
          out.write(markdown.endsWith('\n') ? markdown : `${markdown}\n`);
        },
      );
    });
}
