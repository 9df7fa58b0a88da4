import { expect, it } from 'vitest';
import {
  approvalReminderItem,
  inconclusiveDeadlineItem,
} from '../../src/application/engine/work-items.js';
import type { Store } from '../../src/application/ports.js';
import {
  addMillis,
  HOUR,
  MINUTE,
  type ExitCriterion,
  type JourneyEvent,
  type OnDeadline,
} from '../../src/domain/index.js';
import type { Playbook } from '../../src/playbook/index.js';
import { forEachBackend } from '../support/backends.js';
import { playbookWith, startTestEngine, testPlaybook } from '../support/engine-harness.js';

const otto = { actor: 'otto' };
const approveDemo = { criterionId: 'demo_approved', role: 'client' } as const;

/** The default playbook with reminders on demo_approved and a deadline on search_quality. */
async function timedPlaybook(onDeadline: OnDeadline = 'escalate'): Promise<Playbook> {
  const sandbox = (await testPlaybook()).stages.sandbox;
  const exitCriteria = sandbox.exitCriteria.map((criterion): ExitCriterion => {
    if (criterion.kind === 'approval') {
      return { ...criterion, reminder: { after: HOUR, every: HOUR } };
    }
    return criterion.id === 'search_quality'
      ? { ...criterion, inconclusiveDeadline: { after: 4 * HOUR, onDeadline } }
      : criterion;
  });
  return playbookWith('sandbox', { exitCriteria });
}

async function eventsOf<T extends JourneyEvent['type']>(
  store: Store,
  journeyId: string,
  type: T,
): Promise<Extract<JourneyEvent, { type: T }>[]> {
  return (await store.readStream(journeyId))
    .map((e) => e.event)
    .filter((e): e is Extract<JourneyEvent, { type: T }> => e.type === type);
}

