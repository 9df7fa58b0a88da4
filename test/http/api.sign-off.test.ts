import { expect, it } from 'vitest';
import { HOUR } from '../../src/domain/index.js';
import { ReadinessSchema, SignOffLinkSchema } from '../../src/http/schemas/evidence.js';
import { JourneySchema } from '../../src/http/schemas/views.js';
import { signOffToken } from '../../src/http/sign-off/sign-off-token.js';
import { forEachBackend } from '../support/backends.js';
import { NAMES, TEST_SIGN_OFF_SECRET, useApi } from './api-harness.js';
import { expectProblem } from './expect-problem.js';

/** Client sign-off links on the default playbook (the sandbox promotes once the demo is approved). */
forEachBackend((backend) => {
  const api = useApi(backend);

  const start = async (clientId: string) => {
    expect((await api.request('POST', '/v1/journeys', { body: { clientId } })).status).toBe(201);
    await api.settle();
  };
  const issue = async (clientId: string, body: Record<string, unknown>) => {
    const response = await api.request('POST', `/v1/journeys/${clientId}/sign-off-links`, {
      as: 'operator',
      body,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return SignOffLinkSchema.parse(response.body);
  };
  const path = (url: string) => new URL(url).pathname;
  const submit = (url: string, form: Record<string, string>) =>
    api.request('POST', path(url), {
      as: 'none',
      raw: new URLSearchParams(form).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });

  it('a valid link shows what is approved, records the client once, and the journey promotes', async () => {
    await start('signoff-ok');
    const link = await issue('signoff-ok', {
      criterion: 'demo_approved',
      approverName: 'Jane Client',
      note: 'Please confirm <the> demo',
    });
    expect(link).toMatchObject({
      clientId: 'signoff-ok',
      stage: 'sandbox',
      criterion: 'demo_approved',
    });
    expect(Date.parse(link.expiresAt) - Date.parse(api.clock.now())).toBe(72 * HOUR);
    expect(link.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sign-off\/v1\.[\w-]{22}\.[\w-]{43}$/);

    const page = await api.request('GET', path(link.url), { as: 'none' });
    expect(page.status).toBe(200);
    expect(page.contentType).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = String(page.body);
    for (const text of ['signoff-ok', 'sandbox', 'Demo approved by client', 'Jane Client']) {
      expect(html).toContain(text);
    }
    expect(html).toContain('Please confirm &#60;the&#62; demo');
    expect(html).toContain('<form method="post">');
    expect(html).not.toContain('<script');
    // Opening the link is no decision: it can be opened again.
    expect((await api.request('GET', path(link.url), { as: 'none' })).status).toBe(200);

    const readiness = ReadinessSchema.parse(
      (await api.request('GET', '/v1/journeys/signoff-ok/readiness', { as: 'viewer' })).body,
    );
    const demo = readiness.criteria.find((c) => c.criterionId === 'demo_approved');
    expect(demo?.approval?.openSignOffLinks).toEqual([
      expect.objectContaining({
        linkId: link.linkId,
        approverName: 'Jane Client',
        issuedBy: NAMES.operator,
      }),
    ]);

    const done = await submit(link.url, { decision: 'approved', comment: 'Looks good' });
    expect(done.status).toBe(200);
    expect(String(done.body)).toContain('is recorded');
    await api.settle();
    const journey = JourneySchema.parse((await api.request('GET', '/v1/journeys/signoff-ok')).body);
    // Every stage of the default playbook promotes by itself once its gate passes.
    expect(journey.currentStage).not.toBe('sandbox');
    expect(journey.stageHistory[0]).toMatchObject({
      kind: 'promotion',
      fromStage: 'sandbox',
      toStage: 'pilot',
    });
    const granted = (await api.store.readStream(journey.journeyId)).find(
      (e) => e.type === 'ApprovalGranted',
    );
    expect(granted?.event).toMatchObject({
      criterionId: 'demo_approved',
      approverId: 'client:Jane Client',
      role: 'client',
      comment: 'Looks good',
    });
    expect(granted?.metadata.causedBy).toBe('client:Jane Client');

    // Reused: refused, whatever the method.
    const again = await submit(link.url, { decision: 'approved' });
    expect(again.status).toBe(410);
    expect(String(again.body)).toContain('already used');
    expect((await api.request('GET', path(link.url), { as: 'none' })).status).toBe(410);
    expect(
      (await api.store.readStream(journey.journeyId)).filter((e) => e.type === 'ApprovalGranted'),
    ).toHaveLength(1);
  });

  it('a rejection is recorded and blocks the gate', async () => {
    await start('signoff-no');
    const link = await issue('signoff-no', { criterion: 'demo_approved' });
    expect(link.approverName).toBeNull();
    expect(
      (await submit(link.url, { decision: 'rejected', comment: 'Search misses PDFs' })).status,
    ).toBe(200);
    await api.settle();
    const readiness = ReadinessSchema.parse(
      (await api.request('GET', '/v1/journeys/signoff-no/readiness')).body,
    );
    expect(readiness.stage).toBe('sandbox');
    expect(readiness.blockers).toEqual([
      expect.objectContaining({ code: 'APPROVAL_REJECTED', criterionId: 'demo_approved' }),
    ]);
    expect(readiness.blockers[0]?.message).toContain(`client:${link.linkId}`);
  });

  it('refuses expired, tampered, forged and out-of-scope links with a page and a 4xx', async () => {
    await start('signoff-bad');
    const link = await issue('signoff-bad', { criterion: 'demo_approved', expiresIn: '1h' });
    const token = path(link.url).split('/').at(-1) ?? '';
    const [, linkId = '', signature = ''] = token.split('.');
    const flip = (text: string, at: number) =>
      `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;

    const refusedWith = async (candidate: string, status: number, words: string) => {
      for (const response of [
        await api.request('GET', `/sign-off/${candidate}`, { as: 'none' }),
        await api.request('POST', `/sign-off/${candidate}`, {
          as: 'none',
          raw: 'decision=approved',
          contentType: 'application/x-www-form-urlencoded',
        }),
      ]) {
        expect(response.status, candidate).toBe(status);
        expect(response.contentType).toMatch(/^text\/html/);
        expect(String(response.body)).toContain(words);
      }
    };
    await refusedWith(`v1.${linkId}.${flip(signature, 5)}`, 403, 'not valid');
    await refusedWith(`v1.${flip(linkId, 3)}.${signature}`, 403, 'not valid');
    await refusedWith('v1.abc.def', 403, 'not valid');
    await refusedWith('anything', 403, 'not valid');
    // Signed with another key, or signed for another criterion of the same link: forged.
    const stored = await api.store.findSignOffLink(linkId);
    expect(stored).not.toBeNull();
    if (stored === null) {
      return;
    }
    await refusedWith(
      signOffToken(Buffer.from('another-secret-of-enough-length!!'), stored),
      403,
      'not valid',
    );
    await refusedWith(
      signOffToken(Buffer.from(TEST_SIGN_OFF_SECRET), { ...stored, criterionId: 'search_quality' }),
      403,
      'not valid',
    );
    // The genuine token still works until it expires.
    expect((await api.request('GET', `/sign-off/${token}`, { as: 'none' })).status).toBe(200);
    api.clock.advance(HOUR + 1);
    await refusedWith(token, 410, 'expired');
    const journey = JourneySchema.parse(
      (await api.request('GET', '/v1/journeys/signoff-bad')).body,
    );
    expect(journey.approvals).toEqual([]);
  });

  it('refuses a link whose journey moved on to another stage', async () => {
    await start('signoff-moved');
    const link = await issue('signoff-moved', { criterion: 'demo_approved', expiresIn: '2d' });
    expect(
      (
        await api.request('POST', '/v1/journeys/signoff-moved/approvals', {
          as: 'operator',
          body: { criterion: 'demo_approved' },
        })
      ).status,
    ).toBe(201);
    await api.settle();
    expect((await api.request('GET', '/v1/journeys/signoff-moved')).json.currentStage).not.toBe(
      'sandbox',
    );
    const response = await submit(link.url, { decision: 'approved' });
    expect(response.status).toBe(409);
    expect(String(response.body)).toContain('no longer open');
  });

  it('only operators issue links, for approval criteria that allow clients; bad input is 400', async () => {
    await start('signoff-input');
    const post = (body: unknown, as: 'viewer' | 'operator' = 'operator') =>
      api.request('POST', '/v1/journeys/signoff-input/sign-off-links', { as, body });
    expectProblem(await post({ criterion: 'demo_approved' }, 'viewer'), 403, 'FORBIDDEN');
    expectProblem(
      await api.request('POST', '/v1/journeys/signoff-input/sign-off-links', {
        as: 'none',
        body: { criterion: 'demo_approved' },
      }),
      401,
      'UNAUTHORIZED',
    );
    for (const body of [
      {},
      { criterion: 'demo approved' },
      { criterion: 'demo_approved', expiresIn: 'forever' },
      { criterion: 'demo_approved', expiresIn: '72' },
      { criterion: 'demo_approved', expiresIn: '31d' },
      { criterion: 'demo_approved', expiresIn: '30s' },
      { criterion: 'demo_approved', approverName: 'two\nlines' },
      { criterion: 'demo_approved', approverName: 'x'.repeat(101) },
      { criterion: 'demo_approved', note: 'n'.repeat(1_001) },
      { criterion: 'demo_approved', extra: true },
    ]) {
      expectProblem(await post(body), 400, 'VALIDATION_FAILED');
    }
    expectProblem(await post({ criterion: 'nope' }), 404, 'UNKNOWN_CRITERION');
    expectProblem(await post({ criterion: 'search_quality' }), 422, 'NOT_AN_APPROVAL_CRITERION');
    expectProblem(
      await api.request('POST', '/v1/journeys/nobody/sign-off-links', {
        as: 'operator',
        body: { criterion: 'demo_approved' },
      }),
      404,
      'JOURNEY_NOT_STARTED',
    );
    // A form without a decision is a 400 page, and the link stays usable.
    const link = await issue('signoff-input', { criterion: 'demo_approved' });
    const bad = await submit(link.url, { decision: 'maybe' });
    expect(bad.status).toBe(400);
    expect((await api.request('GET', path(link.url), { as: 'none' })).status).toBe(200);
  });
});
