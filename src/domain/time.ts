/**
 * Time in the domain is data: an `Instant` is an ISO-8601 UTC string (it survives a JSON round
 * trip and reads well in the audit trail) and a duration is a number of milliseconds. The domain
 * never reads the clock; every command carries the instant it happens at.
 */
export type Instant = string;
export type Millis = number;

export const SECOND: Millis = 1_000;
export const MINUTE: Millis = 60 * SECOND;
export const HOUR: Millis = 60 * MINUTE;
export const DAY: Millis = 24 * HOUR;

export function toMillis(instant: Instant): Millis {
  return Date.parse(instant);
}

export function toInstant(millis: Millis): Instant {
  return new Date(millis).toISOString();
}

export function addMillis(instant: Instant, millis: Millis): Instant {
  return toInstant(toMillis(instant) + millis);
}

export function millisBetween(from: Instant, to: Instant): Millis {
  return toMillis(to) - toMillis(from);
}

export function isValidInstant(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));
}

const UNITS: Readonly<Record<string, Millis>> = {
  ms: 1,
  s: SECOND,
  m: MINUTE,
  h: HOUR,
  d: DAY,
  w: 7 * DAY,
};

/**
 * Parses durations as people write them in playbooks: `500ms`, `30s`, `5m`, `72h`, `7d`, `2w`,
 * or compounds such as `1h30m`. Returns `undefined` for anything else.
 */
export function parseDuration(text: string): Millis | undefined {
  const trimmed = text.trim();
  if (!/^(\d+(ms|s|m|h|d|w))+$/.test(trimmed)) {
    return undefined;
  }
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+)(ms|s|m|h|d|w)/g)) {
    total += Number(amount) * (UNITS[unit ?? ''] ?? Number.NaN);
  }
  return Number.isFinite(total) ? total : undefined;
}

/** The inverse of `parseDuration` for display: `90061000` -> `1d1h1m1s`. */
export function formatDuration(millis: Millis): string {
  if (millis <= 0) {
    return '0s';
  }
  const parts: string[] = [];
  let rest = Math.round(millis);
  for (const [unit, size] of [
    ['d', DAY],
    ['h', HOUR],
    ['m', MINUTE],
    ['s', SECOND],
  ] as const) {
    const amount = Math.floor(rest / size);
    if (amount > 0) {
      parts.push(`${amount}${unit}`);
      rest -= amount * size;
    }
  }
  if (rest > 0) {
    parts.push(`${rest}ms`);
  }
  return parts.join('');
}
