import { Writable } from 'node:stream';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { MINUTE } from '../../src/domain/index.js';
import { ReadinessSchema, SignOffLinkSchema } from '../../src/http/schemas/evidence.js';
import {
  IssuedSignOffLinkSchema,
  SignOffLinkListSchema,
} from '../../src/http/schemas/sign-off-links.js';
import { startApiServer } from '../../src/http/server.js';
import { ApiTokens } from '../../src/http/tokens.js';
import { forEachBackend } from '../support/backends.js';
import { NAMES, TEST_SIGN_OFF_SECRET, TOKENS, useApi } from './api-harness.js';
import { expectProblem } from './expect-problem.js';

/** Listing and revoking sign-off links, over HTTP, on the default playbook. */
forEachBackend((backend) => {
  const api = useApi(backend);

  const start = async (clientId: string) => {
    expect((await api.request('POST', '/v1/journeys', { body: { clientId } })).status).toBe(201);
    await api.settle();
  };
  const issue = async (clientId: string, body: Record<string, unknown> = {}) => {
    const response = await api.request('POST', `/v1/journeys/${clientId}/sign-off-links`, {
      as: 'operator',
      body: { criterion: 'demo_approved', ...body },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return SignOffLinkSchema.parse(response.body);
  };
  const list = async (clientId: string) => {
    const response = await api.request('GET', `/v1/journeys/${clientId}/sign-off-links`, {
      as: 'viewer',
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return SignOffLinkListSchema.parse(response.body).items;
  };
  const statuses = async (clientId: string) =>
    Object.fromEntries((await list(clientId)).map((link) => [link.linkId, link.status]));
  const revoke = (
    clientId: string,
    linkId: string,
    query = '',
    as: 'operator' | 'viewer' = 'operator',
  ) => api.request('DELETE', `/v1/journeys/${clientId}/sign-off-links/${linkId}${query}`, { as });
  const path = (url: string) => new URL(url).pathname;
  const submit = (url: string, decision: 'approved' | 'rejected') =>
    api.request('POST', path(url), {
      as: 'none',
      raw: new URLSearchParams({ decision }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });

  it('lists every link with its status, never its token', async () => {
    await start('links-list');
    const used = await issue('links-list', { approverName: 'Jane' });
    const revoked = await issue('links-list');
    const expiring = await issue('links-list', { expiresIn: '1m' });
    const left = await issue('links-list', { expiresIn: '2d', note: 'for later' });
    expect(await statuses('links-list')).toEqual({
      [used.linkId]: 'open',
      [revoked.linkId]: 'open',
      [expiring.linkId]: 'open',
      [left.linkId]: 'open',
    });

    const response = await revoke(
      'links-list',
      revoked.linkId,
      '?reason=sent%20to%20the%20wrong%20person',
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(IssuedSignOffLinkSchema.parse(response.body)).toMatchObject({
      linkId: revoked.linkId,
      status: 'revoked',
      revokedBy: NAMES.operator,
      revokedAt: api.clock.now(),
      revokeReason: 'sent to the wrong person',
      usedAt: null,
    });
    api.clock.advance(MINUTE);
    // Readiness offers only the links that still work.
    const readiness = ReadinessSchema.parse(
      (await api.request('GET', '/v1/journeys/links-list/readiness', { as: 'viewer' })).body,
    );
    const demo = readiness.criteria.find((c) => c.criterionId === 'demo_approved');
    expect(demo?.approval?.openSignOffLinks.map((l) => l.linkId).sort()).toEqual(
      [used.linkId, left.linkId].sort(),
    );

    expect((await submit(used.url, 'approved')).status).toBe(200);
    await api.settle();
    const links = await list('links-list');
    expect(Object.fromEntries(links.map((l) => [l.linkId, l.status]))).toEqual({
      [used.linkId]: 'used',
      [revoked.linkId]: 'revoked',
      [expiring.linkId]: 'expired',
      // The approval promoted the journey: the visit the link was issued for is over.
      [left.linkId]: 'stale',
    });
    // Oldest first (these were issued at one instant, so in link id order).
    expect(links.map((l) => l.linkId)).toEqual(
      [used, revoked, expiring, left].map((l) => l.linkId).sort(),
    );
    const byId = (linkId: string) => links.find((l) => l.linkId === linkId);
    expect(byId(used.linkId)).toMatchObject({
      clientId: 'links-list',
      stage: 'sandbox',
      criterion: 'demo_approved',
      approverName: 'Jane',
      decision: 'approved',
      issuedBy: NAMES.operator,
      expiresAt: used.expiresAt,
      revokedBy: null,
      revokedAt: null,
      revokeReason: null,
    });
    expect(byId(used.linkId)?.usedAt).not.toBeNull();
    expect(byId(left.linkId)?.note).toBe('for later');
    // The token is a bearer credential shown once: never listed.
    const text = JSON.stringify(links);
    for (const link of [used, revoked, expiring, left]) {
      expect(text).not.toContain(path(link.url).split('.').at(-1));
    }
    expect(text).not.toContain('"url"');
    expectProblem(
      await api.request('GET', '/v1/journeys/nobody/sign-off-links', { as: 'viewer' }),
      404,
      'JOURNEY_NOT_STARTED',
    );
  });

  it("revokes an open link once: refused for a used or revoked one, another journey's, a viewer, bad input", async () => {
    await start('links-revoke');
    await start('links-other');
    const link = await issue('links-revoke');
    const other = await issue('links-other');

    expectProblem(await revoke('links-revoke', link.linkId, '', 'viewer'), 403, 'FORBIDDEN');
    expectProblem(
      await api.request('DELETE', `/v1/journeys/links-revoke/sign-off-links/${link.linkId}`, {
        as: 'none',
      }),
      401,
      'UNAUTHORIZED',
    );
    for (const [linkId, query, field] of [
      ['short', '', '/linkId'],
      [`${link.linkId}!`, '', '/linkId'],
      [link.linkId, '?reason=', '/reason'],
      [link.linkId, `?reason=${'x'.repeat(1_001)}`, '/reason'],
      [link.linkId, '?why=x', ''],
    ] as const) {
      const problem = expectProblem(
        await revoke('links-revoke', encodeURIComponent(linkId), query),
        400,
        'VALIDATION_FAILED',
      );
      expect(JSON.stringify(problem.errors), `${linkId}${query}`).toContain(field);
    }
    expectProblem(
      await revoke('links-revoke', 'AAAAAAAAAAAAAAAAAAAAAA'),
      404,
      'SIGN_OFF_LINK_NOT_FOUND',
    );
    expectProblem(await revoke('links-revoke', other.linkId), 404, 'SIGN_OFF_LINK_NOT_FOUND');
    expectProblem(await revoke('nobody', link.linkId), 404, 'JOURNEY_NOT_STARTED');

    const first = await revoke('links-revoke', link.linkId);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ status: 'revoked', revokeReason: null });
    const again = expectProblem(
      await revoke('links-revoke', link.linkId, '?reason=twice'),
      409,
      'SIGN_OFF_LINK_REVOKED',
    );
    expect(again.detail).toContain(NAMES.operator);

    // A used link stays as it was.
    expect((await submit(other.url, 'rejected')).status).toBe(200);
    expectProblem(await revoke('links-other', other.linkId), 409, 'SIGN_OFF_LINK_USED');
    expect((await list('links-other'))[0]).toMatchObject({ status: 'used', revokedAt: null });
    // Nothing but the links changed: the revoked one recorded no decision.
    const journey = await api.store.findJourneyByClientId('links-revoke');
    expect(
      (await api.store.readStream(journey?.journeyId ?? '')).filter((e) =>
        e.type.startsWith('Approval'),
      ),
    ).toEqual([]);
  });

  it('a revoked link answers a 410 page "revoked" and is logged as refused (kind revoked)', async () => {
    await start('links-page');
    const link = await issue('links-page');
    expect((await api.request('GET', path(link.url), { as: 'none' })).status).toBe(200);
    expect((await revoke('links-page', link.linkId, '?reason=wrong%20client')).status).toBe(200);
    for (const response of [
      await api.request('GET', path(link.url), { as: 'none' }),
      await submit(link.url, 'approved'),
    ]) {
      expect(response.status).toBe(410);
      expect(response.contentType).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const html = String(response.body);
      expect(html).toContain('This link was revoked');
      expect(html).not.toContain('wrong client');
    }
    expect((await list('links-page'))[0]?.status).toBe('revoked');

    // The refusal's log line, on a server with a logger (same database, same key).
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const server = await startApiServer({
      orchestrator: api.engine.orchestrator,
      store: api.store,
      clock: api.clock,
      tokens: ApiTokens.of([{ name: NAMES.admin, role: 'admin', token: TOKENS.admin }]),
      version: '0.0.0-test',
      logger: pino({ level: 'info' }, sink),
      playbooks: api.engine.context.playbooks,
      signOff: { secret: TEST_SIGN_OFF_SECRET },
      webRoot: null,
      host: '127.0.0.1',
      port: 0,
    });
    try {
      expect((await fetch(`${server.url}${path(link.url)}`)).status).toBe(410);
    } finally {
      await server.close();
    }
    const refusal = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.msg === 'sign-off link refused');
    expect(refusal).toMatchObject({ refusal: 'revoked', linkId: link.linkId, level: 40 });
    expect(lines.join('')).not.toContain(path(link.url).split('.').at(-1));
  });

  it('of a revocation and the client using the link at once, exactly one wins', async () => {
    await start('links-race');
    const links = await Promise.all([1, 2, 3, 4, 5, 6].map(() => issue('links-race')));
    // A rejection keeps the journey in its stage, so every link stays in scope.
    const outcomes = await Promise.all(
      links.map(async (link) => {
        const [revoked, used] = await Promise.all([
          revoke('links-race', link.linkId, '?reason=race'),
          submit(link.url, 'rejected'),
        ]);
        return { link, revoked, used };
      }),
    );
    const after = new Map((await list('links-race')).map((l) => [l.linkId, l]));
    let decisions = 0;
    for (const { link, revoked, used } of outcomes) {
      const row = after.get(link.linkId);
      if (revoked.status === 200) {
        expect(used.status, String(used.body)).toBe(410);
        expect(String(used.body)).toContain('revoked');
        expect(row).toMatchObject({ status: 'revoked', usedAt: null, decision: null });
      } else {
        expectProblem(revoked, 409, 'SIGN_OFF_LINK_USED');
        expect(used.status).toBe(200);
        expect(row).toMatchObject({ status: 'used', decision: 'rejected', revokedAt: null });
        decisions += 1;
      }
    }
    const journey = await api.store.findJourneyByClientId('links-race');
    const rejections = (await api.store.readStream(journey?.journeyId ?? '')).filter(
      (e) => e.type === 'ApprovalRejected',
    );
    expect(rejections).toHaveLength(decisions);

    // The same race straight on the store, where the calls truly overlap (PostgreSQL's pool).
    const more = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(() => issue('links-race')));
    const won = await Promise.all(
      more.map((link) =>
        Promise.all([
          api.store.revokeSignOffLink(link.linkId, {
            revokedBy: 'otto',
            revokedAt: api.clock.now(),
            reason: null,
          }),
          api.store.useSignOffLink(link.linkId, api.clock.now(), 'approved'),
        ]),
      ),
    );
    for (const [revokedFirst, usedFirst] of won) {
      expect(revokedFirst !== usedFirst).toBe(true);
    }
  });
});
