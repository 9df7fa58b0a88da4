import type { JourneyRecord, Store } from '../src/application/ports.js';
import { startAppend } from './journey-events.js';
import { collectGarbage, megabytes, round } from './measure.js';

export interface LoadResult {
  readonly journeys: number;
  /** Time to write them (100 journeys per commit), for context only. */
  readonly insertMs: number;
  /** Time to page through every active journey's read model, 500 per page. */
  readonly loadMs: number;
  readonly pages: number;
  /** Retained memory once every record is loaded (after a full GC). */
  readonly loadHeapMB: number;
  readonly loadRssMB: number;
  /** Mean time of one findJourney by id, over `lookups` random ids. */
  readonly findJourneyMicros: number;
}

const PAGE = 500;
const BATCH = 100;
const LOOKUPS = 1000;

/**
 * Writes `count` active journeys (JourneyStarted, through commit), then times loading their
 * read model: paging through `listJourneys({ active: true })` and looking journeys up by id.
 */
export async function measureLoad(store: Store, count: number): Promise<LoadResult> {
  const ids = Array.from({ length: count }, (_, index) => `load-${index}`);
  const insertStarted = performance.now();
  for (let from = 0; from < count; from += BATCH) {
    await store.commit({ appends: ids.slice(from, from + BATCH).map(startAppend) });
  }
  const insertMs = performance.now() - insertStarted;

  collectGarbage();
  const before = process.memoryUsage();
  const loadStarted = performance.now();
  let loaded: JourneyRecord[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await store.listJourneys({ active: true, limit: PAGE, cursor });
    loaded.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor !== null);
  const loadMs = performance.now() - loadStarted;
  collectGarbage();
  const after = process.memoryUsage();
  if (loaded.length !== count) {
    throw new Error(
      `listJourneys({ active: true }) returned ${loaded.length} journeys, not ${count}`,
    );
  }
  loaded = [];

  const lookupStarted = performance.now();
  for (let lookup = 0; lookup < LOOKUPS; lookup += 1) {
    const id = ids[Math.floor(Math.random() * count)] ?? 'load-0';
    if ((await store.findJourney(id)) === null) {
      throw new Error(`findJourney(${id}) found nothing`);
    }
  }
  const findJourneyMicros = ((performance.now() - lookupStarted) * 1000) / LOOKUPS;

  return {
    journeys: count,
    insertMs: round(insertMs),
    loadMs: round(loadMs),
    pages,
    loadHeapMB: megabytes(after.heapUsed - before.heapUsed),
    loadRssMB: megabytes(after.rss - before.rss),
    findJourneyMicros: round(findJourneyMicros),
  };
}
