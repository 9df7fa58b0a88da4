import type { BehaviourControl } from './behaviour-control.js';
import { isBehaviour, parseBehaviour, type Behaviour } from './behaviour.js';
import type { MetricReading } from './catalog.js';

/**
 * Behaviours and readings chosen before the agents start: from a JSON file (`--behaviour`)
 * or from flags (`--behave`, `--metric`). The file looks like
 *
 *     { "behaviours": [{ "agent": "tenancy", "intent": "create_tenant", "clientId": "acme",
 *                        "behaviour": { "kind": "fail", "times": 2 } }],
 *       "metrics": [{ "agent": "quality", "intent": "measure_search_quality", "value": 70 }] }
 */

export interface Target {
  readonly agent: string;
  readonly intent: string;
  readonly clientId?: string;
}

export interface BehaviourPlan {
  readonly behaviours?: readonly (Target & { readonly behaviour: Behaviour })[];
  readonly metrics?: readonly (Target & MetricReading)[];
}

type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Sets every behaviour and reading of the plan; an unknown agent or intent throws. */
export function applyPlan(control: BehaviourControl, plan: BehaviourPlan): void {
  for (const { agent, intent, clientId, behaviour } of plan.behaviours ?? []) {
    control.set(agent, intent, behaviour, clientId === undefined ? {} : { clientId });
  }
  for (const { agent, intent, clientId, value, heldSince } of plan.metrics ?? []) {
    const reading = heldSince === undefined ? { value } : { value, heldSince };
    control.setMetric(agent, intent, reading, clientId === undefined ? {} : { clientId });
  }
}

export function parsePlan(raw: unknown): Parsed<BehaviourPlan> {
  if (!isRecord(raw)) {
    return {
      ok: false,
      error: 'the behaviour file holds an object with "behaviours" and "metrics" lists',
    };
  }
  for (const field of ['behaviours', 'metrics']) {
    if (raw[field] !== undefined && !Array.isArray(raw[field])) {
      return { ok: false, error: `"${field}" is a list` };
    }
  }
  const behaviours: (Target & { behaviour: Behaviour })[] = [];
  const metrics: (Target & MetricReading)[] = [];
  for (const [index, entry] of list(raw['behaviours']).entries()) {
    const target = parseTarget(entry);
    const behaviour = parseBehaviour(isRecord(entry) ? entry['behaviour'] : undefined);
    if (!target.ok || !isBehaviour(behaviour)) {
      return {
        ok: false,
        error: `behaviours[${index}]: ${target.ok ? errorOf(behaviour) : target.error}`,
      };
    }
    behaviours.push({ ...target.value, behaviour });
  }
  for (const [index, entry] of list(raw['metrics']).entries()) {
    const target = parseTarget(entry);
    const reading = parseReading(entry);
    if (!target.ok || !reading.ok) {
      return {
        ok: false,
        error: `metrics[${index}]: ${target.ok ? errorOf(reading) : target.error}`,
      };
    }
    metrics.push({ ...target.value, ...reading.value });
  }
  return { ok: true, value: { behaviours, metrics } };
}

/** `--behave agent/intent[@clientId]=kind[:arg]`: `fail:2`, `slow:500`, `garbage:text`. */
export function parseBehaveFlag(text: string): Parsed<Target & { readonly behaviour: Behaviour }> {
  const [where, what] = splitOnce(text, '=');
  const target = parseTargetText(where);
  if (!target.ok || what === undefined) {
    return { ok: false, error: `--behave ${text}: expected agent/intent[@clientId]=kind[:arg]` };
  }
  const [kind, arg] = splitOnce(what, ':');
  const raw =
    kind === 'fail' && arg !== undefined
      ? { kind, times: Number(arg) }
      : kind === 'slow'
        ? { kind, delayMs: Number(arg) }
        : kind === 'garbage' && arg !== undefined
          ? { kind, variant: arg }
          : { kind };
  const behaviour = parseBehaviour(raw);
  return isBehaviour(behaviour)
    ? { ok: true, value: { ...target.value, behaviour } }
    : { ok: false, error: `--behave ${text}: ${behaviour.error}` };
}

/** `--metric agent/intent[@clientId]=value`: a number, `true`, `false` or `null`. */
export function parseMetricFlag(text: string): Parsed<Target & MetricReading> {
  const [where, what] = splitOnce(text, '=');
  const target = parseTargetText(where);
  let value: unknown;
  try {
    value = what === undefined ? undefined : JSON.parse(what);
  } catch {
    value = undefined;
  }
  const reading = parseReading({ value });
  return target.ok && reading.ok
    ? { ok: true, value: { ...target.value, ...reading.value } }
    : {
        ok: false,
        error: `--metric ${text}: expected agent/intent[@clientId]=number|true|false|null`,
      };
}

function parseTarget(entry: unknown): Parsed<Target> {
  if (
    !isRecord(entry) ||
    typeof entry['agent'] !== 'string' ||
    typeof entry['intent'] !== 'string'
  ) {
    return { ok: false, error: 'needs "agent" and "intent" (text)' };
  }
  const clientId = entry['clientId'];
  if (clientId !== undefined && typeof clientId !== 'string') {
    return { ok: false, error: '"clientId" is text' };
  }
  return {
    ok: true,
    value: {
      agent: entry['agent'],
      intent: entry['intent'],
      ...(clientId === undefined ? {} : { clientId }),
    },
  };
}

function parseTargetText(text: string): Parsed<Target> {
  const [path, clientId] = splitOnce(text, '@');
  const [agent, intent] = splitOnce(path, '/');
  if (agent === '' || intent === undefined || intent === '' || clientId === '') {
    return { ok: false, error: 'expected agent/intent[@clientId]' };
  }
  return { ok: true, value: { agent, intent, ...(clientId === undefined ? {} : { clientId }) } };
}

function parseReading(entry: unknown): Parsed<MetricReading> {
  const value = isRecord(entry) ? entry['value'] : undefined;
  const heldSince = isRecord(entry) ? entry['heldSince'] : undefined;
  if (!(
    value === null ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  )) {
    return { ok: false, error: '"value" is a number, true, false or null' };
  }
  if (heldSince === undefined) {
    return { ok: true, value: { value } };
  }
  return typeof heldSince === 'string' && !Number.isNaN(Date.parse(heldSince))
    ? { ok: true, value: { value, heldSince } }
    : { ok: false, error: '"heldSince" is an ISO instant' };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorOf(value: { readonly error: string } | object): string {
  return 'error' in value && typeof value.error === 'string' ? value.error : 'invalid';
}
