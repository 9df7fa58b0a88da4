import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ProblemSchema } from '../../src/http/schemas/problem.js';
import {
  ApprovalBody,
  CancelBody,
  JourneyListQuery,
  PromotionBody,
  RetryBody,
  RollbackBody,
  StartJourneyBody,
} from '../../src/http/schemas/requests.js';
import { forEachBackend } from '../support/backends.js';
import { snapshotState, useApi, type ApiResponse } from './api-harness.js';

/**
 * Property: whatever a caller sends that the schema refuses (any JSON, any bytes, any content
 * type, any query string) is answered with a 4xx problem+json, never a 500, and changes nothing.
 */

interface PostRoute {
  readonly path: string;
  readonly schema: z.ZodType;
  /** The fields the schema knows, so generated objects look almost right. */
  readonly fields: readonly string[];
}

const POST_ROUTES: readonly PostRoute[] = [
  { path: '/v1/journeys', schema: StartJourneyBody, fields: ['clientId', 'playbook'] },
  { path: '/v1/journeys/fuzz/promotions', schema: PromotionBody, fields: ['to', 'reason'] },
  { path: '/v1/journeys/fuzz/rollback', schema: RollbackBody, fields: ['reason', 'to'] },
  { path: '/v1/journeys/fuzz/cancel', schema: CancelBody, fields: ['reason'] },
  {
    path: '/v1/journeys/fuzz/approvals',
    schema: ApprovalBody,
    fields: ['criterion', 'comment', 'decision', 'stage'],
  },
  { path: '/v1/units-of-work/WORK/retry', schema: RetryBody, fields: [] },
  { path: '/v1/units-of-work/WORK/cancel', schema: CancelBody, fields: ['reason'] },
];

/** `FUZZ_RUNS=1000` for a longer hunt; the default keeps the file at a few seconds. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

/** Values a field might plausibly be sent with, right type or not. */
const fieldValue = fc.oneof(
  fc.constantFrom('sandbox', 'pilot', 'production', 'completed', 'demo_approved', 'approved', ''),
  fc.string({ maxLength: 40 }),
  fc.string({ minLength: 1_001, maxLength: 1_100 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
);

const almostRight = (fields: readonly string[]) =>
  fc
    .tuple(
      fc.dictionary(fc.constantFrom(...(fields.length === 0 ? ['x'] : fields)), fieldValue, {
        maxKeys: fields.length + 1,
      }),
      fc.dictionary(fc.string({ maxLength: 12 }), fieldValue, { maxKeys: 2 }),
    )
    .map(([known, extra]) => ({ ...extra, ...known }));

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/octet-stream',
  'application/x-www-form-urlencoded',
  'application/jsonx',
];

type Body =
  | { readonly kind: 'json'; readonly value: unknown }
  | {
      readonly kind: 'raw';
      readonly text: string;
      readonly contentType: string;
    };

const bodies = (fields: readonly string[]): fc.Arbitrary<Body> =>
  fc.oneof(
    fc.jsonValue({ maxDepth: 4 }).map((value): Body => ({ kind: 'json', value })),
    almostRight(fields).map((value): Body => ({ kind: 'json', value })),
    fc
      .record({
        text: fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 3 })),
        contentType: fc.constantFrom(...CONTENT_TYPES),
      })
      .map(({ text, contentType }): Body => ({ kind: 'raw', text, contentType })),
  );

/** Would the server hand this body to the use case? Then it is not a refusal to test here. */
function accepted(schema: z.ZodType, body: Body): boolean {
  if (body.kind === 'json') {
    return schema.safeParse(body.value).success;
  }
  if (!/^application\/json(;|$)/.test(body.contentType)) {
    return false;
  }
  try {
    return schema.safeParse(JSON.parse(body.text)).success;
  } catch {
    return false;
  }
}

function expectRefusal(response: ApiResponse, label: string): void {
  expect(response.status, label).toBeGreaterThanOrEqual(400);
  expect(response.status, label).toBeLessThan(500);
  expect(response.contentType, label).toMatch(/^application\/problem\+json/);
  expect(ProblemSchema.safeParse(response.body).success, label).toBe(true);
}

forEachBackend((backend) => {
  const api = useApi(backend);
  let workId = '';
  let before: unknown;

  beforeAll(async () => {
    await api.request('POST', '/v1/journeys', { body: { clientId: 'fuzz' } });
    await api.settle();
    workId = (await api.store.findJourneyByClientId('fuzz'))?.state.setups.sandbox?.workId ?? '';
    before = await snapshotState(api.store);
  });

  describe('POST bodies', () => {
    for (const route of POST_ROUTES) {
      it(`${route.path}: anything the schema refuses is a 4xx problem`, async () => {
        await fc.assert(
          fc.asyncProperty(bodies(route.fields), async (body) => {
            fc.pre(!accepted(route.schema, body));
            const path = route.path.replace('WORK', workId);
            const response =
              body.kind === 'json'
                ? await api.request('POST', path, { body: body.value })
                : await api.request('POST', path, {
                    raw: body.text,
                    contentType: body.contentType,
                  });
            expectRefusal(response, `${path} ${JSON.stringify(body).slice(0, 300)}`);
          }),
          { numRuns: RUNS },
        );
      });
    }
  });

  it('path parameters: never a 5xx, a problem for every refusal', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 200 }),
        fc.constantFrom(
          'GET /v1/journeys/ID',
          'GET /v1/journeys/ID/events',
          'GET /v1/units-of-work/ID',
          'POST /v1/units-of-work/ID/retry',
        ),
        async (id, route) => {
          const [method = 'GET', template = ''] = route.split(' ');
          const path = template.replace('ID', encodeURIComponent(id));
          const response = await api.request(method, path, { as: 'admin' });
          const label = `${method} ${path}`;
          expect(response.status, label).toBeLessThan(500);
          if (response.status >= 400) {
            expectRefusal(response, label);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('query strings of GET /v1/journeys: 200 when valid, else a 400 problem', async () => {
    const key = fc.oneof(
      fc.constantFrom('stage', 'status', 'active', 'clientId', 'limit', 'cursor'),
      fc.string({ maxLength: 10 }),
    );
    const value = fc.oneof(
      fc.constantFrom('sandbox', 'blocked', 'true', 'false', '0', '1', '500', '501', 'fuzz'),
      fc.string({ maxLength: 60 }),
      fc.base64String({ maxLength: 60 }),
      // Forged cursors: the store's shape with any text in it.
      fc
        .tuple(
          fc.oneof(
            fc.string(),
            fc.date().map((d) => d.toString()),
          ),
          fc.string(),
        )
        .map((pair) => Buffer.from(JSON.stringify(pair)).toString('base64url')),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, value), { maxLength: 5 }), async (pairs) => {
        const query = new URLSearchParams(pairs).toString();
        const response = await api.request('GET', `/v1/journeys?${query}`, { as: 'viewer' });
        const label = `?${query}`;
        const parsed: Record<string, string | string[]> = {};
        for (const [k, v] of new URLSearchParams(query)) {
          const previous = parsed[k];
          parsed[k] = previous === undefined ? v : [previous, v].flat();
        }
        if (!JourneyListQuery.safeParse(parsed).success) {
          expect(response.status, label).toBe(400);
        } else {
          expect([200, 400], label).toContain(response.status);
        }
        if (response.status !== 200) {
          expectRefusal(response, label);
        }
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('changed nothing', async () => {
    expect(await snapshotState(api.store)).toEqual(before);
  });
});