forEachBackend((backend) => {
  it('a pending approval is reminded every remindEvery, across a restart, until approved', async () => {
    const { store, url } = await backend.freshDatabase();
    const { clock } = backend;
    const playbook = await timedPlaybook();
    const first = await startTestEngine(store, clock, { playbook });
    const { journeyId } = await first.engine.orchestrator.startJourney({ clientId: 'rem-1' }, otto);
    await first.settle();
    const since = (await store.findJourney(journeyId))?.state.waits?.[0]?.since ?? '';
    expect(since).not.toBe('');
    await first.settle({ maxAdvance: 2 * HOUR + 10 * MINUTE });
    const two = await eventsOf(store, journeyId, 'ApprovalReminderDue');
    expect(two.map((e) => [e.reminder, e.at])).toEqual([
      [1, addMillis(since, HOUR)],
      [2, addMillis(since, 2 * HOUR)],
    ]);
    expect(two[0]).toMatchObject({
      stage: 'sandbox',
      criterionId: 'demo_approved',
      pendingSince: since,
      approvalsNeeded: 1,
      missingApprovers: [],
      allowedRoles: ['client', 'operator', 'admin'],
    });
    // A timer run again (queued anew under its key, as a retried commit would) records nothing.
    const enteredAt = (await store.findJourney(journeyId))?.state.stageEnteredAt ?? '';
    const visit = {
      journeyId,
      stage: 'sandbox' as const,
      enteredAt,
      criterionId: 'demo_approved',
      since,
    };
    await store.commit({
      appends: [],
      enqueue: [
        approvalReminderItem({ ...visit, reminder: 2, correlationId: 'again' }, clock.now()),
      ],
    });
    await first.settle();
    expect(await eventsOf(store, journeyId, 'ApprovalReminderDue')).toHaveLength(2);
    await first.engine.stop();

    // The next reminder is in the queue: a new engine on the store opened again records it.
    const reopened = await backend.open(undefined, url);
    const second = await startTestEngine(reopened, clock, { playbook });
    await second.settle({ maxAdvance: HOUR });
    expect((await eventsOf(reopened, journeyId, 'ApprovalReminderDue')).length).toBe(3);

    await second.engine.orchestrator.approve('rem-1', approveDemo, otto);
    await second.settle();
    // Approved, the sandbox passes: the journey moves on (the default playbook goes all the way).
    expect((await reopened.findJourney(journeyId))?.state.stage).not.toBe('sandbox');
    await second.settle({ maxAdvance: 3 * HOUR });
    expect((await eventsOf(reopened, journeyId, 'ApprovalReminderDue')).length).toBe(3);
    await second.engine.stop();
  });

  it('a paused journey holds its reminder; the resume records it and the next follows', async () => {
    const { store } = await backend.freshDatabase();
    const { clock } = backend;
    const { engine, settle } = await startTestEngine(store, clock, {
      playbook: await timedPlaybook(),
    });
    const { journeyId } = await engine.orchestrator.startJourney({ clientId: 'rem-2' }, otto);
    await settle();
    await engine.orchestrator.pauseJourney('rem-2', { reason: 'hold' }, otto);
    await settle({ maxAdvance: 3 * HOUR });
    expect(await eventsOf(store, journeyId, 'ApprovalReminderDue')).toEqual([]);

    const resumedAt = clock.now();
    await engine.orchestrator.resumeJourney('rem-2', {}, otto);
    await settle();
    const [first] = await eventsOf(store, journeyId, 'ApprovalReminderDue');
    expect(first).toMatchObject({ reminder: 1, at: resumedAt });
    await settle({ maxAdvance: HOUR });
    const all = await eventsOf(store, journeyId, 'ApprovalReminderDue');
    expect(all.map((e) => [e.reminder, e.at])).toEqual([
      [1, resumedAt],
      [2, addMillis(resumedAt, HOUR)],
    ]);
    await engine.stop();
  });

  it('an undecided inconclusive criterion escalates once at its deadline; the gate waits', async () => {
    const { store } = await backend.freshDatabase();
    const { clock } = backend;
    const { engine, agents, settle } = await startTestEngine(store, clock, {
      playbook: await timedPlaybook('escalate'),
    });
    agents.failMetric('measure_search_quality');
    const { journeyId } = await engine.orchestrator.startJourney({ clientId: 'dl-1' }, otto);
    await settle();
    await engine.orchestrator.approve('dl-1', approveDemo, otto);
    await settle();
    const since = (await store.findJourney(journeyId))?.state.waits?.find(
      (w) => w.kind === 'inconclusive',
    )?.since;
    await settle({ maxAdvance: 6 * HOUR });
    const escalated = await eventsOf(store, journeyId, 'InconclusiveEscalated');
    expect(escalated).toEqual([
      expect.objectContaining({
        stage: 'sandbox',
        criterionId: 'search_quality',
        inconclusiveSince: since,
        deadline: addMillis(since ?? '', 4 * HOUR),
        at: addMillis(since ?? '', 4 * HOUR),
        inconclusiveReason: expect.stringMatching(/source error/) as unknown,
      }),
    ]);
    expect((await store.findJourney(journeyId))?.state.stage).toBe('sandbox');
    // Run again, the deadline records nothing more.
    const enteredAt = (await store.findJourney(journeyId))?.state.stageEnteredAt ?? '';
    await store.commit({
      appends: [],
      enqueue: [
        inconclusiveDeadlineItem(
          {
            journeyId,
            stage: 'sandbox',
            enteredAt,
            criterionId: 'search_quality',
            since: since ?? '',
            correlationId: 'again',
          },
          clock.now(),
        ),
      ],
    });
    await settle();
    expect(await eventsOf(store, journeyId, 'InconclusiveEscalated')).toHaveLength(1);
    agents.healMetric('measure_search_quality');
    await engine.stop();
  });

  it('onDeadline accept decides as system and the gate promotes', async () => {
    const { store } = await backend.freshDatabase();
    const { clock } = backend;
    const { engine, agents, settle } = await startTestEngine(store, clock, {
      playbook: await timedPlaybook('accept'),
    });
    agents.failMetric('measure_search_quality');
    const { journeyId } = await engine.orchestrator.startJourney({ clientId: 'dl-2' }, otto);
    await settle();
    await engine.orchestrator.approve('dl-2', approveDemo, otto);
    await settle({ maxAdvance: 4 * HOUR });
    const [resolved] = await eventsOf(store, journeyId, 'InconclusiveResolved');
    expect(resolved).toMatchObject({ decision: 'accept', decidedBy: 'system' });
    expect(resolved?.reason).toMatch(/inconclusiveDeadline of 4h.*onDeadline: accept/);
    expect((await store.findJourney(journeyId))?.state.stage).toBe('pilot');
    // Promoted on the system's decision (by its reaction, or by a re-check due at the same time).
    const [promotion] = await eventsOf(store, journeyId, 'StagePromoted');
    expect(promotion?.exitCriteriaResults).toContainEqual(
      expect.objectContaining({
        criterionId: 'search_quality',
        outcome: 'passed',
        resolution: expect.objectContaining({ decision: 'accept', decidedBy: 'system' }) as unknown,
      }),
    );
    agents.healMetric('measure_search_quality');
    await engine.stop();
  });

  it("a person's decision before the deadline wins; the timer does nothing", async () => {
    const { store } = await backend.freshDatabase();
    const { clock } = backend;
    const { engine, agents, settle } = await startTestEngine(store, clock, {
      playbook: await timedPlaybook('reject'),
    });
    agents.failMetric('measure_search_quality');
    const { journeyId } = await engine.orchestrator.startJourney({ clientId: 'dl-3' }, otto);
    await settle();
    await engine.orchestrator.approve('dl-3', approveDemo, otto);
    await settle({ maxAdvance: HOUR });
    await engine.orchestrator.resolveInconclusive(
      'dl-3',
      { criterionId: 'search_quality', decision: 'accept', reason: 'known outage' },
      otto,
    );
    await settle({ maxAdvance: 5 * HOUR });
    const resolved = await eventsOf(store, journeyId, 'InconclusiveResolved');
    expect(resolved.map((e) => e.decidedBy)).toEqual(['otto']);
    expect(await eventsOf(store, journeyId, 'InconclusiveEscalated')).toEqual([]);
    expect((await store.findJourney(journeyId))?.state.stage).toBe('pilot');
    agents.healMetric('measure_search_quality');
    await engine.stop();
  });

  it('a definite result ends the streak; a later inconclusive reading has a new deadline', async () => {
    const { store } = await backend.freshDatabase();
    const { clock } = backend;
    const { engine, agents, settle } = await startTestEngine(store, clock, {
      playbook: await timedPlaybook('escalate'),
    });
    agents.failMetric('measure_search_quality');
    const { journeyId } = await engine.orchestrator.startJourney({ clientId: 'dl-4' }, otto);
    await settle();
    // No approval: the gate keeps re-checking while demo_approved waits.
    await settle({ maxAdvance: 2 * HOUR });
    agents.healMetric('measure_search_quality');
    await settle({ maxAdvance: HOUR });
    agents.failMetric('measure_search_quality');
    await settle({ maxAdvance: 10 * MINUTE });
    const second = (await store.findJourney(journeyId))?.state.waits?.find(
      (w) => w.kind === 'inconclusive',
    )?.since;
    // The first streak's deadline passes without effect...
    await settle({ maxAdvance: 2 * HOUR });
    expect(await eventsOf(store, journeyId, 'InconclusiveEscalated')).toEqual([]);
    // ...and the second streak's comes 4h after it began.
    await settle({ maxAdvance: 3 * HOUR });
    const escalated = await eventsOf(store, journeyId, 'InconclusiveEscalated');
    expect(escalated.map((e) => e.inconclusiveSince)).toEqual([second]);
    agents.healMetric('measure_search_quality');
    await engine.stop();
  });
});
