import { expect, it } from 'vitest';
import {
  addMillis,
  HOUR,
  MINUTE,
  type ExitCriterion,
  type JourneyEvent,
} from '../../src/domain/index.js';
import { ReadinessSchema } from '../../src/http/schemas/evidence.js';
import type { Playbook } from '../../src/playbook/index.js';
import { forEachBackend } from '../support/backends.js';
import { testPlaybook } from '../support/engine-harness.js';
import { useApi } from './api-harness.js';

/**
 * Approval reminders and inconclusive deadlines over HTTP (docs/controls.md): the sandbox
 * reminds of demo_approved every hour after the first, accepts an undecided search_quality
 * after 4h and escalates an undecided security_scan_passed after 2h.
 */
async function timedPlaybook(): Promise<Playbook> {
  const playbook = await testPlaybook();
  const sandbox = playbook.stages.sandbox;
  const exitCriteria = sandbox.exitCriteria.map((criterion): ExitCriterion => {
    if (criterion.kind === 'approval') {
      return { ...criterion, reminder: { after: HOUR, every: HOUR } };
    }
    if (criterion.id === 'search_quality') {
      return { ...criterion, inconclusiveDeadline: { after: 4 * HOUR, onDeadline: 'accept' } };
    }
    return criterion.id === 'security_scan_passed'
      ? { ...criterion, inconclusiveDeadline: { after: 2 * HOUR, onDeadline: 'escalate' } }
      : criterion;
  });
  return { ...playbook, stages: { ...playbook.stages, sandbox: { ...sandbox, exitCriteria } } };
}

