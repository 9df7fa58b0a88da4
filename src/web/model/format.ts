/** How numbers and times read on the dashboard. */

/** `3d 4h`, `2h 5m`, `4m 12s`, `9s`: the two largest units, enough to compare at a glance. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) {
    return '–';
  }
  const seconds = Math.floor(ms / 1_000);
  const parts: [number, string][] = [
    [Math.floor(seconds / 86_400), 'd'],
    [Math.floor((seconds % 86_400) / 3_600), 'h'],
    [Math.floor((seconds % 3_600) / 60), 'm'],
    [seconds % 60, 's'],
  ];
  const first = parts.findIndex(([value]) => value > 0);
  if (first < 0) {
    return '0s';
  }
  return parts
    .slice(first, first + 2)
    .filter(([value]) => value > 0)
    .map(([value, unit]) => `${value}${unit}`)
    .join(' ');
}

/** A fraction as a percentage, `–` when there is none yet. */
export function formatPercent(rate: number | null): string {
  return rate === null ? '–' : `${(rate * 100).toFixed(rate === 0 || rate === 1 ? 0 : 1)} %`;
}

/** An instant in the reader's locale and time zone, to the second. */
export function formatTime(instant: string): string {
  const date = new Date(instant);
  return Number.isNaN(date.getTime())
    ? instant
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** Milliseconds from `instant` to `now`. */
export function since(instant: string, now: number): number {
  return now - Date.parse(instant);
}

/** `1 rollback`, `3 rollbacks`: a count with its noun (plural by `s` unless given). */
export function counted(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}

/** A stage or status id (`ready_to_promote`) as words (`Ready to promote`). */
export function humanize(id: string): string {
  const words = id.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
