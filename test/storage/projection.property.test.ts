import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DomainEvent, Store, StreamAppend } from '../../src/application/ports.js';
import { DomainError } from '../../src/domain/errors.js';
import { asCriterionId, asTaskId, asWorkId } from '../../src/domain/ids.js';
import type { JourneyCommand } from '../../src/domain/journey/commands.js';
import { decideJourney } from '../../src/domain/journey/decide.js';
import { isWorkingStage, nextStage } from '../../src/domain/journey/stage.js';
import type { JourneyState } from '../../src/domain/journey/state.js';
import { addMillis, SECOND } from '../../src/domain/time.js';
import { decideUnitOfWork } from '../../src/domain/unit-of-work/decide.js';
import { readyTasks, runningAttempts } from '../../src/domain/unit-of-work/progress.js';
import { forEachBackend } from '../support/backends.js';
import { StepClock } from '../support/clock.js';
import { acyclicGraph } from '../support/dag-arbitraries.js';
import { demoApproval, evaluation } from '../support/journey-fixtures.js';
import {
  expectedJourneyRecord,
  expectedUnitRecord,
  JourneyDriver,
  newEvents,
  task,
  UnitDriver,
  withoutUpdatedAt,
} from '../support/store-fixtures.js';

/**
 * For random histories the domain can produce, committed in random chunks, the read model row
 * equals the fold of the stream after every commit.
 */

/** A command for the current state; `right` picks the work id the journey expects. */
type Template = (state: JourneyState, step: number) => JourneyCommand;

type Outcome = 'passed' | 'failed' | 'inconclusive';
const passedOrNot = fc.constantFrom<Outcome>(
  'passed',
  'passed',
  'passed',
  'passed',
  'failed',
  'inconclusive',
);

function setupWorkId(state: JourneyState, right: boolean) {
  if (!right || state.status !== 'started' || !isWorkingStage(state.stage)) {
    return asWorkId('stray');
  }
  return state.setups[state.stage]?.workId ?? asWorkId('stray');
}

const rollbackWorkId = (state: JourneyState, right: boolean) =>
  asWorkId(right && state.status === 'started' ? (state.rollback?.workId ?? 'stray') : 'stray');

const at = (step: number) => addMillis('2026-03-01T00:00:00.000Z', step * SECOND);

type SetupStep = 'recordSetupCompleted' | 'recordSetupFailed' | 'recordSetupRetried';
type RollbackStep = 'takeSnapshot' | 'failRollback' | 'retryRollback' | 'completeRollback';

/** The command templates; `right` picks the work id the journey expects (else a stray one). */
const make = {
  setup:
    (type: SetupStep, right: boolean): Template =>
    (s, step) => ({
      type,
      workId: setupWorkId(s, right || type === 'recordSetupCompleted'),
      failedTaskIds: [asTaskId('t1')],
      retriedBy: 'ops',
      at: at(step),
    }),
  promote:
    (outcome: Outcome): Template =>
    (s, step) => ({
      type: 'promote',
      to: s.status === 'started' && isWorkingStage(s.stage) ? nextStage(s.stage) : 'pilot',
      evaluation: evaluation(['quality', outcome]),
      setupWorkId: asWorkId(`setup-${step}`),
      promotedBy: 'system',
      at: at(step),
    }),
  evaluate:
    (outcome: Outcome): Template =>
    (s, step) => ({
      type: 'recordEvaluation',
      stage: s.status === 'started' && isWorkingStage(s.stage) ? s.stage : 'sandbox',
      evaluation: evaluation(['quality', outcome], ['latency', 'passed']),
      trigger: 'recheck',
      at: at(step),
    }),
  complete: (): Template => (_s, step) => ({
    type: 'complete',
    evaluation: evaluation(['quality', 'passed']),
    completedBy: 'system',
    at: at(step),
  }),
  rollback: (): Template => (_s, step) => ({
    type: 'initiateRollback',
    reason: 'quality dropped',
    initiatedBy: 'ops',
    rollbackWorkId: asWorkId(`rollback-${step}`),
    at: at(step),
  }),
  rollbackStep:
    (type: RollbackStep, right: boolean): Template =>
    (s, step) => ({
      type,
      workId: rollbackWorkId(s, right || type === 'completeRollback'),
      snapshotId: `snap-${step}`,
      outputs: { dataset: `ds-${step}` },
      error: 'agent down',
      retriedBy: 'ops',
      at: at(step),
    }),
  approval:
    (role: string, decision: 'approved' | 'rejected'): Template =>
    (_s, step) => ({
      type: 'decideApproval',
      criterionId: asCriterionId('demo_approved'),
      criterion: demoApproval,
      approverId: `approver-${step % 3}`,
      role,
      decision,
      at: at(step),
    }),
  cancel: (): Template => (_s, step) => ({
    type: 'cancel',
    reason: 'client left',
    cancelledBy: 'ops',
    at: at(step),
  }),
};

