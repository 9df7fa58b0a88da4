import { InvalidArgumentError, type Command } from 'commander';
import { DAY, MINUTE } from '../../domain/index.js';
import { durationWithin, exitWithUsageCode, lineOfText, reason, slug } from '../arguments.js';
import { clientCommand } from '../client-command-builder.js';
import { runClientCommand, type ClientCommandSettings } from '../client-command.js';
import type { ClientOptions } from '../client-options.js';
import type { CommandContext } from '../context.js';
import { errorWriterOf } from '../output.js';
import { formatInstant } from '../render/format.js';
import { renderSignOffLinks } from '../render/sign-off-links.js';

interface SignOffLinkOptions extends ClientOptions {
  readonly expiresIn?: string;
  readonly name?: string;
  readonly note?: string;
}

/**
 * Client sign-off links (docs/evidence.md): `journey sign-off-link [issue] <clientId>
 * <criterion>` issues a single-use, expiring link the client approves through without an
 * account and prints its URL; `journey sign-off-link revoke <clientId> <linkId>` withdraws one
 * that was not used; `journey sign-off-links <clientId>` lists the journey's links.
 */
export function registerSignOffLinkCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  // The parent has no options of its own, so `journey sign-off-link acme demo_approved` is `issue`.
  const group = exitWithUsageCode(
    program
      .command('sign-off-link')
      .description(
        'Issue a single-use sign-off link for the client (the default), or revoke one (operator).',
      )
      .addHelpText(
        'after',
        '\nWithout a subcommand: issue. Examples:\n  $ journey sign-off-link acme demo_approved\n  $ journey sign-off-link revoke acme Xq3… --reason "sent to the wrong person"\n  $ journey sign-off-links acme\n',
      ),
  );
  registerIssue(group, context, settings);
  registerRevoke(group, context, settings);
  registerList(program, context, settings);
}

function registerIssue(
  group: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  clientCommand(group, {
    name: 'issue',
    isDefault: true,
    description:
      'Issue a single-use, expiring link for the client to approve one criterion without an account; prints the URL.',
    examples: [
      ['journey sign-off-link acme demo_approved', 'works once, for 72 h'],
      [
        'journey sign-off-link acme demo_approved --expires-in 24h --name "Jane Doe" --note "the demo of 3 May"',
        'named, with a note on the page',
      ],
      ['journey sign-off-link acme demo_approved --json | jq -r .url', 'the URL alone'],
      ['journey sign-off-link issue revoke demo_approved', 'for a client named "revoke"'],
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
            `single use, for ${link.criterion} in ${link.stage}${link.approverName === null ? '' : ` by ${link.approverName}`}, until ${formatInstant(link.expiresAt)} (UTC); link id ${link.linkId}\n`,
          );
        });
      },
    );
}

function registerRevoke(
  group: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  clientCommand(group, {
    name: 'revoke',
    description:
      'Revoke a sign-off link that was not used (operator): the client is refused from then on.',
    examples: [
      [
        'journey sign-off-link revoke acme Xq3yVb0kT2mLr8sN1pQwZA --reason "sent to the wrong person"',
        'the id is in `journey sign-off-links acme`',
      ],
    ],
  })
    .argument('<clientId>', 'the client whose journey it is', slug)
    .argument('<linkId>', 'the link id (`journey sign-off-links <clientId>` lists them)', linkId)
    .option('--reason <text>', 'why, kept with the link', reason)
    .action(
      async (
        clientId: string,
        id: string,
        options: ClientOptions & { readonly reason?: string },
        command: Command,
      ) => {
        await runClientCommand(command, context, settings, options, async ({ client, out }) => {
          const link = await client.revokeSignOffLink(clientId, id, options.reason);
          if (out.json) {
            out.printJson(link);
            return;
          }
          out.write(
            `sign-off link ${out.style.bold(link.linkId)} (${link.criterion} in ${link.stage}) revoked\n`,
          );
        });
      },
    );
}

function registerList(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  clientCommand(program, {
    name: 'sign-off-links',
    description:
      "List the sign-off links issued for the client's journey with their status (never their URLs).",
    examples: [
      ['journey sign-off-links acme', 'open, used, expired, revoked or stale, oldest first'],
      [
        'journey sign-off-links acme --json | jq -r \'.items[] | select(.status == "open") | .linkId\'',
        'the open ones',
      ],
    ],
  })
    .argument('<clientId>', 'the client whose journey it is', slug)
    .action(async (clientId: string, options: ClientOptions, command: Command) => {
      await runClientCommand(command, context, settings, options, async ({ client, out }) => {
        const list = await client.signOffLinks(clientId);
        if (out.json) {
          out.printJson(list);
        } else {
          out.write(renderSignOffLinks(list, out.style));
        }
      });
    });
}

function note(value: string): string {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > 1_000) {
    throw new InvalidArgumentError('give a note of 1 to 1000 characters.');
  }
  return trimmed;
}

/** A link id as issued: 22 characters of base64url. */
function linkId(value: string): string {
  if (!/^[A-Za-z0-9_-]{22}$/.test(value)) {
    throw new InvalidArgumentError('expected a sign-off link id (22 characters: A-Z a-z 0-9 _ -).');
  }
  return value;
}
