import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient } from '../client/api-client.js';
import type { JourneyView } from '../client/views.js';
import type { Style } from '../render/style.js';
import { ProgressTracker } from './progress.js';
import { pauseOf, type Pause } from './waiting.js';

/** How a watch ended: the journey paused (a person's turn) or ended, or the watcher stopped. */
export type WatchEnd =
  | {
      readonly kind: 'paused';
      readonly journey: JourneyView;
      readonly pause: Exclude<Pause, { kind: 'moving' }>;
    }
  | { readonly kind: 'interrupted' };

export interface WatchOptions {
  readonly style: Style;
  /** Receives each progress line (without its newline). */
  readonly onLine: (line: string) => void;
  /** Stops the watch (Ctrl-C). */
  readonly signal: AbortSignal;
  /** How often the journey is read. @default 500 ms */
  readonly intervalMs?: number;
  /** What was already said, when one story watches several times (`journey demo`). @default new */
  readonly tracker?: ProgressTracker;
}

export const WATCH_INTERVAL_MS = 500;

/**
 * Follows a client's journey until it pauses for a person or ends, printing its progress. It
 * reads `GET /v1/journeys/{clientId}` (the journey with its current unit and tasks) every
 * `intervalMs`, and `GET /v1/units-of-work/{workId}` for a unit the journey left between two
 * reads.
 */
export async function watchJourney(
  client: ApiClient,
  clientId: string,
  options: WatchOptions,
): Promise<WatchEnd> {
  const tracker = options.tracker ?? new ProgressTracker(options.style);
  let unitId: string | null = null;
  for (;;) {
    if (options.signal.aborted) {
      return { kind: 'interrupted' };
    }
    const journey = await client.journey(clientId);
    // The journey moved on to another unit between two reads: say how the last one ended.
    if (unitId !== null && tracker.left(unitId, journey)) {
      for (const line of tracker.finish(await client.unit(unitId))) {
        options.onLine(line);
      }
    }
    unitId = journey.currentUnitOfWork?.workId ?? unitId;
    for (const line of tracker.update(journey)) {
      options.onLine(line);
    }
    const pause = pauseOf(journey);
    if (pause.kind !== 'moving') {
      return { kind: 'paused', journey, pause };
    }
    try {
      await sleep(options.intervalMs ?? WATCH_INTERVAL_MS, undefined, { signal: options.signal });
    } catch {
      return { kind: 'interrupted' };
    }
  }
}

/** The last line of a watch: what the journey waits for, and what a person could do. */
export function describeEnd(end: WatchEnd, style: Style): string {
  if (end.kind === 'interrupted') {
    return 'stopped watching (the journey goes on)';
  }
  const { pause } = end;
  return pause.kind === 'ended'
    ? style.bold(pause.reason)
    : `${style.yellow('waiting for a person')}: ${pause.reason}\n  next: ${pause.hint}`;
}
