import { InvalidArgumentError, type Command } from 'commander';
import {
  dateTime,
  durationWithin,
  exitWithUsageCode,
  freezeId,
  lineOfText,
  reason,
  timeZone,
} from '../arguments.js';
import { clientCommand } from '../client-command-builder.js';
import { runClientCommand, type ClientCommandSettings } from '../client-command.js';
import type { ClientOptions } from '../client-options.js';
import type { FreezeRequest } from '../client/views.js';
import type { CommandContext } from '../context.js';
import { renderFreezes } from '../render/controls.js';

interface AddOptions extends ClientOptions {
  readonly id: string;
  readonly from?: string;
  readonly to?: string;
  readonly schedule?: string;
  readonly duration?: string;
  readonly timezone?: string;
  readonly description?: string;
  readonly reason?: string;
}

/**
 * `journey freeze list|add|remove`: fleet-wide freeze windows (docs/controls.md "Freeze
 * windows"), kept in the database so every process sees them at its next promotion attempt.
 * Listing is for every role, adding and removing for admins.
 */
export function registerFreezeCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  const freeze = exitWithUsageCode(
    program
      .command('freeze')
      .description('Fleet-wide freeze windows: no promotion starts while one is in force.')
      .addHelpText(
        'after',
        '\nWithout a subcommand: list. Examples:\n  $ journey freeze list\n  $ journey freeze add --id weekend --schedule "0 18 * * 5" --duration 60h --timezone Europe/Berlin\n  $ journey freeze remove weekend\n',
      ),
  );
  clientCommand(freeze, {
    name: 'list',
    isDefault: true,
    description: 'List the global freezes and whether each is in force now.',
    examples: [
      ['journey freeze list', 'a table'],
      ['journey freeze --json | jq ".[].freezeId"', 'for scripts (the list is the default)'],
    ],
  }).action(async (options: ClientOptions, command: Command) => {
    await runClientCommand(command, context, settings, options, async ({ client, out }) => {
      const { freezes } = await client.controls();
      if (out.json) {
        out.printJson(freezes);
      } else {
        out.write(renderFreezes(freezes, out.style));
      }
    });
  });

  clientCommand(freeze, {
    name: 'add',
    description:
      'Add a global freeze (admin): one-off (--from, --to) or recurring (--schedule, --duration).',
    examples: [
      [
        'journey freeze add --id year-end --from 2026-12-20T00:00 --to 2027-01-04T00:00 --timezone Europe/Berlin',
        'one-off',
      ],
      [
        'journey freeze add --id weekend --schedule "0 18 * * 5" --duration 60h --reason "no weekend changes"',
        'every Friday 18:00 for 60 h',
      ],
    ],
  })
    .requiredOption('--id <id>', "the freeze's id (letters, digits, . _ : -)", freezeId)
    .option('--from <date-time>', 'one-off: start, ISO 8601 (no offset: in --timezone)', dateTime)
    .option('--to <date-time>', 'one-off: end, after --from', dateTime)
    .option('--schedule <cron>', 'recurring: cron schedule of each start, e.g. "0 18 * * 5"', cron)
    .option(
      '--duration <duration>',
      'recurring: how long each lasts, e.g. 60h',
      durationWithin(1, Number.MAX_SAFE_INTEGER, '1ms up'),
    )
    .option('--timezone <zone>', 'IANA time zone (default: UTC)', timeZone)
    .option('--description <text>', 'what it is for', lineOfText(1_000))
    .option('--reason <text>', 'why, for the audit trail', reason)
    .action(async (options: AddOptions, command: Command) => {
      // Checked before any request: exactly one of the two pairs, each whole.
      const oneOff = options.from !== undefined || options.to !== undefined;
      const recurring = options.schedule !== undefined || options.duration !== undefined;
      if (oneOff === recurring) {
        command.error(
          'error: give either --from and --to (one-off) or --schedule and --duration (recurring)',
          { exitCode: 64, code: 'commander.invalidArgument' },
        );
      }
      const missing = oneOff
        ? options.from === undefined
          ? '--from'
          : options.to === undefined
            ? '--to'
            : undefined
        : options.schedule === undefined
          ? '--schedule'
          : options.duration === undefined
            ? '--duration'
            : undefined;
      if (missing !== undefined) {
        command.error(`error: ${missing} is missing`, {
          exitCode: 64,
          code: 'commander.invalidArgument',
        });
      }
      const { json: _json, verbose: _verbose, url: _url, token: _token, ...window } = options;
      const body: FreezeRequest = window;
      await runClientCommand(command, context, settings, options, async ({ client, out }) => {
        const view = await client.addFreeze(body);
        if (out.json) {
          out.printJson(view);
          return;
        }
        const added = view.freezes.find((f) => f.freezeId === options.id);
        const now =
          added?.activeNow == null
            ? 'not in force now'
            : `in force now, until ${added.activeNow.until}`;
        out.write(`freeze ${out.style.bold(options.id)} added (${now})\n`);
      });
    });

  clientCommand(freeze, {
    name: 'remove',
    description: 'Remove a global freeze (admin).',
    examples: [
      ['journey freeze remove year-end --reason "lifted early"', 'the reason is optional'],
    ],
  })
    .argument('<id>', "the freeze's id", freezeId)
    .option('--reason <text>', 'why, for the audit trail', reason)
    .action(async (id: string, options: ClientOptions & { reason?: string }, command: Command) => {
      await runClientCommand(command, context, settings, options, async ({ client, out }) => {
        const view = await client.removeFreeze(id, options.reason);
        if (out.json) {
          out.printJson(view);
          return;
        }
        out.write(`freeze ${out.style.bold(id)} removed\n`);
      });
    });
}

/** Five or six cron fields; the server checks the fields themselves (422 FREEZE_INVALID). */
function cron(value: string): string {
  const fields = value.trim().split(/\s+/);
  if (value.length > 200 || fields.length < 5 || fields.length > 6) {
    throw new InvalidArgumentError('expected a cron schedule of 5 or 6 fields, e.g. "0 18 * * 5".');
  }
  return value.trim();
}
