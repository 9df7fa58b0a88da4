import type { Command } from 'commander';
import { Option } from 'commander';
import { JOURNEY_STATUS_KINDS, Stage } from '../../domain/index.js';
import { integerFrom, slug } from '../arguments.js';
import { clientCommand } from '../client-command-builder.js';
import { runClientCommand, type ClientCommandSettings } from '../client-command.js';
import type { ClientOptions } from '../client-options.js';
import type { CommandContext } from '../context.js';
import { renderJourney, renderJourneyList } from '../render/journey.js';
import { renderBlockers } from '../render/readiness.js';

interface StatusOptions extends ClientOptions {
  readonly stage?: string;
  readonly status?: string;
  readonly active?: boolean;
  readonly limit: number;
  readonly blockers?: boolean;
}

/**
 * `journey status [clientId]`: without an id, a table of journeys (newest first); with one,
 * the journey with its stage history, current unit of work and latest exit-criteria results.
 */
export function registerStatusCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  clientCommand(program, {
    name: 'status',
    description:
      'Show journeys: a table of them, or one with its history, unit of work and exit criteria.',
    examples: [
      ['journey status', 'every journey, newest first (50)'],
      ['journey status --active --stage pilot', 'active journeys in the pilot'],
      ['journey status acme', "acme's journey in detail"],
      ['journey status acme --blockers', 'also what blocks promotion now (evaluates the criteria)'],
      ['journey status acme --json', 'the API’s JSON for scripts'],
    ],
  })
    .argument('[clientId]', 'the client whose journey to show in detail', slug)
    .addOption(
      new Option('--stage <stage>', 'only journeys in this stage').choices(Object.values(Stage)),
    )
    .addOption(
      new Option('--status <status>', 'only journeys with this status').choices(
        JOURNEY_STATUS_KINDS,
      ),
    )
    .option('--active', 'only journeys that have not ended')
    .option('--limit <n>', 'at most this many journeys (1-500)', integerFrom(1, 500), 50)
    .option(
      '--blockers',
      'with a client id: also what blocks promotion now (`journey readiness`; reads every source)',
    )
    .action(async (clientId: string | undefined, options: StatusOptions, command: Command) => {
      await runClientCommand(command, context, settings, options, async ({ client, out }) => {
        if (clientId !== undefined) {
          // Readiness evaluates every criterion now, so it is asked for only with --blockers.
          const [journey, readiness] = await Promise.all([
            client.journey(clientId),
            options.blockers === true ? client.readiness(clientId) : undefined,
          ]);
          if (out.json) {
            out.printJson(readiness === undefined ? journey : { ...journey, readiness });
            return;
          }
          out.write(renderJourney(journey, out.style));
          if (readiness !== undefined) {
            out.write(`\n${out.style.bold(`Blockers now: ${readiness.summary}`)}\n`);
            out.write(renderBlockers(readiness.blockers, out.style));
          }
          return;
        }
        const page = await client.listJourneys({
          ...(options.stage === undefined ? {} : { stage: options.stage }),
          ...(options.status === undefined ? {} : { status: options.status }),
          ...(options.active === true ? { active: true } : {}),
          limit: options.limit,
        });
        if (out.json) {
          out.printJson(page);
        } else {
          out.write(renderJourneyList(page, out.style));
        }
      });
    });
}
