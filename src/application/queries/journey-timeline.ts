import { toMillis, type Millis } from '../../domain/index.js';
import type { JourneyRecord, ReadModels } from '../ports.js';

/**
 * When things happened to journeys, as instants (epoch ms), read from the read models' stage
 * histories (500 rows a page, no events): the raw material of the success metrics over time.
 */
export interface JourneyTimeline {
  /** One per journey: when it started. */
  readonly started: readonly Millis[];
  /** One per journey that reached production: when, and how long after its start. */
  readonly reachedProduction: readonly { readonly at: Millis; readonly afterMs: Millis }[];
  /** Every promotion into pilot or production. */
  readonly promotions: readonly Millis[];
  /** Every rollback started. */
  readonly rollbacks: readonly Millis[];
}

const PAGE_SIZE = 500;

export async function collectJourneyTimeline(
  readModels: Pick<ReadModels, 'listJourneys'>,
): Promise<JourneyTimeline> {
  const timeline = {
    started: [] as Millis[],
    reachedProduction: [] as { at: Millis; afterMs: Millis }[],
    promotions: [] as Millis[],
    rollbacks: [] as Millis[],
  };
  let cursor: string | null = null;
  do {
    const page = await readModels.listJourneys({ limit: PAGE_SIZE, cursor });
    for (const record of page.items) {
      addJourney(timeline, record);
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  return timeline;
}

function addJourney(
  timeline: {
    started: Millis[];
    reachedProduction: { at: Millis; afterMs: Millis }[];
    promotions: Millis[];
    rollbacks: Millis[];
  },
  record: JourneyRecord,
): void {
  const startedAt = toMillis(record.startedAt);
  timeline.started.push(startedAt);
  let reached = false;
  for (const transition of record.state.stageHistory) {
    const at = toMillis(transition.transitionedAt);
    if (transition.kind === 'promotion') {
      timeline.promotions.push(at);
    } else if (transition.kind === 'rollback_started') {
      timeline.rollbacks.push(at);
    }
    if (!reached && transition.toStage === 'production') {
      reached = true;
      timeline.reachedProduction.push({ at, afterMs: at - startedAt });
    }
  }
}
