import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError, ERROR_CATALOG, type Decision } from '../../src/domain/errors.js';
import { asCriterionId, asWorkId } from '../../src/domain/ids.js';
import type { JourneyCommand } from '../../src/domain/journey/commands.js';
import { decideJourney } from '../../src/domain/journey/decide.js';
import type { JourneyEvent } from '../../src/domain/journey/events.js';
import {
  ALL_STAGES,
  isTerminalStage,
  nextStage,
  previousStage,
  type WorkingStage,
} from '../../src/domain/journey/stage.js';
import {
  evolveJourney,
  initialJourneyState,
  type JourneyState,
} from '../../src/domain/journey/state.js';
import { journeyStatus } from '../../src/domain/journey/status.js';
import {
  clientId,
  demoApproval,
  evaluation,
  journeyId,
  playbook,
  T0,
} from '../support/journey-fixtures.js';

const stageArb = fc.constantFrom(...ALL_STAGES);
const outcomeArb = fc.constantFrom(
  'passed',
  'passed',
  'passed',
  'passed',
  'passed',
  'passed',
  'failed',
  'inconclusive' as const,
);
const evaluationArb = fc
  .array(outcomeArb, { minLength: 0, maxLength: 3 })
  .map((outcomes) => evaluation(...outcomes.map((o, i): [string, typeof o] => [`c${i}`, o])));

/** A command template: it picks the "right" work id most of the time, so journeys get far. */
type Template = (state: JourneyState, step: number) => JourneyCommand;

const currentSetup = (s: JourneyState) =>
  s.status === 'started' && s.stage in s.setups
    ? s.setups[s.stage as WorkingStage]?.workId
    : undefined;
const nextOf = (s: JourneyState) =>
  s.status === 'started' &&
  (s.stage === 'sandbox' || s.stage === 'pilot' || s.stage === 'production')
    ? nextStage(s.stage)
    : 'pilot';
const pick = (right: string | undefined, useRight: boolean) =>
  asWorkId(useRight && right ? right : 'stray');

const rightMostly = fc.oneof(
  { arbitrary: fc.constant(true), weight: 4 },
  { arbitrary: fc.constant(false), weight: 1 },
);

// Weighted so that sequences often get deep (promotions, rollbacks, completion) before a cancel.
const templateArbs: fc.Arbitrary<Template>[] = [
  fc.boolean().map((other): Template => () => ({
    type: 'start',
    journeyId,
    clientId,
    playbook,
    setupWorkId: asWorkId('w-start'),
    startedBy: 'a',
    at: T0,
    ...(other ? { activeJourneyId: journeyId } : {}),
  })),
  fc
    .tuple(
      fc.constantFrom(
        'recordSetupCompleted',
        'recordSetupCompleted',
        'recordSetupFailed',
        'recordSetupRetried' as const,
      ),
      rightMostly,
    )
    .map(([type, right]): Template => (s) => ({
      type,
      workId: pick(currentSetup(s), right),
      failedTaskIds: [],
      retriedBy: 'a',
      at: T0,
    })),
  fc
    .tuple(
      fc.oneof({ arbitrary: fc.constant('next' as const), weight: 3 }, stageArb),
      evaluationArb,
    )
    .map(([to, e]): Template => (s, step) => ({
      type: 'promote',
      to: to === 'next' ? nextOf(s) : to,
      evaluation: e,
      setupWorkId: asWorkId(`w-${step}`),
      promotedBy: 'system',
      at: T0,
    })),
  evaluationArb.map((e): Template => () => ({
    type: 'complete',
    evaluation: e,
    completedBy: 'system',
    at: T0,
  })),
  fc.option(stageArb, { nil: undefined, freq: 2 }).map((to): Template => (_s, step) => ({
    type: 'initiateRollback',
    reason: 'r',
    initiatedBy: 'a',
    rollbackWorkId: asWorkId(`rb-${step}`),
    at: T0,
    ...(to ? { to } : {}),
  })),
  fc
    .tuple(
      fc.constantFrom('failRollback', 'completeRollback', 'takeSnapshot', 'retryRollback' as const),
      rightMostly,
    )
    .map(([type, right]): Template => (s) => ({
      type,
      workId: pick(s.status === 'started' ? s.rollback?.workId : undefined, right),
      error: 'e',
      snapshotId: 'snap',
      outputs: {},
      retriedBy: 'a',
      at: T0,
    })),
  fc
    .tuple(fc.constantFrom('client', 'viewer'), fc.constantFrom('approved', 'rejected' as const))
    .map(([role, decision]): Template => () => ({
      type: 'decideApproval',
      criterionId: asCriterionId('demo_approved'),
      criterion: demoApproval,
      approverId: 'x',
      role,
      decision,
      at: T0,
    })),
  stageArb.map((stage): Template => (s) => ({
    type: 'recordEvaluation',
    stage: (s.status === 'started' && stage === 'sandbox' ? s.stage : stage) as WorkingStage,
    evaluation: evaluation(['c0', 'passed']),
    trigger: 'recheck',
    at: T0,
  })),
  fc.constant((): JourneyCommand => ({ type: 'cancel', reason: 'r', cancelledBy: 'a', at: T0 })),
];
// start, setup, promote, complete, initiateRollback, rollback steps, approval, evaluation, cancel
const WEIGHTS = [1, 16, 16, 8, 3, 12, 2, 2, 1];
const templateArb = fc.oneof(
  ...templateArbs.map((arbitrary, i) => ({ arbitrary, weight: WEIGHTS[i] ?? 1 })),
);

