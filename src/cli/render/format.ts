/** Small formatters shared by the human renderings. Times are UTC, so output reads the same anywhere. */

/** `2025-03-01 14:02:09` (UTC) from an ISO instant. */
export function formatInstant(instant: string | null | undefined): string {
  if (instant === null || instant === undefined) {
    return '-';
  }
  return instant.replace('T', ' ').replace(/(\.\d+)?Z$/, '');
}

/** `14:02:09.412` (UTC), for live progress lines. */
export function formatClock(instant: string): string {
  return instant.slice(11, 23);
}

/** `850ms`, `4.2s`, `3m 05s`, `2h 10m`, `3d 4h`. */
export function formatMillis(ms: number): string {
  if (ms < 1_000) {
    return `${Math.max(0, Math.round(ms))}ms`;
  }
  if (ms < 60_000) {
    return `${(ms / 1_000).toFixed(1)}s`;
  }
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) {
    return `${minutes}m ${String(Math.floor((ms % 60_000) / 1_000)).padStart(2, '0')}s`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  }
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** The time between two instants, or `-` when one is missing. */
export function between(from: string | null | undefined, to: string | null | undefined): string {
  if (from == null || to == null) {
    return '-';
  }
  return formatMillis(Date.parse(to) - Date.parse(from));
}

/** A rate from 0 to 1 as `12.5%`, `-` when nothing was counted. */
export function formatRate(rate: number | null): string {
  return rate === null ? '-' : `${(rate * 100).toFixed(1)}%`;
}

/** An observed value or threshold: numbers as they are, booleans as words. */
export function formatValue(value: unknown, unit?: string): string {
  if (value === null || value === undefined) {
    return '-';
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return unit === undefined ? text : `${text}${unit}`;
}

/** Cuts a line for a table cell. */
export function clip(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
