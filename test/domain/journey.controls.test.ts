import { describe, expect, it } from 'vitest';
import type { ActiveFreeze, PromotionControls } from '../../src/domain/journey/controls.js';
import { decideJourney } from '../../src/domain/journey/decide.js';
import type { JourneyEvent } from '../../src/domain/journey/events.js';
import type { Stage } from '../../src/domain/journey/stage.js';
import { evolveJourney, initialJourneyState } from '../../src/domain/journey/state.js';
import { journeyStatus } from '../../src/domain/journey/status.js';
import { DAY, HOUR } from '../../src/domain/time.js';
import { deciderSpec } from '../support/decider-spec.js';
import {
  failing,
  inPilotReady,
  inProductionReady,
  inSandboxReady,
  later,
  passing,
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

const paused: JourneyEvent = {
  type: 'JourneyPaused',
  stage: 'sandbox',
  reason: 'client asked to wait',
  pausedBy: 'otto',
  at: T0,
};

const promote = (controls?: PromotionControls, at = T0, to: Stage = 'pilot') =>
  ({
    type: 'promote',
    to,
    evaluation: passing,
    setupWorkId: setupWork('pilot'),
    promotedBy: 'ada',
    ...(controls === undefined ? {} : { controls }),
    at,
  }) as const;

const yearEnd: ActiveFreeze = {
  freezeId: 'year-end',
  scope: 'global',
  description: 'Year-end change freeze',
  from: later(-60),
  until: later(24 * 60),
};

describe('journey: pause and resume', () => {
  it('pauses with who, when and why, and says so in the state', () => {
    given(...inSandboxReady)
      .when({ type: 'pause', reason: 'client asked to wait', pausedBy: 'otto', at: T0 })
      .thenEvents([paused]);
    const state = fold(...inSandboxReady, paused);
    expect(state.status === 'started' && state.pause).toEqual({
      pausedBy: 'otto',
      reason: 'client asked to wait',
      at: T0,
    });
  });

  it('refuses to pause twice, and to resume a journey that is not paused', () => {
    const refusal = given(...inSandboxReady, paused)
      .when({ type: 'pause', reason: 'again', pausedBy: 'ada', at: T0 })
      .thenError('JOURNEY_ALREADY_PAUSED');
    expect(refusal.message).toContain('otto');
    given(...inSandboxReady)
      .when({ type: 'resume', resumedBy: 'otto', at: T0 })
      .thenError('JOURNEY_NOT_PAUSED');
  });

  it('resumes, recording when the pause began, and clears it', () => {
    given(...inSandboxReady, paused)
      .when({ type: 'resume', resumedBy: 'ada', reason: 'go on', at: later(5) })
      .thenEvents([
        {
          type: 'JourneyResumed',
          stage: 'sandbox',
          reason: 'go on',
          resumedBy: 'ada',
          pausedAt: T0,
          at: later(5),
        },
      ]);
    const resumed = fold(...inSandboxReady, paused, {
      type: 'JourneyResumed',
      stage: 'sandbox',
      resumedBy: 'ada',
      pausedAt: T0,
      at: later(5),
    });
    expect(resumed.status === 'started' && resumed.pause).toBeNull();
  });

  it('refuses a promotion and a completion while paused, naming who paused it', () => {
    const refusal = given(...inSandboxReady, paused)
      .when(promote())
      .thenError('JOURNEY_PAUSED');
    expect(refusal.details).toMatchObject({ pausedBy: 'otto', reason: 'client asked to wait' });
    given(...inProductionReady, { ...paused, stage: 'production' })
      .when({ type: 'complete', evaluation: passing, completedBy: 'ada', at: T0 })
      .thenError('JOURNEY_PAUSED');
  });

  it('allows a rollback and a cancellation while paused; a cancelled journey is no longer paused', () => {
    given(...inPilotReady, { ...paused, stage: 'pilot' })
      .when({
        type: 'initiateRollback',
        reason: 'bad pilot',
        initiatedBy: 'otto',
        rollbackWorkId: rollbackWork('pilot'),
        at: T0,
      })
      .thenEvents([
        {
          type: 'RollbackInitiated',
          fromStage: 'pilot',
          toStage: 'sandbox',
          reason: 'bad pilot',
          initiatedBy: 'otto',
          rollbackWorkId: rollbackWork('pilot'),
          at: T0,
        },
      ]);
    const [cancelled] = given(...inSandboxReady, paused)
      .when({ type: 'cancel', reason: 'lost deal', cancelledBy: 'otto', at: T0 })
      .thenEvents([
        {
          type: 'JourneyCancelled',
          fromStage: 'sandbox',
          reason: 'lost deal',
          cancelledBy: 'otto',
          at: T0,
        },
      ]);
    const state = fold(...inSandboxReady, paused, cancelled as JourneyEvent);
    expect(state.status === 'started' && state.pause).toBeNull();
  });

  it('keeps the status it had underneath: a pause hides nothing', () => {
    expect(journeyStatus(fold(...inSandboxReady, paused)).kind).toBe('validating');
  });

  it('refuses to pause an ended journey', () => {
    given(...inSandboxReady, {
      type: 'JourneyCancelled',
      fromStage: 'sandbox',
      reason: 'x',
      cancelledBy: 'otto',
      at: T0,
    })
      .when({ type: 'pause', reason: 'late', pausedBy: 'otto', at: T0 })
      .thenError('JOURNEY_TERMINAL');
  });
});

describe('journey: stop the line', () => {
  it('refuses a promotion while promotions are stopped fleet-wide, naming who and why', () => {
    const refusal = given(...inSandboxReady)
      .when(promote({ promotionStop: { stoppedBy: 'ada', reason: 'incident 42', at: T0 } }))
      .thenError('PROMOTIONS_PAUSED');
    expect(refusal.message).toContain('ada');
    expect(refusal.message).toContain('incident 42');
  });

  it('comes after the journey’s own pause, and before the gate', () => {
    given(...inSandboxReady, paused)
      .when(promote({ promotionStop: { stoppedBy: 'ada', reason: 'incident', at: T0 } }))
      .thenError('JOURNEY_PAUSED');
    given(...inSandboxReady)
      .when({
        ...promote({ promotionStop: { stoppedBy: 'ada', reason: 'incident', at: T0 } }),
        evaluation: failing,
      })
      .thenError('PROMOTIONS_PAUSED');
  });

  it('does not hold back a rollback', () => {
    const events = given(...inPilotReady).when({
      type: 'initiateRollback',
      reason: 'incident',
      initiatedBy: 'ada',
      rollbackWorkId: setupWork('sandbox', 9),
      at: T0,
    }).decision;
    expect(Array.isArray(events)).toBe(true);
  });
});

describe('journey: freezes', () => {
  it('refuses a promotion during a freeze, naming it and when it ends', () => {
    const refusal = given(...inSandboxReady)
      .when(promote({ freezes: [yearEnd] }))
      .thenError('FREEZE_IN_FORCE');
    expect(refusal.message).toContain('year-end');
    expect(refusal.details).toMatchObject({ until: yearEnd.until, freezes: [yearEnd] });
  });

  it('refuses a completion during a freeze', () => {
    given(...inProductionReady)
      .when({
        type: 'complete',
        evaluation: passing,
        completedBy: 'ada',
        controls: { freezes: [yearEnd] },
        at: T0,
      })
      .thenError('FREEZE_IN_FORCE');
  });

  it('ends with the latest of several freezes in force', () => {
    const weekend = {
      ...yearEnd,
      freezeId: 'weekend',
      scope: 'playbook' as const,
      until: later(3 * 24 * 60),
    };
    const refusal = given(...inSandboxReady)
      .when(promote({ freezes: [yearEnd, weekend] }))
      .thenError('FREEZE_IN_FORCE');
    expect(refusal.details.until).toBe(weekend.until);
  });

  it('lets an admin override with a reason, recorded on the promotion', () => {
    given(...inSandboxReady)
      .when(
        promote({ freezes: [yearEnd], overrideFreeze: { reason: 'hotfix', overriddenBy: 'ada' } }),
      )
      .thenEvents([
        {
          ...promoted('sandbox', 'pilot'),
          promotedBy: 'ada',
          freezeOverride: { reason: 'hotfix', overriddenBy: 'ada', freezes: [yearEnd] },
        },
      ]);
  });

  it('records no override when no freeze is in force', () => {
    given(...inSandboxReady)
      .when(
        promote({ freezes: [], overrideFreeze: { reason: 'just in case', overriddenBy: 'ada' } }),
      )
      .thenEvents([{ ...promoted('sandbox', 'pilot'), promotedBy: 'ada' }]);
  });

  it('an override does not lift the fleet stop', () => {
    given(...inSandboxReady)
      .when(
        promote({
          promotionStop: { stoppedBy: 'ada', reason: 'incident', at: T0 },
          freezes: [yearEnd],
          overrideFreeze: { reason: 'hotfix', overriddenBy: 'ada' },
        }),
      )
      .thenError('PROMOTIONS_PAUSED');
  });
});

describe('journey: soak time', () => {
  const soakTime = 3 * DAY;

  it('refuses a promotion before the soak time, with the time remaining', () => {
    const refusal = given(...inSandboxReady)
      .when(promote({ soakTime }, later(2 * 24 * 60)))
      .thenError('SOAK_TIME_NOT_ELAPSED');
    expect(refusal.details).toMatchObject({
      soakTime,
      enteredAt: T0,
      endsAt: later(3 * 24 * 60),
      remainingMs: DAY,
    });
    expect(refusal.message).toContain('1d remain');
  });

  it('promotes once the soak time has passed', () => {
    given(...inSandboxReady)
      .when(promote({ soakTime }, later(3 * 24 * 60)))
      .thenEvents([{ ...promoted('sandbox', 'pilot'), promotedBy: 'ada', at: later(3 * 24 * 60) }]);
  });

  it('counts from entering the stage: a stage returned to by a rollback soaks again', () => {
    const back: JourneyEvent[] = [
      ...inPilotReady,
      rollbackInitiated('pilot', 'sandbox'),
      {
        type: 'RollbackCompleted',
        fromStage: 'pilot',
        toStage: 'sandbox',
        workId: rollbackWork('pilot'),
        at: later(10 * 24 * 60),
      },
    ];
    given(...back)
      .when({ ...promote({ soakTime }, later(11 * 24 * 60)), setupWorkId: setupWork('pilot', 2) })
      .thenError('SOAK_TIME_NOT_ELAPSED');
  });

  it('a stage still setting up is refused for its setup first', () => {
    given(started)
      .when(promote({ soakTime: HOUR }))
      .thenError('SETUP_NOT_COMPLETED');
  });

  it('applies to completing from production too', () => {
    given(...inProductionReady)
      .when({
        type: 'complete',
        evaluation: passing,
        completedBy: 'ada',
        controls: { soakTime },
        at: later(60),
      })
      .thenError('SOAK_TIME_NOT_ELAPSED');
  });

  it('a failing gate is reported after the soak is over', () => {
    given(...inSandboxReady)
      .when({ ...promote({ soakTime }, later(4 * 24 * 60)), evaluation: failing })
      .thenError('EXIT_CRITERIA_NOT_MET');
  });
});
