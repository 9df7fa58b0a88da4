import { z } from 'zod';
import { COMPARATORS, ON_DEADLINE } from '../domain/exit-criteria/criterion.js';
import { isSlug, SLUG_RULE } from '../domain/ids.js';
import type { JsonValue } from '../domain/json.js';
import { formatDuration, parseDuration, SECOND, type Millis } from '../domain/time.js';
import { freezeProblems } from './freeze-window.js';
import { PLAYBOOK_API_VERSION, PLAYBOOK_KIND } from './playbook.js';

/**
 * The shape of a playbook document, checked field by field. Pure: no I/O. Every object is strict
 * (an unknown key is an error). Rules that relate several fields (the DAG, references to agents
 * and tasks, comparator vs threshold) live in validate.ts, which runs even when this schema
 * fails, so one load reports every problem.
 */

const text = z.string().min(1, { error: 'must not be empty' });

const slug = z.string().superRefine((value, ctx) => {
  if (!isSlug(value)) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a valid id: it ${SLUG_RULE}` });
  }
});

/** An A2A skill id such as `provision_test_dataset`. */
const intent = z
  .string()
  .regex(/^\S+$/, { error: 'must be a single word without spaces, e.g. measure_search_quality' });

function duration(min: Millis) {
  return z
    .string({ error: 'expected a duration such as 30s, 5m, 72h or 7d' })
    .transform((value, ctx) => {
      const millis = parseDuration(value);
      if (millis === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `"${value}" is not a duration (write e.g. 30s, 5m, 72h, 7d or 1h30m)`,
        });
        return z.NEVER;
      }
      if (millis < min) {
        ctx.addIssue({ code: 'custom', message: `must be at least ${formatDuration(min)}` });
        return z.NEVER;
      }
      return millis;
    });
}

/** Why `value` is not an absolute http(s) URL, or undefined when it is one. */
export function httpUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not an absolute URL`;
  }
  return url.protocol === 'http:' || url.protocol === 'https:'
    ? undefined
    : `"${value}" must use http or https`;
}

const httpUrl = z.string().superRefine((value, ctx) => {
  const problem = httpUrlProblem(value);
  if (problem !== undefined) {
    ctx.addIssue({ code: 'custom', message: problem });
  }
});

/** Any JSON value; YAML can also produce non-finite numbers (`.inf`), which JSON cannot hold. */
const json = z.custom<JsonValue>().superRefine((value, ctx) => {
  const visit = (item: unknown, path: (string | number)[]): void => {
    if (typeof item === 'number' && !Number.isFinite(item)) {
      ctx.addIssue({ code: 'custom', path, message: `${item} is not a JSON number` });
    } else if (Array.isArray(item)) {
      item.forEach((element, index) => visit(element, [...path, index]));
    } else if (item !== null && typeof item === 'object') {
      const prototype: unknown = Object.getPrototypeOf(item);
      if (prototype !== Object.prototype && prototype !== null) {
        // e.g. `!!binary` gives a Buffer, which has no JSON form.
        ctx.addIssue({ code: 'custom', path, message: 'not a JSON value' });
        return;
      }
      for (const [key, element] of Object.entries(item)) {
        visit(element, [...path, key]);
      }
    }
  };
  visit(value, []);
});

const retry = z
  .strictObject({
    maxRetries: z.number().int().min(0).max(100).optional(),
    initialInterval: duration(1).optional(),
    backoffCoefficient: z.number().min(1).max(100).optional(),
    maxInterval: duration(1).optional(),
    jitter: z.number().min(0).max(1).optional(),
  })
  .superRefine((policy, ctx) => {
    if (
      policy.initialInterval !== undefined &&
      policy.maxInterval !== undefined &&
      policy.maxInterval < policy.initialInterval
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxInterval'],
        message: `must not be shorter than initialInterval (${formatDuration(policy.initialInterval)})`,
      });
    }
  });

const task = z.strictObject({
  id: slug,
  name: text,
  agent: slug.optional(),
  intent,
  input: json.optional(),
  dependsOn: z.array(z.string()).optional(),
  timeout: duration(1).optional(),
  retry: retry.optional(),
});

