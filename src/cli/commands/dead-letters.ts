import type { Command } from 'commander';
import { integerFrom, outletName } from '../arguments.js';
import { clientCommand } from '../client-command-builder.js';
import { runClientCommand, type ClientCommandSettings } from '../client-command.js';
import type { ClientOptions } from '../client-options.js';
import type { ApiClient } from '../client/api-client.js';
import type { DeadLetterPage, DeadLetterView } from '../client/views.js';
import type { CommandContext } from '../context.js';
import { renderDeadLetters } from '../render/outlets.js';

interface DeadLetterOptions extends ClientOptions {
  readonly limit: number;
  readonly allPages?: boolean;
}

/** `journey dead-letters <outlet>`: the events an outlet gave up on, oldest first. */
export function registerDeadLettersCommand(
  program: Command,
  context: CommandContext,
  settings: ClientCommandSettings,
): void {
  clientCommand(program, {
    name: 'dead-letters',
    description:
      'The events an outlet gave up on, oldest first, with the last error (replay or discard them).',
    examples: [
      ['journey dead-letters crm', 'the first 50'],
      ['journey dead-letters crm --all-pages --json | jq -r ".items[].eventId"', 'every id'],
      ['journey replay crm --all', 'then deliver them all again'],
    ],
  })
    .argument('<outlet>', "the outlet's name (the outlets file's `name`)", outletName)
    .option('--limit <n>', 'dead letters per page (1-500)', integerFrom(1, 500), 50)
    .option('--all-pages', 'follow the pages to the end (--limit is then the page size)')
    .action(async (outlet: string, options: DeadLetterOptions, command: Command) => {
      await runClientCommand(command, context, settings, options, async ({ client, out }) => {
        const page =
          options.allPages === true
            ? await everyPage(client, outlet, options.limit)
            : await client.deadLetters(outlet, { limit: options.limit });
        if (out.json) {
          out.printJson(page);
        } else {
          out.write(renderDeadLetters(outlet, page, out.style));
        }
      });
    });
}

/** Every page, as one page without a next cursor. */
async function everyPage(
  client: ApiClient,
  outlet: string,
  limit: number,
): Promise<DeadLetterPage> {
  const items: DeadLetterView[] = [];
  for (let cursor: string | null = null; ;) {
    const page = await client.deadLetters(outlet, { limit, cursor });
    items.push(...page.items);
    if (page.nextCursor === null) {
      return { items, nextCursor: null };
    }
    cursor = page.nextCursor;
  }
}
