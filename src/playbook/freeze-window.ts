import { CronExpressionParser } from 'cron-parser';
import { DateTime, IANAZone } from 'luxon';
import type { ActiveFreeze, FreezeScope } from '../domain/journey/controls.js';
import { formatDuration, toInstant, toMillis, type Instant, type Millis } from '../domain/time.js';

/**
 * Freeze windows: while one is in force no promotion starts (rollbacks still may). A window is
 * one-off (`from`/`to`) or recurring (a cron `schedule` for when it starts and a `duration`, as
 * Argo CD's sync windows), read in an IANA `timezone` (default UTC). The same format serves the
 * playbook's `freezes:` and the fleet-wide freezes of the API (docs/controls.md).
 */

interface FreezeBase {
  /** A slug naming the window, e.g. `year-end`. */
  readonly id: string;
  readonly description?: string;
  /** IANA time zone the window is read in. @default UTC */
  readonly timezone: string;
}

/** From `from` up to (not including) `to`; both resolved to UTC instants at load. */
export interface OneOffFreeze extends FreezeBase {
  readonly kind: 'once';
  readonly from: Instant;
  readonly to: Instant;
}

/** Starts at every time `schedule` (5 or 6 cron fields) names, and lasts `duration`. */
export interface RecurringFreeze extends FreezeBase {
  readonly kind: 'recurring';
  readonly schedule: string;
  readonly duration: Millis;
}

export type FreezeWindow = OneOffFreeze | RecurringFreeze;

/** A freeze window as written (YAML or JSON), durations already in milliseconds. */
export interface FreezeDocument {
  readonly id: string;
  readonly description?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly schedule?: string | undefined;
  readonly duration?: Millis | undefined;
  readonly timezone?: string | undefined;
}

export interface FreezeProblem {
  readonly path: readonly string[];
  readonly message: string;
}

/** Every problem of a window: the keys it combines, its time zone, times and schedule. */
export function freezeProblems(doc: FreezeDocument): FreezeProblem[] {
  const problems: FreezeProblem[] = [];
  const timezone = doc.timezone ?? 'UTC';
  const zoneOk = IANAZone.isValidZone(timezone);
  if (!zoneOk) {
    problems.push({
      path: ['timezone'],
      message: `"${timezone}" is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)`,
    });
  }
  const oneOff = doc.from !== undefined || doc.to !== undefined;
  const recurring = doc.schedule !== undefined || doc.duration !== undefined;
  if (oneOff && recurring) {
    problems.push({
      path: [],
      message:
        'a freeze is one-off (from, to) or recurring (schedule, duration), not both: remove one pair',
    });
    return problems;
  }
  if (!oneOff && !recurring) {
    problems.push({
      path: [],
      message: 'give from and to (a one-off freeze) or schedule and duration (a recurring one)',
    });
    return problems;
  }
  const missing = (key: string) => problems.push({ path: [], message: `missing key '${key}'` });
  if (oneOff) {
    if (doc.from === undefined) {
      missing('from');
    }
    if (doc.to === undefined) {
      missing('to');
    }
    const from = doc.from === undefined ? undefined : localInstant(doc.from, timezone);
    const to = doc.to === undefined ? undefined : localInstant(doc.to, timezone);
    for (const [key, text, value] of [
      ['from', doc.from, from],
      ['to', doc.to, to],
    ] as const) {
      if (text !== undefined && value === undefined && zoneOk) {
        problems.push({
          path: [key],
          message: `"${text}" is not an ISO 8601 date-time (e.g. 2026-12-20T18:00, or with an offset)`,
        });
      }
    }
    if (from !== undefined && to !== undefined && to <= from) {
      problems.push({ path: ['to'], message: `must be after from (${from})` });
    }
    return problems;
  }
  if (doc.schedule === undefined) {
    missing('schedule');
  } else if (zoneOk) {
    const problem = scheduleProblem(doc.schedule, timezone);
    if (problem !== undefined) {
      problems.push({ path: ['schedule'], message: problem });
    }
  }
  if (doc.duration === undefined) {
    missing('duration');
  }
  return problems;
}