const unitOfWork = z.strictObject({ tasks: z.array(task) });

const source = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('http'),
    url: httpUrl,
    jsonPath: z
      .string()
      .regex(/^\$/, { error: 'must be a JSONPath starting with "$", e.g. $.search.quality' }),
    headers: z.record(z.string(), z.string()).optional(),
  }),
  z.strictObject({
    type: z.literal('agent'),
    agent: slug.optional(),
    intent,
    input: json.optional(),
  }),
  z.strictObject({ type: z.literal('prometheus'), query: text, url: httpUrl.optional() }),
  z.strictObject({ type: z.literal('approval') }),
]);

const policy = z.strictObject({
  roles: z.array(slug).min(1),
  minApprovals: z.number().int().min(1).optional(),
  requiredApprovers: z.array(text).optional(),
  expiresAfter: duration(1).optional(),
});

/**
 * One exit criterion. Metric criteria (http, agent, prometheus sources) use comparator,
 * threshold, unit, greyBand, window, inconclusiveDeadline and onDeadline; approval criteria use
 * policy, remindAfter and remindEvery. validate.ts enforces which belongs to which, so both
 * kinds share one strict object here.
 */
const criterion = z.strictObject({
  id: slug,
  description: text,
  source,
  comparator: z.enum(COMPARATORS).optional(),
  threshold: z
    .union([z.number(), z.boolean()], { error: 'expected a number or true/false' })
    .optional(),
  unit: z.string().optional(),
  greyBand: z.strictObject({ from: z.number(), to: z.number() }).optional(),
  window: duration(1).optional(),
  inconclusiveDeadline: duration(SECOND).optional(),
  onDeadline: z
    .enum(ON_DEADLINE, { error: `expected one of ${ON_DEADLINE.join(', ')}` })
    .optional(),
  policy: policy.optional(),
  remindAfter: duration(SECOND).optional(),
  remindEvery: duration(SECOND).optional(),
});

/** A freeze window (freeze-window.ts): one-off `from`/`to`, or a cron `schedule` + `duration`. */
export const freezeSchema = z
  .strictObject({
    id: slug,
    description: z.string().max(1_000).optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    schedule: z.string().optional(),
    duration: duration(1).optional(),
    timezone: z.string().optional(),
  })
  .superRefine((freeze, ctx) => {
    for (const problem of freezeProblems(freeze)) {
      ctx.addIssue({ code: 'custom', path: [...problem.path], message: problem.message });
    }
  });

const stage = z.strictObject({
  setup: unitOfWork,
  rollback: unitOfWork.optional(),
  exitCriteria: z.array(criterion),
  autoPromote: z.boolean().optional(),
  recheckInterval: duration(SECOND).optional(),
  rollbackOnFailure: z.boolean().optional(),
  soakTime: duration(1).optional(),
});

export const playbookSchema = z.strictObject({
  apiVersion: z.literal(PLAYBOOK_API_VERSION),
  kind: z.literal(PLAYBOOK_KIND),
  name: slug,
  version: z.number().int().positive(),
  description: z.string().optional(),
  defaults: z
    .strictObject({
      task: z.strictObject({ timeout: duration(1).optional(), retry: retry.optional() }).optional(),
      recheckInterval: duration(SECOND).optional(),
    })
    .optional(),
  agents: z
    .record(slug, z.strictObject({ url: httpUrl, description: z.string().optional() }))
    .optional(),
  stages: z.strictObject({ sandbox: stage, pilot: stage, production: stage }),
  freezes: z.array(freezeSchema).optional(),
});

/** A playbook document that passed the schema: durations already in milliseconds. */
export type PlaybookDocument = z.output<typeof playbookSchema>;
export type TaskDocument = z.output<typeof task>;
export type CriterionDocument = z.output<typeof criterion>;
export type RetryDocument = z.output<typeof retry>;
export type FreezeWindowDocument = z.output<typeof freezeSchema>;
