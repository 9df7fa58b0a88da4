import { describe, expect, it } from 'vitest';
import {
  asClientId,
  asCriterionId,
  asJourneyId,
  asTaskId,
  asWorkId,
} from '../../src/domain/ids.js';
import { decideJourney } from '../../src/domain/journey/decide.js';
import type { JourneyEvent } from '../../src/domain/journey/events.js';
import { evolveJourney, initialJourneyState } from '../../src/domain/journey/state.js';
import { deciderSpec } from '../support/decider-spec.js';
import {
  clientId,
  demoApproval,
  failing,
  inPilotReady,
  inProductionReady,
  inSandboxReady,
  journeyId,
  playbook,
  setupWork,
  started,
  T0,
} from '../support/journey-fixtures.js';

const { given, fold } = deciderSpec({
  decide: decideJourney,
  evolve: evolveJourney,
  initialState: initialJourneyState,
});

const startCommand = {
  type: 'start',
  journeyId,
  clientId,
  playbook,
  setupWorkId: setupWork('sandbox'),
  startedBy: 'admin',
  at: T0,
} as const;

describe('journey: start', () => {
  it('starts in sandbox with its setup unit of work', () => {
    given().when(startCommand).thenEvents([started]);
  });

  it('refuses a second start of the same journey', () => {
    given(started).when(startCommand).thenError('JOURNEY_ALREADY_STARTED');
  });

  it('refuses when the client already has an active journey, naming it', () => {
    const error = given()
      .when({ ...startCommand, activeJourneyId: asJourneyId('j-0') })
      .thenError('JOURNEY_ACTIVE');
    expect(error.message).toContain('j-0');
    expect(error.details).toEqual({ clientId: asClientId('acme'), journeyId: 'j-0' });
  });

  it('refuses every other command before the journey started', () => {
    given()
      .when({ type: 'cancel', reason: 'x', cancelledBy: 'a', at: T0 })
      .thenError('JOURNEY_NOT_STARTED');
  });
});

describe('journey: setup outcome', () => {
  const work = setupWork('sandbox');

  it('records completion once; a repeated report changes nothing', () => {
    given(started)
      .when({ type: 'recordSetupCompleted', workId: work, at: T0 })
      .thenEvents([{ type: 'StageSetupCompleted', stage: 'sandbox', workId: work, at: T0 }]);
    given(...inSandboxReady)
      .when({ type: 'recordSetupCompleted', workId: work, at: T0 })
      .thenEvents([]);
  });

  it('records failure, then a retry, then completion', () => {
    const failed: JourneyEvent = {
      type: 'StageSetupFailed',
      stage: 'sandbox',
      workId: work,
      failedTaskIds: [asTaskId('create_tenant')],
      at: T0,
    };
    given(started)
      .when({
        type: 'recordSetupFailed',
        workId: work,
        failedTaskIds: [asTaskId('create_tenant')],
        at: T0,
      })
      .thenEvents([failed]);
    given(started, failed)
      .when({ type: 'recordSetupFailed', workId: work, failedTaskIds: [], at: T0 })
      .thenEvents([]);
    given(started, failed)
      .when({ type: 'recordSetupRetried', workId: work, retriedBy: 'bob', at: T0 })
      .thenEvents([
        { type: 'StageSetupRetried', stage: 'sandbox', workId: work, retriedBy: 'bob', at: T0 },
      ]);
    given(started)
      .when({ type: 'recordSetupRetried', workId: work, retriedBy: 'bob', at: T0 })
      .thenEvents([]);
  });

  it('refuses a report about another unit of work', () => {
    given(started)
      .when({ type: 'recordSetupCompleted', workId: asWorkId('other'), at: T0 })
      .thenError('WORK_MISMATCH');
  });
});

describe('journey: exit-criteria evaluation', () => {
  it('records every evaluation, failed ones too', () => {
    given(...inSandboxReady)
      .when({
        type: 'recordEvaluation',
        stage: 'sandbox',
        evaluation: failing,
        trigger: 'recheck',
        at: T0,
      })
      .thenEvents([
        {
          type: 'ExitCriteriaEvaluated',
          stage: 'sandbox',
          evaluation: failing,
          trigger: 'recheck',
          at: T0,
        },
      ]);
  });

  it('refuses an evaluation of another stage', () => {
    given(...inPilotReady)
      .when({
        type: 'recordEvaluation',
        stage: 'sandbox',
        evaluation: failing,
        trigger: 'recheck',
        at: T0,
      })
      .thenError('STAGE_MISMATCH');
  });
});

