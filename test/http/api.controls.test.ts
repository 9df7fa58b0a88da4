import { expect, it } from 'vitest';
import { DAY } from '../../src/domain/index.js';
import { JourneySchema } from '../../src/http/schemas/views.js';
import { startApiServer } from '../../src/http/server.js';
import { ApiTokens } from '../../src/http/tokens.js';
import { forEachBackend } from '../support/backends.js';
import { startTestEngine } from '../support/engine-harness.js';
import { manualPlaybook, NAMES, TOKENS, useApi, type ApiResponse } from './api-harness.js';
import { expectProblem } from './expect-problem.js';

/** The problem with its `details` (the refusal's data) spread in. */
function problemFields(
  response: ApiResponse,
  status: number,
  code: string,
): Record<string, unknown> {
  const problem = expectProblem(response, status, code);
  return { ...problem, ...(response.json.details as Record<string, unknown>) };
}

/** Pause/resume, stop the line, freezes with override and soak time, over HTTP. */
async function controlsPlaybook() {
  const playbook = await manualPlaybook();
  return {
    ...playbook,
    stages: { ...playbook.stages, pilot: { ...playbook.stages.pilot, soakTime: DAY } },
  };
}

forEachBackend((backend) => {
  const api = useApi(backend, { playbook: controlsPlaybook });
  const journeyOf = async (clientId: string) =>
    JourneySchema.parse((await api.request('GET', `/v1/journeys/${clientId}`)).body);
  const blockerCodes = async (clientId: string) => {
    const readiness = await api.request('GET', `/v1/journeys/${clientId}/readiness`, {
      as: 'viewer',
    });
    expect(readiness.status).toBe(200);
    return (readiness.json.blockers as { code: string }[]).map((blocker) => blocker.code);
  };
  const start = async (clientId: string) => {
    expect((await api.request('POST', '/v1/journeys', { body: { clientId } })).status).toBe(201);
    await api.settle();
    const approved = await api.request('POST', `/v1/journeys/${clientId}/approvals`, {
      as: 'operator',
      body: { criterion: 'demo_approved' },
    });
    expect(approved.status).toBe(201);
  };

  it('an operator pauses and resumes a journey; a viewer may not; bad bodies are 400', async () => {
    await start('pause-1');
    const path = '/v1/journeys/pause-1';
    expectProblem(
      await api.request('POST', `${path}/pause`, { as: 'viewer', body: { reason: 'x' } }),
      403,
      'FORBIDDEN',
    );
    for (const body of [
      {},
      { reason: '' },
      { reason: 'x', extra: 1 },
      { reason: 'x'.repeat(1_001) },
    ]) {
      expect((await api.request('POST', `${path}/pause`, { as: 'operator', body })).status).toBe(
        400,
      );
    }
    const paused = await api.request('POST', `${path}/pause`, {
      as: 'operator',
      body: { reason: 'client asked to wait' },
    });
    expect(paused.status).toBe(200);
    expect(JourneySchema.parse(paused.body).paused).toEqual({
      pausedBy: NAMES.operator,
      reason: 'client asked to wait',
      at: api.clock.now(),
    });
    expect(await blockerCodes('pause-1')).toContain('JOURNEY_PAUSED');
    expectProblem(
      await api.request('POST', `${path}/pause`, { as: 'operator', body: { reason: 'again' } }),
      409,
      'JOURNEY_ALREADY_PAUSED',
    );
    const refused = expectProblem(
      await api.request('POST', `${path}/promotions`, { as: 'admin' }),
      409,
      'JOURNEY_PAUSED',
    );
    expect(refused.detail).toContain(NAMES.operator);

    const resumed = await api.request('POST', `${path}/resume`, { as: 'operator' });
    expect(resumed.status).toBe(200);
    expect(JourneySchema.parse(resumed.body).paused).toBeNull();
    expectProblem(
      await api.request('POST', `${path}/resume`, { as: 'operator', body: { reason: 'twice' } }),
      409,
      'JOURNEY_NOT_PAUSED',
    );
    await api.settle();
    const promoted = await api.request('POST', `${path}/promotions`, { as: 'operator' });
    expect(promoted.status).toBe(200);
    expect(JourneySchema.parse(promoted.body).currentStage).toBe('pilot');
  });

  it('a pause survives a restart: a new engine and API on the same database still hold it', async () => {
    await start('pause-2');
    await api.request('POST', '/v1/journeys/pause-2/pause', {
      as: 'operator',
      body: { reason: 'over the weekend' },
    });
    const record = await api.store.findJourneyByClientId('pause-2');
    expect(record?.state.pause?.reason).toBe('over the weekend');
    const { engine } = await startTestEngine(api.store, api.clock, {
      playbook: await controlsPlaybook(),
    });
    const server = await startApiServer({
      orchestrator: engine.orchestrator,
      store: api.store,
      clock: api.clock,
      tokens: ApiTokens.of([{ name: NAMES.admin, role: 'admin', token: TOKENS.admin }]),
      version: '0.0.0-test',
      host: '127.0.0.1',
      port: 0,
      webRoot: null,
    });
    try {
      const response = await fetch(`${server.url}/v1/journeys/pause-2`, {
        headers: { authorization: `Bearer ${TOKENS.admin}` },
      });
      const journey = JourneySchema.parse(await response.json());
      expect(journey.paused).toMatchObject({
        pausedBy: NAMES.operator,
        reason: 'over the weekend',
      });
      const promote = await fetch(`${server.url}/v1/journeys/pause-2/promotions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKENS.admin}` },
      });
      expect(promote.status).toBe(409);
      expect(((await promote.json()) as { code: string }).code).toBe('JOURNEY_PAUSED');
    } finally {
      await server.close();
      await engine.stop();
    }
  });

  it('an admin stops the line: every promotion is refused naming who and why, until resumed', async () => {
    await start('line-1');
    expectProblem(
      await api.request('POST', '/v1/controls/promotions/pause', {
        as: 'operator',
        body: { reason: 'incident' },
      }),
      403,
      'FORBIDDEN',
    );
    expect(
      (await api.request('POST', '/v1/controls/promotions/pause', { body: { reason: '' } })).status,
    ).toBe(400);
    const stopped = await api.request('POST', '/v1/controls/promotions/pause', {
      body: { reason: 'incident 42' },
    });
    expect(stopped.status).toBe(200);
    const controls = await api.request('GET', '/v1/controls', { as: 'viewer' });
    expect(controls.status).toBe(200);
    expect(controls.json.promotions).toEqual({
      paused: true,
      pausedBy: NAMES.admin,
      reason: 'incident 42',
      pausedAt: api.clock.now(),
    });
    expectProblem(
      await api.request('POST', '/v1/controls/promotions/pause', { body: { reason: 'again' } }),
      409,
      'PROMOTIONS_ALREADY_PAUSED',
    );
    const refused = expectProblem(
      await api.request('POST', '/v1/journeys/line-1/promotions', { as: 'operator' }),
      409,
      'PROMOTIONS_PAUSED',
    );
    expect(refused.detail).toContain('incident 42');
    expect(await blockerCodes('line-1')).toContain('PROMOTIONS_PAUSED');
    // A rollback is still allowed while the line is stopped (nothing to roll back in sandbox).
    expectProblem(
      await api.request('POST', '/v1/controls/promotions/resume', { as: 'viewer' }),
      403,
      'FORBIDDEN',
    );
    const resumed = await api.request('POST', '/v1/controls/promotions/resume', {
      body: { reason: 'resolved' },
    });
    expect(resumed.status).toBe(200);
    expect((resumed.json.changes as { action: string }[]).map((c) => c.action).slice(0, 2)).toEqual(
      ['promotions_resumed', 'promotions_paused'],
    );
    expectProblem(
      await api.request('POST', '/v1/controls/promotions/resume'),
      409,
      'PROMOTIONS_NOT_PAUSED',
    );
    expect((await api.request('POST', '/v1/journeys/line-1/promotions')).status).toBe(200);
  });

  it('a global freeze refuses promotions; an admin overrides one; soak time refuses with the time left', async () => {
    await start('freeze-1');
    const now = api.clock.now();
    const until = new Date(Date.parse(now) + 2 * 3_600_000).toISOString();
    const freeze = { id: 'quarter-close', description: 'Quarter close', from: now, to: until };
    expectProblem(
      await api.request('POST', '/v1/controls/freezes', { as: 'operator', body: freeze }),
      403,
      'FORBIDDEN',
    );
    const invalid = problemFields(
      await api.request('POST', '/v1/controls/freezes', {
        body: { id: 'bad', schedule: '99 * * * *', duration: '1h', timezone: 'Mars/Olympus' },
      }),
      422,
      'FREEZE_INVALID',
    );
    expect(invalid.problems).toHaveLength(1);
    // The playbook's own rule: an unknown key or a bad duration is one more problem listed.
    const unknown = problemFields(
      await api.request('POST', '/v1/controls/freezes', {
        body: { ...freeze, unknown: 1, description: 7 },
      }),
      422,
      'FREEZE_INVALID',
    );
    expect(unknown.problems).toHaveLength(2);
    expect(unknown.detail).toContain('unknown');
    const badDuration = problemFields(
      await api.request('POST', '/v1/controls/freezes', {
        body: { id: 'weekend', schedule: '0 18 * * 5', duration: '60 hours' },
      }),
      422,
      'FREEZE_INVALID',
    );
    expect(badDuration.problems).toEqual([expect.objectContaining({ path: 'duration' })]);
    // The reason is the API's own: 400 naming it; a body that is not an object too.
    const badReason = expectProblem(
      await api.request('POST', '/v1/controls/freezes', { body: { ...freeze, reason: '' } }),
      400,
      'VALIDATION_FAILED',
    );
    expect(badReason.errors?.[0]?.path).toBe('/reason');
    expectProblem(
      await api.request('POST', '/v1/controls/freezes', { body: [freeze] }),
      400,
      'VALIDATION_FAILED',
    );
    const added = await api.request('POST', '/v1/controls/freezes', {
      body: { ...freeze, reason: 'finance asked' },
    });
    expect(added.status).toBe(201);
    expect(added.json.freezes).toMatchObject([
      {
        freezeId: 'quarter-close',
        // As written: the time zone was left out, so it is (UTC by default).
        freeze: { id: 'quarter-close', description: 'Quarter close', from: now, to: until },
        status: 'valid',
        problems: [],
        createdBy: NAMES.admin,
        reason: 'finance asked',
        activeNow: { freezeId: 'quarter-close', scope: 'global', until },
      },
    ]);
    expectProblem(
      await api.request('POST', '/v1/controls/freezes', { body: freeze }),
      409,
      'FREEZE_EXISTS',
    );

    const refused = problemFields(
      await api.request('POST', '/v1/journeys/freeze-1/promotions', { as: 'operator' }),
      409,
      'FREEZE_IN_FORCE',
    );
    expect(refused.until).toBe(until);
    expect(refused.detail).toContain('quarter-close');
    expectProblem(
      await api.request('POST', '/v1/journeys/freeze-1/promotions', {
        as: 'operator',
        body: { overrideFreeze: { reason: 'hotfix' } },
      }),
      403,
      'FREEZE_OVERRIDE_NOT_ALLOWED',
    );
    const overridden = await api.request('POST', '/v1/journeys/freeze-1/promotions', {
      body: { overrideFreeze: { reason: 'hotfix for the client' } },
    });
    expect(overridden.status).toBe(200);
    const events = await api.request('GET', '/v1/journeys/freeze-1/events');
    const promotion = (events.json.items as { type: string; data: unknown }[]).find(
      (e) => e.type === 'StagePromoted',
    );
    expect(promotion?.data).toMatchObject({
      freezeOverride: {
        reason: 'hotfix for the client',
        overriddenBy: NAMES.admin,
        freezes: [{ freezeId: 'quarter-close', scope: 'global', until }],
      },
    });

    // Pilot soaks for a day: refused with the time left, even for an admin overriding freezes.
    await api.settle();
    const early = problemFields(
      await api.request('POST', '/v1/journeys/freeze-1/promotions', {
        body: { overrideFreeze: { reason: 'still the hotfix' } },
      }),
      409,
      'SOAK_TIME_NOT_ELAPSED',
    );
    expect(early.remainingMs).toBe(DAY);
    // Readiness says so too, and when it lifts.
    const readiness = await api.request('GET', '/v1/journeys/freeze-1/readiness', { as: 'viewer' });
    expect(readiness.json.blockers).toContainEqual(
      expect.objectContaining({ code: 'SOAK_TIME_NOT_ELAPSED', until: early.endsAt }),
    );

    const removed = await api.request('DELETE', '/v1/controls/freezes/quarter-close?reason=done');
    expect(removed.status).toBe(200);
    expect(removed.json.freezes).toEqual([]);
    expectProblem(
      await api.request('DELETE', '/v1/controls/freezes/quarter-close'),
      404,
      'FREEZE_NOT_FOUND',
    );
    expect((await journeyOf('freeze-1')).currentStage).toBe('pilot');
  });

  it('a freeze is kept as written; one whose stored form no longer validates is shown invalid and holds promotions', async () => {
    await start('freeze-2');
    const written = {
      id: 'weekend',
      schedule: '0 18 * * 5',
      duration: '2d12h',
      timezone: 'Europe/Berlin',
    };
    expect(
      (await api.request('POST', '/v1/controls/freezes', { body: { ...written, reason: 'r' } }))
        .status,
    ).toBe(201);
    const [stored] = await api.store.listGlobalFreezes();
    expect(stored?.definition).toEqual(written);
    expect(
      (await api.request('DELETE', '/v1/controls/freezes/weekend', { as: 'admin' })).status,
    ).toBe(200);

    await api.store.addGlobalFreeze({
      freezeId: 'hand-made',
      definition: { id: 'hand-made', from: 'soon', to: 'later', colour: 'red' },
      createdBy: 'dba',
      reason: null,
      createdAt: api.clock.now(),
    });
    const controls = await api.request('GET', '/v1/controls', { as: 'viewer' });
    expect(controls.status).toBe(200);
    const [shown] = controls.json.freezes as Record<string, unknown>[];
    expect(shown).toMatchObject({
      freezeId: 'hand-made',
      freeze: { id: 'hand-made', from: 'soon', to: 'later', colour: 'red' },
      status: 'invalid',
      activeNow: { freezeId: 'hand-made', scope: 'global' },
    });
    expect((shown?.problems as unknown[]).length).toBeGreaterThanOrEqual(2);
    const refused = problemFields(
      await api.request('POST', '/v1/journeys/freeze-2/promotions', { as: 'operator' }),
      409,
      'FREEZE_IN_FORCE',
    );
    expect(refused.detail).toContain('hand-made');
    expect(await blockerCodes('freeze-2')).toContain('FREEZE_IN_FORCE');
    expect(
      (await api.request('DELETE', '/v1/controls/freezes/hand-made', { as: 'admin' })).status,
    ).toBe(200);
    expect((await api.request('POST', '/v1/journeys/freeze-2/promotions')).status).toBe(200);
  });
});
