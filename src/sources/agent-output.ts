import type { Instant, JsonValue, MetricValue } from '../domain/index.js';
import { kindOf } from './json-path.js';
import { clip, readMetricValue } from './metric-value.js';

/**
 * What an agent asked for a metric must answer: `{ "value": number | boolean | null,
 * "heldSince"?: ISO-8601 instant }`. Other keys are allowed (an agent may explain itself) and
 * ignored. `heldSince: null` reads as "not known", like an absent key.
 */
export const AGENT_OUTPUT_CONTRACT =
  '{"value": number | true | false | null, "heldSince"?: ISO-8601 instant}';

export type AgentReading =
  | { readonly ok: true; readonly value: MetricValue | null; readonly heldSince?: Instant }
  | { readonly ok: false; readonly why: string };

export function readAgentOutput(output: JsonValue): AgentReading {
  if (output === null || typeof output !== 'object' || Array.isArray(output)) {
    return { ok: false, why: `the output is ${kindOf(output)}, expected ${AGENT_OUTPUT_CONTRACT}` };
  }
  const record = output as { readonly [key: string]: JsonValue };
  if (!Object.hasOwn(record, 'value')) {
    const keys = Object.keys(record);
    const has = keys.length === 0 ? 'no keys' : `keys ${keys.slice(0, 5).join(', ')}`;
    return {
      ok: false,
      why: `the output has no "value" (it has ${has}), expected ${AGENT_OUTPUT_CONTRACT}`,
    };
  }
  const value = readMetricValue(record['value']);
  if (value.kind === 'invalid') {
    return { ok: false, why: `"value" is ${value.why}` };
  }
  const measured = value.kind === 'value' ? value.value : null;
  const held = record['heldSince'];
  if (held === undefined || held === null) {
    return { ok: true, value: measured };
  }
  const heldSince = typeof held === 'string' ? parseInstant(held) : undefined;
  if (heldSince === undefined) {
    const shown = typeof held === 'string' ? JSON.stringify(clip(held)) : kindOf(held);
    return {
      ok: false,
      why: `"heldSince" is ${shown}, not an ISO-8601 instant with a time zone (e.g. 2026-01-31T09:00:00Z)`,
    };
  }
  return { ok: true, value: measured, heldSince };
}

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/**
 * A real instant, normalised to UTC. A zone is required (a local time would shift with the
 * server's zone), and the date must exist: `Date.parse` rolls `02-30` over to March.
 */
function parseInstant(text: string): Instant | undefined {
  const match = ISO_INSTANT.exec(text);
  const millis = Date.parse(text);
  if (match === null || Number.isNaN(millis)) {
    return undefined;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) {
    return undefined;
  }
  return new Date(millis).toISOString();
}
