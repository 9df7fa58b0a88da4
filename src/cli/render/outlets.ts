import type { DeadLetterPage, OutletList } from '../client/views.js';
import { clip, formatInstant } from './format.js';
import type { Style } from './style.js';
import { table } from './table.js';

/** `outlets`: one row per outlet of the event relay. */
export function renderOutlets(list: OutletList, style: Style): string {
  if (list.items.length === 0) {
    return 'no outlet has delivered anything yet (journey serve --outlets FILE starts the relay)\n';
  }
  const rows = list.items.map((o) => [
    style.bold(o.name),
    String(o.delivered),
    o.deadLetters === 0 ? '0' : style.red(String(o.deadLetters)),
    o.deliveringProcess ?? '-',
    formatInstant(o.updatedAt),
  ]);
  return table(['NAME', 'DELIVERED', 'DEAD LETTERS', 'DELIVERING PROCESS', 'UPDATED (UTC)'], rows);
}

/** `dead-letters <outlet>`: the events it gave up on, oldest first. */
export function renderDeadLetters(outlet: string, page: DeadLetterPage, style: Style): string {
  if (page.items.length === 0) {
    return `${outlet} has no dead letters\n`;
  }
  const rows = page.items.map((letter) => [
    letter.eventId,
    letter.type,
    letter.journeyId,
    String(letter.attempts),
    clip(letter.lastError, 60),
    `${formatInstant(letter.deadAt)}${letter.replayRequestedAt === null ? '' : style.yellow(' (replay requested)')}`,
  ]);
  const more =
    page.nextCursor === null
      ? ''
      : 'more dead letters: raise --limit (up to 500) or add --all-pages\n';
  return (
    table(['EVENT ID', 'TYPE', 'JOURNEY', 'ATTEMPTS', 'LAST ERROR', 'DEAD AT (UTC)'], rows) + more
  );
}
