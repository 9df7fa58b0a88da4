import { describe, expect, it } from 'vitest';
import { asWorkId } from '../../src/domain/ids.js';
import { decideJourney } from '../../src/domain/journey/decide.js';
import type { JourneyEvent } from '../../src/domain/journey/events.js';
import { evolveJourney, initialJourneyState } from '../../src/domain/journey/state.js';
import { deciderSpec } from '../support/decider-spec.js';
import {
  inPilotReady,
  inProductionReady,
  inSandboxReady,
  passing,
  promoted,
  rollbackInitiated,
  rollbackWork,
  setupWork,
  T0,
} from '../support/journey-fixtures.js';

const { given, fold } = deciderSpec({
  decide: decideJourney,
  evolve: evolveJourney,
  initialState: initialJourneyState,
});

const initiate = (to?: 'sandbox' | 'pilot' | 'production') =>
  ({
    type: 'initiateRollback',
    reason: 'search quality dropped',
    initiatedBy: 'alice',
    ...(to ? { to } : {}),
    rollbackWorkId: rollbackWork('pilot'),
    at: T0,
  }) as const;

const inPilotRollingBack: JourneyEvent[] = [...inPilotReady, rollbackInitiated('pilot', 'sandbox')];
const work = rollbackWork('pilot');
const snapshot: JourneyEvent = {
  type: 'SnapshotTaken',
  snapshotId: 'snap-1',
  stage: 'pilot',
  setupWorkId: setupWork('pilot'),
  outputs: { provision_pilot_dataset: { datasetId: 'ds-42' } },
  at: T0,
};
const rollbackCompleted: JourneyEvent = {
  type: 'RollbackCompleted',
  fromStage: 'pilot',
  toStage: 'sandbox',
  workId: work,
  at: T0,
};

describe('journey: initiate rollback', () => {
  it('rolls back from pilot to sandbox and from production to pilot', () => {
    given(...inPilotReady)
      .when(initiate())
      .thenEvents([rollbackInitiated('pilot', 'sandbox')]);
    given(...inProductionReady)
      .when({ ...initiate(), rollbackWorkId: rollbackWork('production') })
      .thenEvents([rollbackInitiated('production', 'pilot')]);
  });

  it('is allowed while the stage is still setting up (e.g. its setup failed)', () => {
    given(...inSandboxReady, promoted('sandbox', 'pilot'))
      .when(initiate())
      .thenEvents([rollbackInitiated('pilot', 'sandbox')]);
  });

  it('refuses from sandbox: there is no earlier stage', () => {
    given(...inSandboxReady)
      .when(initiate())
      .thenError('ROLLBACK_NOT_ALLOWED');
  });

  it('refuses any target but the immediately previous stage', () => {
    given(...inProductionReady)
      .when(initiate('sandbox'))
      .thenError('ROLLBACK_TARGET_INVALID');
    given(...inPilotReady)
      .when(initiate('production'))
      .thenError('ROLLBACK_TARGET_INVALID');
    given(...inPilotReady)
      .when(initiate('pilot'))
      .thenError('ROLLBACK_TARGET_INVALID');
    given(...inPilotReady)
      .when(initiate('sandbox'))
      .thenEvents([rollbackInitiated('pilot', 'sandbox')]);
  });

  it('refuses a second rollback while one runs', () => {
    given(...inPilotRollingBack)
      .when(initiate())
      .thenError('ROLLBACK_IN_PROGRESS');
  });
});

describe('journey: snapshot, rollback outcome', () => {
  it('takes the snapshot of the stage being left once', () => {
    given(...inPilotRollingBack)
      .when({
        type: 'takeSnapshot',
        snapshotId: 'snap-1',
        outputs: { provision_pilot_dataset: { datasetId: 'ds-42' } },
        at: T0,
      })
      .thenEvents([snapshot]);
    given(...inPilotRollingBack, snapshot)
      .when({ type: 'takeSnapshot', snapshotId: 'snap-2', outputs: {}, at: T0 })
      .thenEvents([]);
  });

  it('completes the rollback into the previous stage, whose setup still counts as done', () => {
    given(...inPilotRollingBack, snapshot)
      .when({ type: 'completeRollback', workId: work, at: T0 })
      .thenEvents([rollbackCompleted]);
    const state = fold(...inPilotRollingBack, snapshot, rollbackCompleted);
    expect(state.status === 'started' && state.stage).toBe('sandbox');
    expect(state.status === 'started' && state.setups.sandbox?.status).toBe('completed');
    expect(
      state.status === 'started' && state.stageHistory.map((t) => `${t.fromStage}>${t.toStage}`),
    ).toEqual(['sandbox>pilot', 'pilot>rollback', 'rollback>sandbox']);
  });

  it('can promote again after a rollback, with a new setup unit for the stage', () => {
    given(...inPilotRollingBack, snapshot, rollbackCompleted)
      .when({
        type: 'promote',
        to: 'pilot',
        evaluation: passing,
        setupWorkId: setupWork('pilot', 2),
        promotedBy: 'system',
        at: T0,
      })
      .thenEvents([promoted('sandbox', 'pilot', 2)]);
  });

  it('ignores a repeated completion and refuses one for another unit', () => {
    given(...inPilotRollingBack, rollbackCompleted)
      .when({ type: 'completeRollback', workId: work, at: T0 })
      .thenEvents([]);
    given(...inPilotRollingBack)
      .when({ type: 'completeRollback', workId: asWorkId('other'), at: T0 })
      .thenError('WORK_MISMATCH');
    given(...inPilotReady)
      .when({ type: 'completeRollback', workId: work, at: T0 })
      .thenError('NOT_IN_ROLLBACK');
  });

  it('stays in rollback when it fails, until retried or cancelled', () => {
    const failed: JourneyEvent = {
      type: 'RollbackFailed',
      workId: work,
      error: 'teardown_dataset failed',
      at: T0,
    };
    given(...inPilotRollingBack)
      .when({ type: 'failRollback', workId: work, error: 'teardown_dataset failed', at: T0 })
      .thenEvents([failed]);
    given(...inPilotRollingBack, failed)
      .when({ type: 'failRollback', workId: work, error: 'again', at: T0 })
      .thenEvents([]);
    given(...inPilotRollingBack, failed)
      .when({ type: 'retryRollback', retriedBy: 'alice', at: T0 })
      .thenEvents([{ type: 'RollbackRetried', workId: work, retriedBy: 'alice', at: T0 }]);
    given(...inPilotRollingBack)
      .when({ type: 'retryRollback', retriedBy: 'alice', at: T0 })
      .thenError('ROLLBACK_NOT_FAILED');
    given(...inPilotRollingBack, failed)
      .when({ type: 'cancel', reason: 'give up', cancelledBy: 'alice', at: T0 })
      .thenEvents([
        {
          type: 'JourneyCancelled',
          fromStage: 'rollback',
          reason: 'give up',
          cancelledBy: 'alice',
          at: T0,
        },
      ]);
  });

  it('refuses rollback steps outside a rollback', () => {
    given(...inPilotReady)
      .when({ type: 'takeSnapshot', snapshotId: 's', outputs: {}, at: T0 })
      .thenError('NOT_IN_ROLLBACK');
    given(...inPilotReady)
      .when({ type: 'retryRollback', retriedBy: 'a', at: T0 })
      .thenError('NOT_IN_ROLLBACK');
  });

  it('refuses approvals and setup reports while rolling back', () => {
    given(...inPilotRollingBack)
      .when({ type: 'recordSetupCompleted', workId: setupWork('pilot'), at: T0 })
      .thenError('ROLLBACK_IN_PROGRESS');
  });
});
