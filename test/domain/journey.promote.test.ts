import { describe, expect, it } from 'vitest';
import { decideJourney } from '../../src/domain/journey/decide.js';
import { isWorkingStage, type Stage } from '../../src/domain/journey/stage.js';
import { evolveJourney, initialJourneyState } from '../../src/domain/journey/state.js';
import { deciderSpec } from '../support/decider-spec.js';
import {
  evaluation,
  failing,
  inPilotReady,
  inProductionReady,
  inSandboxReady,
  passing,
  promoted,
  rollbackInitiated,
  setupWork,
  started,
  T0,
} from '../support/journey-fixtures.js';

const { given } = deciderSpec({
  decide: decideJourney,
  evolve: evolveJourney,
  initialState: initialJourneyState,
});

const promote = (to: Stage, evaluated = passing) =>
  ({
    type: 'promote',
    to,
    evaluation: evaluated,
    setupWorkId: setupWork(isWorkingStage(to) ? to : 'production'),
    promotedBy: 'system',
    at: T0,
  }) as const;

describe('journey: promote', () => {
  it('promotes sandbox to pilot when the setup completed and every criterion passed', () => {
    given(...inSandboxReady)
      .when(promote('pilot'))
      .thenEvents([promoted('sandbox', 'pilot')]);
  });

  it('promotes pilot to production, and completes from production', () => {
    given(...inPilotReady)
      .when(promote('production'))
      .thenEvents([promoted('pilot', 'production')]);
    given(...inProductionReady)
      .when(promote('completed'))
      .thenEvents([
        {
          type: 'JourneyCompleted',
          fromStage: 'production',
          exitCriteriaResults: passing.results,
          completedBy: 'system',
          at: T0,
        },
      ]);
  });

  it('records a custom reason and who promoted', () => {
    given(...inSandboxReady)
      .when({ ...promote('pilot'), promotedBy: 'alice', reason: 'demo went well' })
      .thenEvents([
        { ...promoted('sandbox', 'pilot'), promotedBy: 'alice', reason: 'demo went well' },
      ]);
  });

  it.each([
    ['sandbox', 'production', inSandboxReady],
    ['sandbox', 'completed', inSandboxReady],
    ['pilot', 'completed', inPilotReady],
  ] as const)('refuses to skip from %s to %s', (_from, to, history) => {
    given(...history)
      .when(promote(to))
      .thenError('STAGE_SKIP');
  });

  it.each([
    ['pilot', 'sandbox', inPilotReady],
    ['pilot', 'pilot', inPilotReady],
    ['sandbox', 'rollback', inSandboxReady],
    ['sandbox', 'cancelled', inSandboxReady],
  ] as const)(
    'refuses a promotion from %s to %s that does not go forward',
    (_from, to, history) => {
      given(...history)
        .when(promote(to))
        .thenError('PROMOTION_INVALID');
    },
  );

  it('refuses with the failing results when a criterion failed', () => {
    const error = given(...inSandboxReady)
      .when(promote('pilot', failing))
      .thenError('EXIT_CRITERIA_NOT_MET');
    expect(error.details.results).toEqual([failing.results[0]]);
    expect(error.message).toContain('search_quality failed');
  });

  it('never treats an inconclusive criterion as passed', () => {
    given(...inSandboxReady)
      .when(promote('pilot', evaluation(['search_quality', 'inconclusive'])))
      .thenError('EXIT_CRITERIA_NOT_MET');
  });

  it('refuses an evaluation that claims allPassed while a result did not pass', () => {
    given(...inSandboxReady)
      .when(promote('pilot', { ...failing, allPassed: true }))
      .thenError('EXIT_CRITERIA_NOT_MET');
  });

  it('refuses while the setup unit of work still runs, or after it failed', () => {
    given(started).when(promote('pilot')).thenError('SETUP_NOT_COMPLETED');
    given(started, {
      type: 'StageSetupFailed',
      stage: 'sandbox',
      workId: setupWork('sandbox'),
      failedTaskIds: [],
      at: T0,
    })
      .when(promote('pilot'))
      .thenError('SETUP_NOT_COMPLETED');
    given(...inSandboxReady, promoted('sandbox', 'pilot'))
      .when(promote('production'))
      .thenError('SETUP_NOT_COMPLETED');
  });

  it('refuses while rolling back', () => {
    given(...inPilotReady, rollbackInitiated('pilot', 'sandbox'))
      .when(promote('pilot'))
      .thenError('ROLLBACK_IN_PROGRESS');
  });

  it('refuses on a terminal journey', () => {
    const cancelled = {
      type: 'JourneyCancelled',
      fromStage: 'sandbox',
      reason: 'x',
      cancelledBy: 'a',
      at: T0,
    } as const;
    given(...inSandboxReady, cancelled)
      .when(promote('pilot'))
      .thenError('JOURNEY_TERMINAL');
  });
});

describe('journey: complete', () => {
  const complete = (evaluated = passing) =>
    ({ type: 'complete', evaluation: evaluated, completedBy: 'system', at: T0 }) as const;

  it('completes from production when the success criteria passed', () => {
    given(...inProductionReady)
      .when(complete())
      .thenEvents([
        {
          type: 'JourneyCompleted',
          fromStage: 'production',
          exitCriteriaResults: passing.results,
          completedBy: 'system',
          at: T0,
        },
      ]);
  });

  it('refuses before production, with failing criteria, or before the production setup completed', () => {
    given(...inPilotReady)
      .when(complete())
      .thenError('STAGE_SKIP');
    given(...inProductionReady)
      .when(complete(failing))
      .thenError('EXIT_CRITERIA_NOT_MET');
    given(...inPilotReady, promoted('pilot', 'production'))
      .when(complete())
      .thenError('SETUP_NOT_COMPLETED');
  });

  it('makes the journey terminal: nothing changes it afterwards', () => {
    const completed = {
      type: 'JourneyCompleted',
      fromStage: 'production',
      exitCriteriaResults: [],
      completedBy: 's',
      at: T0,
    } as const;
    given(...inProductionReady, completed)
      .when(complete())
      .thenError('JOURNEY_TERMINAL');
    given(...inProductionReady, completed)
      .when({ type: 'cancel', reason: 'x', cancelledBy: 'a', at: T0 })
      .thenError('JOURNEY_TERMINAL');
    given(...inProductionReady, completed)
      .when({
        type: 'initiateRollback',
        reason: 'x',
        initiatedBy: 'a',
        rollbackWorkId: setupWork('pilot'),
        at: T0,
      })
      .thenError('JOURNEY_TERMINAL');
  });
});
