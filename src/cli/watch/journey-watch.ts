import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient } from '../client/api-client.js';
import type { JourneyView } from '../client/views.js';
import type { Style } from '../render/style.js';
import { openLiveEvents, type LiveMessage } from './live-events.js';
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
  /** The live stream was lost and is being reopened (`reason` says why). */
  readonly onReconnecting?: (reason: string) => void;
  /** How often the polling watch (a server without the event stream) reads. @default 500 ms */
  readonly intervalMs?: number;
  /** What was already said, when one story watches several times (`journey demo`). @default new */
  readonly tracker?: ProgressTracker;
}

const WATCH_INTERVAL_MS = 500;

/**
 * Follows a client's journey until it pauses for a person or ends, printing its progress from
 * the live event stream: it subscribes first, waits for the stream's `ready`, reads the journey
 * over REST once (so no change falls between the two), then says each event as it arrives. A
 * server without the stream (404: an older release) is polled instead.
 */
export async function watchJourney(
  client: ApiClient,
  clientId: string,
  options: WatchOptions,
): Promise<WatchEnd> {
  const tracker = options.tracker ?? new ProgressTracker(options.style);
  const connection = new AbortController();
  const signal = AbortSignal.any([options.signal, connection.signal]);
  try {
    const live = await openLiveEvents(client, {
      clientId,
      signal,
      ...(options.onReconnecting === undefined ? {} : { onReconnecting: options.onReconnecting }),
    });
    if (live === null) {
      return await pollJourney(client, clientId, options, tracker);
    }
    const messages = live[Symbol.asyncIterator]();
    try {
      return await followLive(client, clientId, messages, options, tracker);
    } finally {
      // Ends the stream's reading (its timers and connection) where it waits.
      connection.abort();
      await messages.return?.();
    }
  } catch (error) {
    if (options.signal.aborted) {
      return { kind: 'interrupted' };
    }
    throw error;
  } finally {
    connection.abort();
  }
}

async function followLive(
  client: ApiClient,
  clientId: string,
  messages: AsyncIterator<LiveMessage>,
  options: WatchOptions,
  tracker: ProgressTracker,
): Promise<WatchEnd> {
  const say = (lines: readonly string[]): void => lines.forEach((text) => options.onLine(text));
  const first = await messages.next();
  if (first.done === true) {
    return { kind: 'interrupted' };
  }
  // The stream is at the head now: whatever the journey does next arrives as an event.
  let journey = await client.journey(clientId);
  say(tracker.update(journey));
  /** Each stream's version the lines have caught up with (the snapshot's, then each event's). */
  const told = new Map<string, number>([[journey.journeyId, journey.version]]);
  if (journey.currentUnitOfWork !== null) {
    told.set(journey.currentUnitOfWork.workId, journey.currentUnitOfWork.version);
  }
  for (let pause = pauseOf(journey); ;) {
    if (pause.kind !== 'moving') {
      return { kind: 'paused', journey, pause };
    }
    const next = await messages.next();
    if (next.done === true) {
      return { kind: 'interrupted' };
    }
    const message = next.value;
    if (message.kind !== 'event' || message.event.journeyid !== journey.journeyId) {
      continue;
    }
    const { event } = message;
    const created = (event.data as { type?: unknown }).type === 'UnitOfWorkCreated';
    if (event.streamid !== event.journeyid && !created && !tracker.knows(event.streamid)) {
      // A unit this watch never saw begin (it began before the stream was ready): read it.
      const unit = await client.unit(event.streamid);
      say(tracker.finish(unit));
      told.set(unit.workId, unit.version);
    }
    if (event.streamversion <= (told.get(event.streamid) ?? 0)) {
      continue; // already in a snapshot
    }
    told.set(event.streamid, event.streamversion);
    say(tracker.apply(event));
    if (event.streamid !== journey.journeyId) {
      continue;
    }
    // Whether it is a person's turn now is the server's call: judge the journey as of exactly
    // this event, reading it again only when it has moved beyond the last read.
    if (journey.version < event.streamversion) {
      journey = await client.journey(clientId);
    }
    if (journey.version <= event.streamversion) {
      pause = pauseOf(journey);
    }
  }
}

/**
 * The watch of a server without the event stream: it reads `GET /v1/journeys/{clientId}` (the
 * journey with its current unit and tasks) every `intervalMs`, and `GET /v1/units-of-work/{id}`
 * for a unit the journey left between two reads.
 */
async function pollJourney(
  client: ApiClient,
  clientId: string,
  options: WatchOptions,
  tracker: ProgressTracker,
): Promise<WatchEnd> {
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
