import type { Command } from 'commander';
import { ConfigError } from '../../application/errors.js';
import type { PruneReport } from '../../application/ports.js';
import { addMillis, DAY, parseDuration, type Millis } from '../../domain/index.js';
import type { CommandContext } from '../context.js';
import {
  addDatabaseOption,
  describeDatabase,
  reportingExpectedErrors,
  resolveDatabaseUrl,
  withStore,
  type DatabaseOptions,
  type StoreCommandSettings,
} from '../db-option.js';
import { writerOf } from '../output.js';

interface PruneOptions extends DatabaseOptions {
  readonly olderThan: string;
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

/** A year of retention is 365 days: retention periods are policy, not calendar arithmetic. */
const YEAR: Millis = 365 * DAY;
/** How many journey ids the human output lists before "and N more". */
const LISTED_IDS = 20;

/**
 * `journey prune --older-than 2y`: removes the history (events, read model rows, queued work) of
 * journeys that ended before the cutoff. Active journeys are never pruned, whatever their age.
 */
export function registerPruneCommand(
  program: Command,
  context: CommandContext,
  settings: StoreCommandSettings,
): void {
  const prune = program
    .command('prune')
    .description('Remove the history of journeys that ended long ago (never an active journey).')
    .requiredOption(
      '--older-than <duration>',
      'remove journeys that ended more than this long ago, e.g. 2y, 540d, 12w (a year is 365 days)',
    )
    .option('--dry-run', 'report what would be removed without removing it')
    .option('--json', 'print the result as JSON');
  addDatabaseOption(prune).action(async (options: PruneOptions, command: Command) => {
    await reportingExpectedErrors(command, context, async () => {
      const olderThan = parseRetention(options.olderThan, '--older-than');
      const url = resolveDatabaseUrl(options.db, settings.environment);
      const cutoff = addMillis(settings.clock.now(), -olderThan);
      const dryRun = options.dryRun === true;
      const report = await withStore(settings, url, {}, (store) => store.prune(cutoff, { dryRun }));
      const database = describeDatabase(url);
      writerOf(command)(
        options.json === true
          ? `${JSON.stringify({ database, dryRun, olderThan: options.olderThan.trim(), ...report }, null, 2)}\n`
          : pruneText(database, dryRun, report),
      );
    });
  });
}

/**
 * Reads a retention period: anything `parseDuration` reads (`90d`, `12w`, `1h30m`), optionally
 * preceded by years (`2y`, `1y180d`). Refuses anything else, naming the setting.
 */
export function parseRetention(text: string, setting: string): Millis {
  const match = /^\s*(?:(\d+)y)?(.*?)\s*$/.exec(text);
  const years = Number(match?.[1] ?? 0);
  const rest = match?.[2] ?? '';
  const restMillis = rest === '' ? 0 : parseDuration(rest);
  if (match?.[1] === undefined && rest === '') {
    throw new ConfigError(setting, 'is empty: give a duration such as 2y, 540d or 12w');
  }
  if (restMillis === undefined) {
    throw new ConfigError(
      setting,
      `"${text}" is not a duration: use a number and a unit, e.g. 2y, 540d, 12w (y = 365d, w, d, h, m, s, ms)`,
    );
  }
  return years * YEAR + restMillis;
}

function pruneText(database: string, dryRun: boolean, report: PruneReport): string {
  const ended = `ended before ${report.cutoff}`;
  if (report.journeys === 0) {
    return `nothing to prune in ${database}: no journey ${ended}\n`;
  }
  const lines = [
    dryRun
      ? `dry run: would remove from ${database} the history of journeys ${ended}:`
      : `removed from ${database} the history of journeys ${ended}:`,
    `  journeys       ${report.journeys}`,
    `  units of work  ${report.unitsOfWork}`,
    `  events         ${report.events}`,
    `  work items     ${report.workItems}`,
    `journey ids: ${listIds(report.journeyIds, report.journeys)}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The first ids, then how many more, so a prune of a million journeys stays readable. */
function listIds(ids: readonly string[], total: number): string {
  const shown = ids.slice(0, LISTED_IDS).join(', ');
  const more = Math.max(total, ids.length) - Math.min(ids.length, LISTED_IDS);
  return more > 0 ? `${shown} and ${more} more` : shown;
}
