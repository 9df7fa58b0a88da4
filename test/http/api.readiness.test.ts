import { expect, it } from 'vitest';
import { addMillis, DAY, HOUR, type ApprovalCriterion } from '../../src/domain/index.js';
import { ReadinessSchema } from '../../src/http/schemas/evidence.js';
import type { Playbook } from '../../src/playbook/index.js';
import { forEachBackend } from '../support/backends.js';
import { manualPlaybook, NAMES, useApi } from './api-harness.js';
import { expectProblem } from './expect-problem.js';

/** The demo needs two approvals, one of them ada's, each valid for an hour; nothing promotes alone. */
async function policyPlaybook(): Promise<Playbook> {
  const playbook = await manualPlaybook();
  const sandbox = playbook.stages.sandbox;
  const exitCriteria = sandbox.exitCriteria.map((criterion) =>
    criterion.kind === 'approval' && criterion.id === 'demo_approved'
      ? ({
          ...criterion,
          policy: {
            roles: ['client', 'operator', 'admin'],
            minApprovals: 2,
            requiredApprovers: [NAMES.admin],
            expiresAfter: HOUR,
          },
        } satisfies ApprovalCriterion)
      : criterion,
  );
  return { ...playbook, stages: { ...playbook.stages, sandbox: { ...sandbox, exitCriteria } } };
}

