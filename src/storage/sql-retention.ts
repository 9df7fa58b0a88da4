import type { PruneReport } from '../application/ports.js';
import type { Instant } from '../domain/index.js';
import type { Dialect } from './dialect.js';
import { placeholders, type SqlDriver, type SqlSession } from './sql.js';

/** How many journeys one prune transaction removes: keeps each transaction short. */
const BATCH = 200;

/**
 * Removes the whole history of journeys that ended before `cutoff`: their events (journey and
 * units of work), streams, read-model rows and work items. Active journeys are never touched:
 * the selection requires `active = false` and an end time, in the same statement.
 */
export async function prune(
  driver: SqlDriver,
  dialect: Dialect,
  cutoff: Instant,
  dryRun: boolean,
): Promise<PruneReport> {
  const totals = { journeys: 0, unitsOfWork: 0, events: 0, workItems: 0 };
  const journeyIds: string[] = [];
  let after = '';
  for (;;) {
    const batch = await driver.transaction(async (session) => {
      const rows = await session.all(
        `SELECT journey_id FROM journeys WHERE active = $1 AND ended_at IS NOT NULL AND ended_at < $2
           AND journey_id > $3 ORDER BY journey_id LIMIT $4`,
        [dialect.bool(false), cutoff, after, BATCH],
      );
      const ids = rows.map((row) => String(row.journey_id));
      if (ids.length > 0) {
        const counts = await removeJourneys(session, dialect, ids, dryRun);
        totals.journeys += ids.length;
        totals.unitsOfWork += counts.unitsOfWork;
        totals.events += counts.events;
        totals.workItems += counts.workItems;
      }
      return ids;
    });
    journeyIds.push(...batch);
    if (batch.length < BATCH) {
      break;
    }
    after = batch.at(-1) ?? after;
  }
  return { cutoff, ...totals, journeyIds };
}

async function removeJourneys(
  session: SqlSession,
  dialect: Dialect,
  ids: readonly string[],
  dryRun: boolean,
): Promise<{ unitsOfWork: number; events: number; workItems: number }> {
  const byJourney = `journey_id IN (${placeholders(ids.length)})`;
  const units = await session.all(`SELECT work_id FROM units_of_work WHERE ${byJourney}`, ids);
  // Events are found by stream (the journey's and its units'), through the stream/version key.
  const streams = [...ids, ...units.map((row) => String(row.work_id))];
  const byStream = `stream_id IN (${placeholders(streams.length)})`;
  if (dryRun) {
    const [events] = await session.all(
      `SELECT COUNT(*) AS n FROM events WHERE ${byStream}`,
      streams,
    );
    const [items] = await session.all(
      `SELECT COUNT(*) AS n FROM work_items WHERE ${byJourney}`,
      ids,
    );
    return {
      unitsOfWork: units.length,
      events: Number(events?.n ?? 0),
      workItems: Number(items?.n ?? 0),
    };
  }
  await dialect.beforeDeletingEvents(session);
  const events = await session.run(`DELETE FROM events WHERE ${byStream}`, streams);
  const unitsOfWork = await session.run(`DELETE FROM units_of_work WHERE ${byJourney}`, ids);
  const workItems = await session.run(`DELETE FROM work_items WHERE ${byJourney}`, ids);
  // The relay's dead letters hold whole events: they go with the rest of the history.
  await session.run(`DELETE FROM outlet_dead_letters WHERE ${byJourney}`, ids);
  await session.run(`DELETE FROM sign_off_links WHERE ${byJourney}`, ids);
  await session.run(`DELETE FROM journeys WHERE ${byJourney}`, ids);
  return { unitsOfWork, events, workItems };
}
