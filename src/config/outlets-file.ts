import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../application/errors.js';
import {
  JOURNEY_EVENT_TYPES,
  parseDuration,
  UNIT_OF_WORK_EVENT_TYPES,
  type Millis,
} from '../domain/index.js';
import { formatPath, formatProblem, type PlaybookProblem } from '../playbook/problems.js';
import { schemaProblems } from '../playbook/schema-issues.js';
import { locate } from '../playbook/source-map.js';

/**
 * The outlets file (`journey serve --outlets outlets.yaml`): where the event relay delivers,
 * which events each destination subscribes to, and how hard it tries. Checked whole at start,
 * every problem with its path and line, like a playbook; secrets may be named by environment
 * variable so the file can be committed. Reference: docs/events.md.
 */

const EVENT_TYPES = [...JOURNEY_EVENT_TYPES, ...UNIT_OF_WORK_EVENT_TYPES, '*'] as const;

const duration = z.string().transform((value, ctx) => {
  const millis = parseDuration(value);
  if (millis === undefined || millis < 1) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration (e.g. 500ms, 5s, 2m)` });
    return z.NEVER;
  }
  return millis;
});

const whole = (min: number, max: number) => z.number().int().min(min).max(max);

const common = {
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lower-case letters, digits, _ or -, at most 63'),
  events: z.array(z.enum(EVENT_TYPES)).min(1).default(['*']),
  startAt: z.enum(['now', 'beginning']).optional(),
  retry: z
    .strictObject({
      maxAttempts: whole(1, 100).optional(),
      initialInterval: duration.optional(),
      maxInterval: duration.optional(),
      maxOutage: duration.optional(),
    })
    .optional(),
  batchSize: whole(1, 1_000).optional(),
  concurrency: whole(1, 256).optional(),
};

const secretSource = {
  secret: z.string().min(16, 'must be at least 16 characters').optional(),
  secretEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name')
    .optional(),
};

const webhook = z
  .strictObject({
    type: z.literal('webhook'),
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    ...secretSource,
    timeout: duration.optional(),
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/), z.string().max(1_000)).optional(),
    ...common,
  })
  .refine((outlet) => (outlet.secret === undefined) !== (outlet.secretEnv === undefined), {
    message: 'give exactly one of secret or secretEnv (the HMAC key the requests are signed with)',
  });

const nats = z.strictObject({
  type: z.literal('nats'),
  servers: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  stream: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a JetStream stream name'),
  subject: z.string().min(1).max(255).optional(),
  ensureStream: z.boolean().optional(),
  timeout: duration.optional(),
  ...common,
});

const outletsFileSchema = z.strictObject({
  /** The CloudEvents `source` of every event this service sends. */
  source: z.string().min(1).max(255).optional(),
  outlets: z.array(z.discriminatedUnion('type', [webhook, nats])),
});

export type OutletsFile = z.infer<typeof outletsFileSchema>;
export type OutletConfig = OutletsFile['outlets'][number];
export type WebhookOutletConfig = Extract<OutletConfig, { type: 'webhook' }>;
export type NatsOutletConfig = Extract<OutletConfig, { type: 'nats' }>;

export type OutletsFileResult =
  | { readonly ok: true; readonly file: OutletsFile }
  | { readonly ok: false; readonly problems: readonly PlaybookProblem[] };

export function parseOutletsFile(text: string, source = '<outlets>'): OutletsFileResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, logLevel: 'error' });
  const syntax = [...document.errors, ...document.warnings];
  if (syntax.length > 0) {
    return {
      ok: false,
      problems: syntax.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return { kind: 'syntax', source, path: '', line, column: col, message: error.message };
      }),
    };
  }
  const data: unknown = document.toJS();
  const parsed = outletsFileSchema.safeParse(data ?? {});
  const problems: PlaybookProblem[] = parsed.success
    ? duplicateNames(parsed.data).map((p) => ({ kind: 'semantic', source, ...p }))
    : schemaProblems(outletsFileSchema, data, parsed.error.issues).map((problem) => {
        const at = locate(document, lineCounter, problem.path, problem.at);
        return {
          kind: problem.kind,
          source,
          path: formatPath(problem.path),
          ...(at === undefined ? {} : { line: at.line, column: at.column }),
          message: problem.message,
        };
      });
  return parsed.success && problems.length === 0
    ? { ok: true, file: parsed.data }
    : { ok: false, problems };
}

/** Reads and checks the file; any problem is a ConfigError listing them all. */
export async function loadOutletsFile(path: string): Promise<OutletsFile> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new ConfigError(`--outlets ${path}`, `cannot read it: ${(error as Error).message}`);
  });
  const result = parseOutletsFile(text, path);
  if (!result.ok) {
    const listed = result.problems.map((p) => `  ${formatProblem(p)}`).join('\n');
    throw new ConfigError(`--outlets ${path}`, `not a valid outlets file:\n${listed}`);
  }
  return result.file;
}

/** A webhook's signing secret: given inline, or read from the variable it names. */
export function webhookSecret(
  outlet: WebhookOutletConfig,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (outlet.secret !== undefined) {
    return outlet.secret;
  }
  const value = outlet.secretEnv === undefined ? undefined : env[outlet.secretEnv];
  if (value === undefined || value.trim() === '') {
    throw new ConfigError(
      `outlets.${outlet.name}.secretEnv`,
      `the environment variable ${outlet.secretEnv ?? ''} is not set`,
    );
  }
  return value;
}

export function retryOf(outlet: OutletConfig): {
  maxAttempts?: number;
  initialInterval?: Millis;
  maxInterval?: Millis;
  maxOutage?: Millis;
} {
  // Only the keys given: the relay's defaults fill the rest.
  return Object.fromEntries(
    Object.entries(outlet.retry ?? {}).filter(([, value]) => value !== undefined),
  );
}

function duplicateNames(file: OutletsFile): { path: string; message: string }[] {
  const seen = new Set<string>();
  return file.outlets.flatMap((outlet, index) => {
    if (seen.has(outlet.name)) {
      return [{ path: `outlets[${index}].name`, message: `"${outlet.name}" names two outlets` }];
    }
    seen.add(outlet.name);
    return [];
  });
}