const templates: fc.Arbitrary<Template> = fc.oneof(
  {
    weight: 14,
    arbitrary: fc
      .tuple(
        fc.constantFrom<SetupStep>(
          'recordSetupCompleted',
          'recordSetupCompleted',
          'recordSetupFailed',
          'recordSetupRetried',
        ),
        fc.boolean(),
      )
      .map(([type, right]) => make.setup(type, right)),
  },
  { weight: 10, arbitrary: passedOrNot.map(make.promote) },
  { weight: 3, arbitrary: passedOrNot.map(make.evaluate) },
  { weight: 4, arbitrary: fc.constant(make.complete()) },
  { weight: 2, arbitrary: fc.constant(make.rollback()) },
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.constantFrom<RollbackStep>(
          'takeSnapshot',
          'failRollback',
          'retryRollback',
          'completeRollback',
          'completeRollback',
        ),
        fc.boolean(),
      )
      .map(([type, right]) => make.rollbackStep(type, right)),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('client', 'admin'), fc.constantFrom('approved', 'rejected' as const))
      .map(([role, decision]) => make.approval(role, decision)),
  },
  { weight: 1, arbitrary: fc.constant(make.cancel()) },
);

/** A history that surely goes deep, always run first: every kind of step the store folds. */
const deepHistory: Template[] = [
  make.setup('recordSetupFailed', true),
  make.setup('recordSetupRetried', true),
  make.setup('recordSetupCompleted', true),
  make.approval('client', 'approved'),
  make.evaluate('failed'),
  make.promote('passed'),
  make.setup('recordSetupCompleted', true),
  make.rollback(),
  make.rollbackStep('takeSnapshot', true),
  make.rollbackStep('failRollback', true),
  make.rollbackStep('retryRollback', true),
  make.rollbackStep('completeRollback', true),
  make.promote('passed'),
  make.setup('recordSetupCompleted', true),
  make.promote('passed'),
  make.setup('recordSetupCompleted', true),
  make.complete(),
];

/** Splits a stream's events into appends of the given sizes (the last one takes the rest). */
function chunked(
  base: Omit<StreamAppend, 'events' | 'expectedVersion'>,
  events: readonly DomainEvent[],
  sizes: readonly number[],
): StreamAppend[] {
  const appends: StreamAppend[] = [];
  let from = 0;
  for (let i = 0; from < events.length; i++) {
    const size = sizes[i % Math.max(sizes.length, 1)] ?? events.length;
    const slice = events.slice(from, from + size);
    appends.push({ ...base, expectedVersion: from, events: newEvents(slice) });
    from += slice.length;
  }
  return appends;
}

const chunkSizes = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 });

