import { describe, expect, it } from 'vitest';
import { asTaskId } from '../../src/domain/ids.js';
import type { JourneyEvent } from '../../src/domain/journey/events.js';
import { evolveJourney, initialJourneyState } from '../../src/domain/journey/state.js';
import { journeyStatus } from '../../src/domain/journey/status.js';
import {
  evaluation,
  failing,
  inPilotReady,
  inSandboxReady,
  passing,
  rollbackInitiated,
  rollbackWork,
  setupWork,
  started,
  T0,
} from '../support/journey-fixtures.js';

const statusAfter = (...events: JourneyEvent[]) =>
  journeyStatus(events.reduce(evolveJourney, initialJourneyState));
const evaluated = (e = passing): JourneyEvent => ({
  type: 'ExitCriteriaEvaluated',
  stage: 'sandbox',
  evaluation: e,
  trigger: 'recheck',
  at: T0,
});

describe('journey status for people', () => {
  it('follows a journey from start to the end', () => {
    expect(statusAfter()).toEqual({ kind: 'not_started' });
    expect(statusAfter(started)).toEqual({
      kind: 'setting_up',
      stage: 'sandbox',
      workId: setupWork('sandbox'),
    });
    expect(statusAfter(...inSandboxReady)).toEqual({ kind: 'validating', stage: 'sandbox' });
    expect(statusAfter(...inSandboxReady, evaluated())).toEqual({
      kind: 'ready_to_promote',
      stage: 'sandbox',
      to: 'pilot',
    });
    expect(
      statusAfter(...inSandboxReady, {
        type: 'JourneyCancelled',
        fromStage: 'sandbox',
        reason: 'r',
        cancelledBy: 'a',
        at: T0,
      }),
    ).toEqual({
      kind: 'cancelled',
      at: T0,
    });
  });

  it('says why a journey is blocked: failed and inconclusive criteria', () => {
    const status = statusAfter(
      ...inSandboxReady,
      evaluated(
        evaluation(
          ['search_quality', 'failed'],
          ['security_scan', 'inconclusive'],
          ['demo_approved', 'passed'],
        ),
      ),
    );
    expect(status.kind).toBe('blocked');
    expect(
      status.kind === 'blocked' &&
        status.reasons.map((r) => r.kind === 'criterion' && `${r.criterionId}:${r.outcome}`),
    ).toEqual(['search_quality:failed', 'security_scan:inconclusive']);
    expect(status.kind === 'blocked' && status.summary).toContain('security_scan inconclusive');
    expect(statusAfter(...inSandboxReady, evaluated(failing)).kind).toBe('blocked');
  });

  it('says a failed setup blocks, naming the failed tasks', () => {
    const status = statusAfter(started, {
      type: 'StageSetupFailed',
      stage: 'sandbox',
      workId: setupWork('sandbox'),
      failedTaskIds: [asTaskId('create_tenant')],
      at: T0,
    });
    expect(status.kind === 'blocked' && status.summary).toContain('create_tenant');
  });

  it('shows a rollback in progress, and a failed rollback as blocked', () => {
    const rolling = [...inPilotReady, rollbackInitiated('pilot', 'sandbox')];
    expect(statusAfter(...rolling)).toEqual({
      kind: 'rolling_back',
      from: 'pilot',
      to: 'sandbox',
      workId: rollbackWork('pilot'),
    });
    const status = statusAfter(...rolling, {
      type: 'RollbackFailed',
      workId: rollbackWork('pilot'),
      error: 'teardown failed',
      at: T0,
    });
    expect(status.kind === 'blocked' && status.summary).toContain('teardown failed');
  });
});
