import type { MetricValue } from '../domain/index.js';
import { kindOf } from './json-path.js';

/**
 * What a value read from a reply means for a criterion. Only a finite number or a boolean is a
 * measurement; `null` says "no data"; anything else is the source's mistake. Strings are never
 * coerced: `"0.92"` might be a number, but `"92%"` or `"n/a"` would then be a silent guess.
 */
export type ReadValue =
  | { readonly kind: 'value'; readonly value: MetricValue }
  | { readonly kind: 'no-data' }
  | { readonly kind: 'invalid'; readonly why: string };

export function readMetricValue(raw: unknown): ReadValue {
  if (raw === null) {
    return { kind: 'no-data' };
  }
  if (typeof raw === 'boolean') {
    return { kind: 'value', value: raw };
  }
  if (typeof raw === 'number') {
    return Number.isFinite(raw)
      ? { kind: 'value', value: raw }
      : { kind: 'invalid', why: `${raw} is not a finite number` };
  }
  const shown = typeof raw === 'string' ? ` (${JSON.stringify(clip(raw))})` : '';
  return { kind: 'invalid', why: `${kindOf(raw)}${shown}, not a number or true/false` };
}

/** Keeps messages short when a source sends a long text where a number belongs. */
export function clip(text: string, max = 80): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