describe('journey: approvals', () => {
  const approve = {
    type: 'decideApproval',
    criterionId: asCriterionId('demo_approved'),
    criterion: demoApproval,
    approverId: 'carol',
    role: 'client',
    decision: 'approved',
    comment: 'looks good',
    at: T0,
  } as const;
  const granted: JourneyEvent = {
    type: 'ApprovalGranted',
    stage: 'sandbox',
    criterionId: asCriterionId('demo_approved'),
    approverId: 'carol',
    role: 'client',
    comment: 'looks good',
    at: T0,
  };

  it('records approvals and rejections with who, role, comment and when', () => {
    given(...inSandboxReady)
      .when(approve)
      .thenEvents([granted]);
    given(...inSandboxReady)
      .when({ ...approve, decision: 'rejected' })
      .thenEvents([{ ...granted, type: 'ApprovalRejected' }]);
  });

  it('refuses an unknown criterion, a metric criterion and a role outside the policy', () => {
    given(...inSandboxReady)
      .when({ ...approve, criterion: undefined })
      .thenError('UNKNOWN_CRITERION');
    given(...inSandboxReady)
      .when({
        ...approve,
        criterion: {
          id: asCriterionId('search_quality'),
          description: 'q',
          kind: 'metric',
          source: { type: 'agent', intent: 'measure_search_quality' },
          comparator: 'gt',
          threshold: 80,
        },
      })
      .thenError('NOT_AN_APPROVAL_CRITERION');
    const error = given(...inSandboxReady)
      .when({ ...approve, role: 'viewer' })
      .thenError('APPROVER_NOT_ALLOWED');
    expect(error.message).toContain('client, admin');
  });

  it('refuses an approval meant for a stage the journey has left', () => {
    given(...inPilotReady)
      .when({ ...approve, expectedStage: 'sandbox' })
      .thenError('STAGE_MISMATCH');
  });

  it('revokes an existing decision, and refuses to revoke a missing one', () => {
    const revoke = {
      type: 'revokeApproval',
      criterionId: asCriterionId('demo_approved'),
      approverId: 'carol',
      revokedBy: 'carol',
      at: T0,
    } as const;
    given(...inSandboxReady, granted)
      .when(revoke)
      .thenEvents([
        {
          type: 'ApprovalRevoked',
          stage: 'sandbox',
          criterionId: asCriterionId('demo_approved'),
          approverId: 'carol',
          revokedBy: 'carol',
          at: T0,
        },
      ]);
    given(...inSandboxReady)
      .when(revoke)
      .thenError('APPROVAL_NOT_FOUND');
  });

  it('keeps approvals per stage visit: a promotion starts the next stage with none', () => {
    const state = fold(...inSandboxReady, granted);
    expect(state.status === 'started' && state.approvals).toHaveLength(1);
    const promotedState = fold(...inSandboxReady, granted, ...inPilotReady.slice(2));
    expect(promotedState.status === 'started' && promotedState.approvals).toEqual([]);
  });
});

describe('journey: cancel', () => {
  const cancel = {
    type: 'cancel',
    reason: 'contract ended',
    cancelledBy: 'admin',
    at: T0,
  } as const;

  it.each([
    ['sandbox', inSandboxReady],
    ['pilot', inPilotReady],
    ['production', inProductionReady],
  ] as const)('cancels from %s', (stage, history) => {
    given(...history)
      .when(cancel)
      .thenEvents([
        {
          type: 'JourneyCancelled',
          fromStage: stage,
          reason: 'contract ended',
          cancelledBy: 'admin',
          at: T0,
        },
      ]);
  });

  it('makes the journey terminal for every command', () => {
    const cancelled: JourneyEvent = {
      type: 'JourneyCancelled',
      fromStage: 'sandbox',
      reason: 'x',
      cancelledBy: 'a',
      at: T0,
    };
    given(...inSandboxReady, cancelled)
      .when(cancel)
      .thenError('JOURNEY_TERMINAL');
    given(...inSandboxReady, cancelled)
      .when({ type: 'recordSetupCompleted', workId: setupWork('sandbox'), at: T0 })
      .thenError('JOURNEY_TERMINAL');
  });
});