forEachBackend((backend) => {
  const runs = backend.name === 'sqlite' ? 100 : 50;

  async function commitAndCompare(
    store: Store,
    appends: readonly StreamAppend[],
    compare: () => Promise<void>,
  ): Promise<void> {
    for (const append of appends) {
      await store.commit({ appends: [append] });
      await compare();
    }
  }

  describe('read models equal the fold of their streams', () => {
    it('for random journey histories committed in random chunks', async () => {
      const store = backend.store;
      const seen = new Set<string>();
      await fc.assert(
        fc.asyncProperty(
          fc.array(templates, { minLength: 1, maxLength: 80, size: 'max' }),
          chunkSizes,
          async (steps, sizes) => {
            const clock = new StepClock('2026-03-01T00:00:00.000Z');
            const journey = JourneyDriver.create(clock).start();
            steps.forEach((template, step) => {
              const command = template(journey.state, step + 1);
              if (!(decideJourney(command, journey.state) instanceof DomainError)) {
                journey.decide(command);
              }
            });
            const { streamId, streamType, journeyId, events: decided } = journey.append();
            const events = decided.map((e) => e.event);
            events.forEach((e) => seen.add(e.type));
            await commitAndCompare(
              store,
              chunked({ streamId, streamType, journeyId }, events, sizes),
              async () => {
                const stream = await store.readStream(journey.journeyId);
                expect(withoutUpdatedAt(await store.findJourney(journey.journeyId))).toEqual(
                  expectedJourneyRecord(stream),
                );
              },
            );
            expect((await store.readStream(journey.journeyId)).map((e) => e.event)).toEqual(events);
          },
        ),
        { numRuns: runs, examples: [[deepHistory, [1, 2, 3]]] },
      );
      // The histories must get deep, or the property proves little.
      expect([...seen]).toEqual(
        expect.arrayContaining([
          'StagePromoted',
          'JourneyCompleted',
          'RollbackInitiated',
          'RollbackCompleted',
          'RollbackFailed',
          'SnapshotTaken',
          'StageSetupFailed',
          'StageSetupRetried',
          'ApprovalGranted',
          'ExitCriteriaEvaluated',
        ]),
      );
    }, 60_000);

    it('for random unit-of-work histories committed in random chunks', async () => {
      const store = backend.store;
      const seen = new Set<string>();
      await fc.assert(
        fc.asyncProperty(
          acyclicGraph(6),
          fc.array(fc.nat(99), { minLength: 1, maxLength: 40 }),
          chunkSizes,
          async (nodes, choices, sizes) => {
            const clock = new StepClock('2026-03-01T00:00:00.000Z');
            const journey = JourneyDriver.create(clock).start();
            await store.commit({ appends: [journey.append()] });
            const unit = UnitDriver.forJourney(journey, clock);
            unit.create(nodes.map((n) => task(n.taskId, n.dependsOn)));
            unit.execute();
            for (const choice of choices) {
              clock.advance(5 * SECOND);
              const state = unit.state;
              if (state.status === 'completed' || state.status === 'cancelled') {
                break;
              }
              if (state.status === 'failed') {
                unit.decide({ type: 'retryFailedTasks', at: clock.now() });
                continue;
              }
              if (choice < 3) {
                unit.cancel();
                continue;
              }
              const ready = readyTasks(state, clock.now());
              const running = runningAttempts(state);
              const options = ready.length + running.length;
              if (options === 0) {
                clock.advance(10 * 60 * SECOND);
                continue;
              }
              const pick = choice % options;
              if (pick < ready.length) {
                unit.startTask(ready[pick]!);
                continue;
              }
              const { taskId, attempt } = running[pick - ready.length]!;
              const outcome = choice % 4;
              const command =
                outcome < 2
                  ? {
                      type: 'completeTask' as const,
                      taskId,
                      attempt,
                      output: { n: choice },
                      at: clock.now(),
                    }
                  : {
                      type: 'failTask' as const,
                      taskId,
                      attempt,
                      failure: { message: 'no', retryable: outcome === 2 },
                      random: 0.5,
                      at: clock.now(),
                    };
              if (!(decideUnitOfWork(command, unit.state) instanceof DomainError)) {
                unit.decide(command);
              }
            }
            const { streamId, streamType, journeyId, events: decided } = unit.append();
            const events = decided.map((e) => e.event);
            events.forEach((e) => seen.add(e.type));
            await commitAndCompare(
              store,
              chunked({ streamId, streamType, journeyId }, events, sizes),
              async () => {
                const stream = await store.readStream(unit.workId);
                expect(withoutUpdatedAt(await store.findUnitOfWork(unit.workId))).toEqual(
                  expectedUnitRecord(stream),
                );
              },
            );
          },
        ),
        { numRuns: runs },
      );
      expect([...seen]).toEqual(
        expect.arrayContaining([
          'TaskExecutionCompleted',
          'TaskExecutionFailed',
          'UnitOfWorkCompleted',
          'UnitOfWorkFailed',
          'UnitOfWorkRetried',
          'UnitOfWorkCancelled',
        ]),
      );
    }, 60_000);
  });
});