/** The window a valid document describes (call only when `freezeProblems` found none). */
export function resolveFreezeWindow(doc: FreezeDocument): FreezeWindow {
  const timezone = doc.timezone ?? 'UTC';
  const base = {
    id: doc.id,
    ...(doc.description === undefined ? {} : { description: doc.description }),
    timezone,
  };
  if (doc.schedule !== undefined && doc.duration !== undefined) {
    return { ...base, kind: 'recurring', schedule: doc.schedule.trim(), duration: doc.duration };
  }
  const from = localInstant(doc.from ?? '', timezone);
  const to = localInstant(doc.to ?? '', timezone);
  if (from === undefined || to === undefined) {
    throw new Error(`unreachable: freeze "${doc.id}" has invalid times`);
  }
  return { ...base, kind: 'once', from, to };
}

/** The window in its written form (durations as text), for `journey playbook show` and the API. */
export function freezeDocumentOf(window: FreezeWindow): Record<string, string> {
  return {
    id: window.id,
    ...(window.description === undefined ? {} : { description: window.description }),
    ...(window.kind === 'once'
      ? { from: window.from, to: window.to }
      : { schedule: window.schedule, duration: formatDuration(window.duration) }),
    timezone: window.timezone,
  };
}

/** How many later starts a recurring freeze may chain into one stretch before we stop looking. */
const CHAIN_LIMIT = 1_000;

/**
 * The freezes in force at `now`, each with when it ends. A recurring window whose next start
 * comes before its end (e.g. `duration` longer than the schedule's period) is one stretch: it
 * ends when no start follows within it.
 */
export function activeFreezes(
  windows: readonly { readonly window: FreezeWindow; readonly scope: FreezeScope }[],
  now: Instant,
): ActiveFreeze[] {
  return windows.flatMap(({ window, scope }) => {
    const span = window.kind === 'once' ? onceSpan(window, now) : recurringSpan(window, now);
    return span === undefined
      ? []
      : [
          {
            freezeId: window.id,
            scope,
            ...(window.description === undefined ? {} : { description: window.description }),
            from: span.from,
            until: span.until,
          },
        ];
  });
}

function onceSpan(window: OneOffFreeze, now: Instant) {
  const at = toMillis(now);
  return toMillis(window.from) <= at && at < toMillis(window.to)
    ? { from: window.from, until: window.to }
    : undefined;
}

function recurringSpan(window: RecurringFreeze, now: Instant) {
  const at = toMillis(now);
  // The latest start at or before now ends last of all the starts before it.
  const previous = CronExpressionParser.parse(window.schedule, {
    currentDate: new Date(at + 1),
    tz: window.timezone,
  });
  if (!previous.hasPrev()) {
    return undefined;
  }
  const start = previous.prev().getTime();
  let until = start + window.duration;
  if (until <= at) {
    return undefined;
  }
  const next = CronExpressionParser.parse(window.schedule, {
    currentDate: new Date(at),
    tz: window.timezone,
  });
  for (let i = 0; i < CHAIN_LIMIT && next.hasNext(); i += 1) {
    const following = next.next().getTime();
    if (following > until) {
      break;
    }
    until = Math.max(until, following + window.duration);
  }
  return { from: toInstant(start), until: toInstant(until) };
}

/** An ISO 8601 date-time as a UTC instant; without an offset it is read in `timezone`. */
function localInstant(text: string, timezone: string): Instant | undefined {
  const parsed = DateTime.fromISO(text.trim(), { zone: timezone });
  return parsed.isValid ? toInstant(parsed.toMillis()) : undefined;
}

function scheduleProblem(schedule: string, timezone: string): string | undefined {
  const fields = schedule.trim().split(/\s+/).length;
  if (fields < 5 || fields > 6) {
    return `"${schedule}" is not a cron schedule: write 5 fields (minute hour day-of-month month day-of-week), e.g. "0 18 * * 5"`;
  }
  try {
    CronExpressionParser.parse(schedule, { tz: timezone, strict: false }).next();
    return undefined;
  } catch (error) {
    return `"${schedule}" is not a cron schedule: ${error instanceof Error ? error.message : String(error)}`;
  }
}