forEachBackend((backend) => {
  const api = useApi(backend, { playbook: timedPlaybook });
  const readiness = async (clientId: string) => {
    const response = await api.request('GET', `/v1/journeys/${clientId}/readiness`, {
      as: 'viewer',
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return ReadinessSchema.parse(response.body);
  };
  const criterionOf = async (clientId: string, criterionId: string) =>
    (await readiness(clientId)).criteria.find((c) => c.criterionId === criterionId);
  const start = async (clientId: string): Promise<string> => {
    const response = await api.request('POST', '/v1/journeys', { body: { clientId } });
    expect(response.status).toBe(201);
    await api.settle();
    return String(response.json['journeyId']);
  };
  const approve = async (clientId: string) => {
    const response = await api.request('POST', `/v1/journeys/${clientId}/approvals`, {
      as: 'operator',
      body: { criterion: 'demo_approved' },
    });
    expect(response.status).toBe(201);
    await api.settle();
  };
  const eventsOf = async <T extends JourneyEvent['type']>(journeyId: string, type: T) =>
    (await api.store.readStream(journeyId))
      .map((e) => e.event)
      .filter((e): e is Extract<JourneyEvent, { type: T }> => e.type === type);
  const stageOf = async (journeyId: string) =>
    (await api.store.findJourney(journeyId))?.state.stage;

  it('readiness shows the next reminder; reminders repeat, and stop once approved', async () => {
    const journeyId = await start('rem-http');
    const before = await criterionOf('rem-http', 'demo_approved');
    const since = before?.approval?.reminder?.pendingSince ?? '';
    expect(before?.approval?.reminder).toEqual({
      remindAfterMs: HOUR,
      remindEveryMs: HOUR,
      pendingSince: since,
      remindersSent: 0,
      nextReminderAt: addMillis(since, HOUR),
    });
    await api.settle({ maxAdvance: 2 * HOUR + 5 * MINUTE });
    const reminders = await eventsOf(journeyId, 'ApprovalReminderDue');
    expect(reminders.map((e) => e.reminder)).toEqual([1, 2]);
    expect((await criterionOf('rem-http', 'demo_approved'))?.approval?.reminder).toMatchObject({
      remindersSent: 2,
      nextReminderAt: addMillis(since, 3 * HOUR),
    });
    await approve('rem-http');
    expect(await stageOf(journeyId)).not.toBe('sandbox');
    await api.settle({ maxAdvance: 2 * HOUR });
    expect(await eventsOf(journeyId, 'ApprovalReminderDue')).toHaveLength(2);
  });

  it('a paused journey holds its reminders; resumed, the reminder is recorded', async () => {
    const journeyId = await start('rem-paused');
    const pause = await api.request('POST', '/v1/journeys/rem-paused/pause', {
      as: 'operator',
      body: { reason: 'client asked to wait' },
    });
    expect(pause.status).toBe(200);
    await api.settle({ maxAdvance: 3 * HOUR });
    expect(await eventsOf(journeyId, 'ApprovalReminderDue')).toEqual([]);
    const resume = await api.request('POST', '/v1/journeys/rem-paused/resume', {
      as: 'operator',
      body: {},
    });
    expect(resume.status).toBe(200);
    await api.settle();
    expect(await eventsOf(journeyId, 'ApprovalReminderDue')).toHaveLength(1);
    await approve('rem-paused');
  });

  it('readiness shows the deadline; at it, onDeadline accept decides as system and promotes', async () => {
    api.agents.failMetric('measure_search_quality');
    const journeyId = await start('dl-accept');
    await approve('dl-accept');
    const quality = await criterionOf('dl-accept', 'search_quality');
    const since = quality?.inconclusiveDeadline?.inconclusiveSince ?? '';
    expect(quality?.inconclusiveDeadline).toEqual({
      deadlineMs: 4 * HOUR,
      onDeadline: 'accept',
      inconclusiveSince: since,
      at: addMillis(since, 4 * HOUR),
      escalatedAt: null,
    });
    await api.settle({ maxAdvance: 4 * HOUR });
    expect(await stageOf(journeyId)).not.toBe('sandbox');
    const [resolved] = await eventsOf(journeyId, 'InconclusiveResolved');
    expect(resolved).toMatchObject({
      stage: 'sandbox',
      criterionId: 'search_quality',
      decision: 'accept',
      decidedBy: 'system',
    });
    api.agents.healMetric('measure_search_quality');
  });

  it('onDeadline escalate records InconclusiveEscalated, and the gate keeps waiting', async () => {
    api.agents.failMetric('security_scan_status');
    const journeyId = await start('dl-escalate');
    await approve('dl-escalate');
    await api.settle({ maxAdvance: 2 * HOUR + 10 * MINUTE });
    const escalated = await eventsOf(journeyId, 'InconclusiveEscalated');
    expect(escalated).toEqual([
      expect.objectContaining({ stage: 'sandbox', criterionId: 'security_scan_passed' }),
    ]);
    expect(await stageOf(journeyId)).toBe('sandbox');
    const scan = await criterionOf('dl-escalate', 'security_scan_passed');
    expect(scan?.inconclusiveDeadline?.escalatedAt).toBe(escalated[0]?.at);
    api.agents.healMetric('security_scan_status');
    await api.settle();
  });

  it("a person's decision before the deadline wins", async () => {
    api.agents.failMetric('security_scan_status');
    const journeyId = await start('dl-person');
    await approve('dl-person');
    await api.settle({ maxAdvance: 30 * MINUTE });
    const decided = await api.request(
      'POST',
      '/v1/journeys/dl-person/exit-criteria/security_scan_passed/decisions',
      { as: 'operator', body: { decision: 'accept', reason: 'scanner down; clean last week' } },
    );
    expect(decided.status).toBe(201);
    await api.settle({ maxAdvance: 3 * HOUR });
    expect(await eventsOf(journeyId, 'InconclusiveEscalated')).toEqual([]);
    expect(await stageOf(journeyId)).not.toBe('sandbox');
    api.agents.healMetric('security_scan_status');
  });

  it('a definite result resets the streak: the deadline is counted from the new one', async () => {
    api.agents.failMetric('security_scan_status');
    const journeyId = await start('dl-reset');
    await api.settle({ maxAdvance: HOUR });
    api.agents.healMetric('security_scan_status');
    await api.settle({ maxAdvance: 10 * MINUTE });
    expect((await criterionOf('dl-reset', 'security_scan_passed'))?.inconclusiveDeadline).toBe(
      null,
    );
    api.agents.failMetric('security_scan_status');
    await api.settle({ maxAdvance: 10 * MINUTE });
    const deadline = (await criterionOf('dl-reset', 'security_scan_passed'))?.inconclusiveDeadline;
    const since = deadline?.inconclusiveSince ?? '';
    expect(deadline?.at).toBe(addMillis(since, 2 * HOUR));
    // The first streak's deadline (2h after the start) passes without effect.
    await api.settle({ maxAdvance: HOUR + 15 * MINUTE });
    expect(await eventsOf(journeyId, 'InconclusiveEscalated')).toEqual([]);
    await api.settle({ maxAdvance: HOUR });
    const escalated = await eventsOf(journeyId, 'InconclusiveEscalated');
    expect(escalated.map((e) => e.inconclusiveSince)).toEqual([since]);
    api.agents.healMetric('security_scan_status');
    await approve('dl-reset');
  });
});