forEachBackend((backend) => {
  const api = useApi(backend, { playbook: policyPlaybook });
  const readiness = async (clientId: string) => {
    const response = await api.request('GET', `/v1/journeys/${clientId}/readiness`, {
      as: 'viewer',
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return ReadinessSchema.parse(response.body);
  };
  const codes = (view: { blockers: readonly { code: string }[] }) =>
    view.blockers.map((b) => b.code);
  const approve = async (clientId: string, as: 'operator' | 'admin') =>
    expect(
      (
        await api.request('POST', `/v1/journeys/${clientId}/approvals`, {
          as,
          body: { criterion: 'demo_approved', comment: `ok from ${as}` },
        })
      ).status,
    ).toBe(201);

  it('says what blocks: setup running, a failing criterion, approvals with their policy', async () => {
    expect(
      (await api.request('POST', '/v1/journeys', { body: { clientId: 'ready' } })).status,
    ).toBe(201);

    // Before the engine ran anything: the setup is running; metrics already read now.
    const early = await readiness('ready');
    expect(early).toMatchObject({ stage: 'sandbox', nextStage: 'pilot', ready: false });
    expect(early.setup).toMatchObject({ status: 'running', done: false });
    expect(codes(early)).toEqual(['SETUP_RUNNING', 'APPROVAL_PENDING']);

    await api.settle();
    api.agents.setMetric('measure_search_quality', 70);
    const failing = await readiness('ready');
    expect(failing.setup).toMatchObject({ status: 'completed', done: true });
    expect(codes(failing)).toEqual(['CRITERION_FAILED', 'APPROVAL_PENDING']);
    const quality = failing.criteria.find((c) => c.criterionId === 'search_quality');
    expect(quality).toMatchObject({
      kind: 'metric',
      source: 'agent',
      outcome: 'failed',
      observed: 70,
      comparator: 'gt',
      threshold: 80,
      unit: '%',
      window: null,
      approval: null,
    });
    expect(failing.blockers[0]).toMatchObject({ criterionId: 'search_quality' });
    expect(failing.blockers[0]?.message).toContain('70 is not > 80');
    const demo = failing.criteria.find((c) => c.criterionId === 'demo_approved');
    expect(demo?.approval).toEqual({
      policy: {
        roles: ['client', 'operator', 'admin'],
        minApprovals: 2,
        requiredApprovers: [NAMES.admin],
        expiresAfterMs: HOUR,
      },
      approvedBy: [],
      rejectedBy: [],
      approvalsNeeded: 2,
      missingApprovers: [NAMES.admin],
      decisions: [],
      reminder: null,
      openSignOffLinks: [],
    });
    expect(failing.blockers[1]?.message).toMatch(
      /roles that may approve: client, operator, admin, including ada/,
    );

    // Readiness records nothing.
    const journeyId = failing.journeyId;
    const recorded = async () => (await api.store.readStream(journeyId)).length;
    const before = await recorded();
    await readiness('ready');
    expect(await recorded()).toBe(before);

    // One approval, then it expires; then two fresh ones pass.
    api.agents.heal('measure_search_quality').setMetric('measure_search_quality', 92);
    await approve('ready', 'operator');
    const oneOfTwo = await readiness('ready');
    expect(
      oneOfTwo.criteria.find((c) => c.criterionId === 'demo_approved')?.approval,
    ).toMatchObject({
      approvedBy: [NAMES.operator],
      approvalsNeeded: 1,
      missingApprovers: [NAMES.admin],
      decisions: [
        {
          approverId: NAMES.operator,
          role: 'operator',
          decision: 'approved',
          comment: 'ok from operator',
          counts: true,
          expired: false,
          expiresAt: addMillis(api.clock.now(), HOUR),
        },
      ],
    });
    api.clock.advance(2 * HOUR);
    const expired = await readiness('ready');
    expect(expired.criteria.find((c) => c.criterionId === 'demo_approved')?.approval).toMatchObject(
      {
        approvedBy: [],
        approvalsNeeded: 2,
        decisions: [{ approverId: NAMES.operator, counts: false, expired: true }],
      },
    );
    expect(expired.blockers.map((b) => b.message).join(' ')).toContain('expired');

    await approve('ready', 'operator');
    await approve('ready', 'admin');
    await api.settle();
    const ready = await readiness('ready');
    expect(ready.blockers).toEqual([]);
    expect(ready).toMatchObject({
      ready: true,
      summary: expect.stringContaining('Ready') as string,
    });
  });

  it('shows the time left on a window, moving with the clock, and ends when the journey does', async () => {
    expect(
      (await api.request('POST', '/v1/journeys', { body: { clientId: 'windowed' } })).status,
    ).toBe(201);
    await api.settle();
    await approve('windowed', 'operator');
    await approve('windowed', 'admin');
    await api.settle();
    expect(
      (await api.request('POST', '/v1/journeys/windowed/promotions', { as: 'operator' })).status,
    ).toBe(200);
    await api.settle();
    // The last critical bug was two days ago: five of the seven days are still to go.
    api.agents.setMetric('critical_bug_count', 0, addMillis(api.clock.now(), -2 * DAY));
    const view = await readiness('windowed');
    expect(view.stage).toBe('pilot');
    expect(codes(view)).toEqual(['WINDOW_OPEN']);
    expect(view.blockers[0]).toMatchObject({
      criterionId: 'no_critical_bugs',
      until: addMillis(api.clock.now(), 5 * DAY),
    });
    expect(view.criteria.find((c) => c.criterionId === 'no_critical_bugs')?.window).toEqual({
      windowMs: 7 * DAY,
      holdingSince: addMillis(api.clock.now(), -2 * DAY),
      remainingMs: 5 * DAY,
      passesAt: addMillis(api.clock.now(), 5 * DAY),
    });
    api.clock.advance(DAY);
    const later = await readiness('windowed');
    expect(
      later.criteria.find((c) => c.criterionId === 'no_critical_bugs')?.window?.remainingMs,
    ).toBe(4 * DAY);

    // A breach restarts the clock: the criterion fails with the whole window to go.
    api.agents.setMetric('critical_bug_count', 1);
    const breached = await readiness('windowed');
    expect(codes(breached)).toEqual(['CRITERION_FAILED']);
    expect(
      breached.criteria.find((c) => c.criterionId === 'no_critical_bugs')?.window,
    ).toMatchObject({
      holdingSince: null,
      remainingMs: 7 * DAY,
      passesAt: null,
    });

    expect(
      (
        await api.request('POST', '/v1/journeys/windowed/cancel', {
          as: 'operator',
          body: { reason: 'done testing' },
        })
      ).status,
    ).toBe(200);
    const ended = await readiness('windowed');
    expect(ended).toMatchObject({
      stage: 'cancelled',
      nextStage: null,
      ready: false,
      criteria: [],
    });
    expect(codes(ended)).toEqual(['JOURNEY_ENDED']);
  });

  it('answers 404 for a client without a journey and 401 without a token', async () => {
    expectProblem(
      await api.request('GET', '/v1/journeys/nobody/readiness'),
      404,
      'JOURNEY_NOT_STARTED',
    );
    expectProblem(await api.request('GET', '/v1/journeys/nobody/readiness', { as: 'none' }), 401);
  });
});
