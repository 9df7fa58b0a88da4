import { describe, expect, it } from 'vitest';
import type { StoredEventView } from '../../src/web/api/types.js';
import { timelineOf } from '../../src/web/model/timeline.js';

let position = 0;
function event(type: string, data: Record<string, unknown>, causedBy = 'system'): StoredEventView {
  position += 1;
  return {
    position: String(position),
    eventId: `e${position}`,
    streamType: type.startsWith('Task') ? 'unit-of-work' : 'journey',
    type,
    occurredAt: `2026-03-01T10:00:0${position}.000Z`,
    metadata: { causedBy },
    data: { type, ...data },
  };
}

describe('timelineOf', () => {
  it('says what happened, who did it and why; leaves task attempts to the graph', () => {
    const entries = timelineOf([
      event('JourneyStarted', { stage: 'sandbox', startedBy: 'ada' }, 'ada'),
      event('TaskExecutionStarted', { taskId: 'create_tenant' }),
      event('ApprovalGranted', { criterionId: 'demo_approved', approverId: 'otto', comment: 'ok' }),
      event('StagePromoted', {
        fromStage: 'sandbox',
        toStage: 'pilot',
        promotedBy: 'otto',
        reason: 'sandbox exit criteria passed',
      }),
      event(
        'RollbackInitiated',
        { fromStage: 'pilot', toStage: 'sandbox', initiatedBy: 'ada', reason: 'slow search' },
        'ada',
      ),
      event('StageSetupFailed', { stage: 'pilot', failedTaskIds: ['a', 'b'] }),
      event('ExitCriteriaEvaluated', {
        stage: 'sandbox',
        trigger: 'setup_completed',
        evaluation: { allPassed: false, results: [{ outcome: 'passed' }, { outcome: 'failed' }] },
      }),
    ]);
    expect(entries.map(({ title, who, why, tone }) => ({ title, who, why, tone }))).toEqual([
      { title: 'Journey started in Sandbox', who: 'ada', why: null, tone: 'neutral' },
      { title: 'Approved demo_approved', who: 'otto', why: 'ok', tone: 'good' },
      {
        title: 'Promoted from Sandbox to Pilot',
        who: 'otto',
        why: 'sandbox exit criteria passed',
        tone: 'good',
      },
      {
        title: 'Rollback from Pilot to Sandbox started',
        who: 'ada',
        why: 'slow search',
        tone: 'warn',
      },
      { title: 'Pilot setup failed', who: 'system', why: 'failed tasks: a, b', tone: 'bad' },
      {
        title: 'Exit criteria of Sandbox: 1 of 2 passed',
        who: 'system',
        why: 'checked on setup completed',
        tone: 'warn',
      },
    ]);
  });

  it('falls back to the event metadata for who, and survives missing fields', () => {
    const [entry] = timelineOf([event('StageSetupRetried', { stage: 'pilot' }, 'otto')]);
    expect(entry).toMatchObject({ title: 'Pilot setup retried', who: 'otto', why: null });
    const [odd] = timelineOf([event('JourneyCancelled', { reason: 42 }, 'ada')]);
    expect(odd).toMatchObject({ title: 'Cancelled in ', who: 'ada', why: null });
  });

  it('names the reminders and escalations the engine raises while a gate waits on people', () => {
    const [reminder, escalated] = timelineOf([
      event('ApprovalReminderDue', {
        criterionId: 'demo_approved',
        reminder: 2,
        approvalsNeeded: 1,
        allowedRoles: ['client', 'admin'],
        missingApprovers: ['carol'],
      }),
      event('InconclusiveEscalated', {
        criterionId: 'search_quality',
        inconclusiveReason: 'source error: timed out',
      }),
    ]);
    expect(reminder).toMatchObject({
      title: 'Reminder 2: approval demo_approved still pending',
      who: 'system',
      why: '1 more needed from client, admin; missing: carol',
      tone: 'warn',
    });
    expect(escalated).toMatchObject({
      title: 'Inconclusive search_quality undecided past its deadline',
      why: 'source error: timed out',
      tone: 'bad',
    });
  });

  it('says who paused, resumed, decided an inconclusive criterion and overrode a freeze', () => {
    const entries = timelineOf([
      event('JourneyPaused', { stage: 'sandbox', pausedBy: 'otto', reason: 'client hold' }),
      event('JourneyResumed', { stage: 'sandbox', resumedBy: 'otto' }),
      event('InconclusiveResolved', {
        criterionId: 'search_quality',
        decision: 'accept',
        decidedBy: 'otto',
        reason: 'outage',
      }),
      event('StagePromoted', {
        fromStage: 'sandbox',
        toStage: 'pilot',
        promotedBy: 'ada',
        reason: 'manual',
        freezeOverride: { reason: 'launch', overriddenBy: 'ada', freezes: [{ freezeId: 'eoy' }] },
      }),
    ]);
    expect(entries.map(({ title, who, why, tone }) => ({ title, who, why, tone }))).toEqual([
      { title: 'Paused in Sandbox', who: 'otto', why: 'client hold', tone: 'warn' },
      { title: 'Resumed in Sandbox', who: 'otto', why: null, tone: 'neutral' },
      { title: 'Accepted inconclusive search_quality', who: 'otto', why: 'outage', tone: 'good' },
      {
        title: 'Promoted from Sandbox to Pilot',
        who: 'ada',
        why: 'manual; freeze overridden: launch (eoy)',
        tone: 'good',
      },
    ]);
  });
});
