import { InvalidArgumentError, type Command } from 'commander';
import { DAY, MINUTE } from '../../domain/index.js';
import { durationWithin, lineOfText, slug } from '../arguments.js';
import { clientCommand } from '../client-command-builder.js';
import { runClientCommand, type ClientCommandSettings } from '../client-command.js';
import type { ClientOptions } from '../client-options.js';
import type { CommandContext } from '../context.js';
import { errorWriterOf } from '../output.js';
import { formatInstant } from '../render/format.js';

interface SignOffLinkOptions extends ClientOptions {
  readonly expiresIn?: string;
  readonly name?: string;
  readonly note?: string;
}

/**
 * `journey sign-off-link <clientId> <criterion>`: issues a single-use, expiring link the client
 * approves through without an account (docs/evidence.md), and prints its URL.
 */
export function registerSignOffLinkCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  clientCommand(program, {
    name: 'sign-off-link',
    description:
      'Issue a single-use, expiring link for the client to approve one criterion without an account; prints the URL.',
    examples: [
      ['journey sign-off-link acme demo_approved', 'works once, for 72 h'],
      [
        'journey sign-off-link acme demo_approved --expires-in 24h --name "Jane Doe" --note "the demo of 3 May"',
        'named, with a note on the page',
      ],
      ['journey sign-off-link acme demo_approved --json | jq -r .url', 'the URL alone'],
    ],
  })
    .argument('<clientId>', 'the client whose journey it is', slug)
    .argument(
      '<criterion>',
      'an approval criterion of the current stage that allows role client',
      slug,
    )
    .option(
      '--expires-in <duration>',
      'how long the link works, 1m to 30d (default: 72h)',
      durationWithin(MINUTE, 30 * DAY, '1m to 30d'),
    )
    .option(
      '--name <name>',
      'who the client is (the approver becomes client:<name>)',
      lineOfText(100),
    )
    .option('--note <text>', 'shown to the client on the page (1 to 1000 characters)', note)
    .action(
      async (
        clientId: string,
        criterion: string,
        options: SignOffLinkOptions,
        command: Command,
      ) => {
        await runClientCommand(command, context, settings, options, async ({ client, out }) => {
          const link = await client.issueSignOffLink(clientId, {
            criterion,
            ...(options.expiresIn === undefined ? {} : { expiresIn: options.expiresIn }),
            ...(options.name === undefined ? {} : { approverName: options.name }),
            ...(options.note === undefined ? {} : { note: options.note }),
          });
          if (out.json) {
            out.printJson(link);
            return;
          }
          // The URL alone on stdout, so `url=$(journey sign-off-link …)` works; the rest for people.
          out.write(`${link.url}\n`);
          errorWriterOf(command)(
            `single use, for ${link.criterion} in ${link.stage}${link.approverName === null ? '' : ` by ${link.approverName}`}, until ${formatInstant(link.expiresAt)} (UTC)\n`,
          );
        });
      },
    );
}

function note(value: string): string {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > 1_000) {
    throw new InvalidArgumentError('give a note of 1 to 1000 characters.');
  }
  return trimmed;
}
