import { describe, expect, it } from 'vitest';
import { decideJourney } from '../../src/domain/journey/decide.js';
import type { JourneyEvent } from '../../src/domain/journey/events.js';
import { evolveJourney, initialJourneyState } from '../../src/domain/journey/state.js';
import { deciderSpec } from '../support/decider-spec.js';
import {
  inSandboxReady,
  later,
  promoted,
  rollbackInitiated,
  rollbackWork,
  setupWork,
  started,
  T0,
} from '../support/journey-fixtures.js';

const { given, fold } = deciderSpec({
  decide: decideJourney,
  evolve: evolveJourney,
  initialState: initialJourneyState,
});

const deadline = 5 * 60_000;
const flag = (stage: 'sandbox' | 'pilot' | 'rollback', enteredAt = T0) =>
  ({ type: 'flagOverdue', stage, enteredAt, deadline, at: later(5) }) as const;

describe('a stage transition past its deadline', () => {
  it('raises the alert once while the setup is still running', () => {
    const alert: JourneyEvent = {
      type: 'StageTransitionOverdue',
      stage: 'sandbox',
      enteredAt: T0,
      deadline,
      workId: setupWork('sandbox'),
      at: later(5),
    };
    given(started).when(flag('sandbox')).thenEvents([alert]);
    given(started, alert).when(flag('sandbox')).thenEvents([]);
    const state = fold(started, alert);
    expect(state.status === 'started' && state.overdueSince).toBe(later(5));
  });

  it('watches a rollback until it completes', () => {
    const rollingBack = [
      ...inSandboxReady,
      promoted('sandbox', 'pilot'),
      rollbackInitiated('pilot', 'sandbox'),
    ];
    given(...rollingBack)
      .when(flag('rollback'))
      .thenEvents([
        {
          type: 'StageTransitionOverdue',
          stage: 'rollback',
          enteredAt: T0,
          deadline,
          workId: rollbackWork('pilot'),
          at: later(5),
        },
      ]);
  });

  it('changes nothing for a finished setup, another visit, or an ended journey', () => {
    given(...inSandboxReady)
      .when(flag('sandbox'))
      .thenEvents([]);
    given(started)
      .when(flag('sandbox', later(1)))
      .thenEvents([]);
    given(started).when(flag('pilot')).thenEvents([]);
    const cancelled: JourneyEvent = {
      type: 'JourneyCancelled',
      fromStage: 'sandbox',
      reason: 'client left',
      cancelledBy: 'alice',
      at: later(1),
    };
    given(started, cancelled).when(flag('sandbox')).thenEvents([]);
  });

  it('starts every new stage visit unflagged', () => {
    const alert: JourneyEvent = {
      type: 'StageTransitionOverdue',
      stage: 'sandbox',
      enteredAt: T0,
      deadline,
      workId: setupWork('sandbox'),
      at: later(5),
    };
    const state = fold(
      ...inSandboxReady.slice(0, 1),
      alert,
      ...inSandboxReady.slice(1),
      promoted('sandbox', 'pilot'),
    );
    expect(state.status === 'started' && state.overdueSince).toBeNull();
  });
});
