import type { EventList } from '../client/views.js';
import { describeEvent, type DomainEventData } from './events.js';
import { clip, formatInstant } from './format.js';
import { toneOf, type Style } from './style.js';
import { table } from './table.js';

/**
 * `history`: every event of the journey and its units, oldest first, one line each;
 * `journeyOnly` keeps the journey's own (stages, gates, approvals, rollbacks).
 */
export function renderTimeline(
  events: EventList,
  style: Style,
  options: { readonly journeyOnly?: boolean } = {},
): string {
  const units = new Map<string, string>();
  const items =
    options.journeyOnly === true
      ? events.items.filter((item) => item.streamType === 'journey')
      : events.items;
  const rows = items.map((item) => {
    const data = item.data as DomainEventData;
    if (data.type === 'UnitOfWorkCreated' && 'stage' in data && 'purpose' in data) {
      units.set(item.streamId, `${data.stage} ${data.purpose}`);
    }
    const where = item.streamType === 'journey' ? 'journey' : (units.get(item.streamId) ?? 'unit');
    return [
      formatInstant(item.occurredAt),
      where,
      tone(style, item.type)(item.type),
      clip(describeEvent(data), 100),
      item.metadata.causedBy,
    ];
  });
  return `${style.bold(`Timeline of ${events.clientId} (journey ${events.journeyId}), ${items.length} events`)}\n${table(['WHEN (UTC)', 'WHERE', 'EVENT', 'WHAT', 'BY'], rows)}`;
}

function tone(style: Style, type: string): (text: string) => string {
  if (/Failed|Cancelled|Overdue|Rejected/.test(type)) {
    return toneOf(style, 'failed');
  }
  if (/Rollback/.test(type)) {
    return toneOf(style, 'rollback');
  }
  return /Completed|Promoted|Granted/.test(type) ? toneOf(style, 'passed') : (text) => text;
}