function check(condition: boolean, message: string): void {
  if (!condition) {
    throw new Error(message);
  }
}

/** Checks one step: the events a command caused obey the journey's rules given the state before. */
function checkStep(
  before: JourneyState,
  command: JourneyCommand,
  decision: Decision<JourneyEvent>,
): void {
  if (decision instanceof DomainError) {
    check(decision.code in ERROR_CATALOG, `uncatalogued code ${decision.code}`);
    return;
  }
  if (before.status === 'started' && isTerminalStage(before.stage)) {
    throw new Error(`a ${before.stage} journey accepted ${command.type}`);
  }
  for (const event of decision) {
    if (event.type === 'StagePromoted') {
      check(
        before.status === 'started' && before.stage === event.fromStage,
        'promoted from another stage',
      );
      check(
        event.toStage === nextStage(event.fromStage),
        `skipped from ${event.fromStage} to ${event.toStage}`,
      );
      check(
        before.status === 'started' && before.setups[event.fromStage]?.status === 'completed',
        'promoted before setup completed',
      );
      check(
        event.exitCriteriaResults.every((r) => r.outcome === 'passed'),
        'promoted with a criterion not passed',
      );
    }
    if (event.type === 'JourneyCompleted') {
      check(
        before.status === 'started' && before.stage === 'production',
        'completed before production',
      );
      check(
        event.exitCriteriaResults.every((r) => r.outcome === 'passed'),
        'completed with a criterion not passed',
      );
    }
    if (event.type === 'RollbackInitiated') {
      check(event.toStage === previousStage(event.fromStage), 'rolled back further than one stage');
    }
    if (event.type === 'RollbackCompleted') {
      check(
        before.status === 'started' && before.rollback?.toStage === event.toStage,
        'rollback ended elsewhere',
      );
    }
  }
}

describe('journey: invariants under random command sequences', () => {
  it('one stage at a time, no skipping, rollback only to the previous stage, terminal stays terminal', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(
        fc.array(templateArb, { minLength: 1, maxLength: 100, size: 'max' }),
        (templates) => {
          let state: JourneyState = evolveJourney(initialJourneyState, {
            type: 'JourneyStarted',
            journeyId,
            clientId,
            playbook,
            stage: 'sandbox',
            setupWorkId: asWorkId('w-start'),
            startedBy: 'a',
            at: T0,
          });
          templates.forEach((template, step) => {
            const command = template(state, step);
            const decision = decideJourney(command, state);
            const after =
              decision instanceof DomainError ? state : decision.reduce(evolveJourney, state);
            if (!(decision instanceof DomainError)) {
              decision.forEach((e) =>
                seen.add(e.type === 'StagePromoted' ? `${e.type}:${e.toStage}` : e.type),
              );
            }
            checkStep(state, command, decision);
            if (after.status === 'started') {
              const last = after.stageHistory.at(-1);
              check(ALL_STAGES.includes(after.stage), `unknown stage ${after.stage}`);
              check(
                (last?.toStage ?? 'sandbox') === after.stage,
                'the stage history does not end in the current stage',
              );
              check(
                journeyStatus(after).kind !== 'not_started',
                'a started journey reads as not started',
              );
            }
            state = after;
          });
          expect(JSON.parse(JSON.stringify(state))).toEqual(state);
        },
      ),
      { numRuns: 200 },
    );
    // The generator must reach deep journeys, or the properties above prove little.
    expect([...seen]).toEqual(
      expect.arrayContaining([
        'StagePromoted:pilot',
        'StagePromoted:production',
        'JourneyCompleted',
        'RollbackCompleted',
        'RollbackFailed',
      ]),
    );
  });
});
