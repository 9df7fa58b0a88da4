import { describe, expect, it } from 'vitest';
import { asAgentId, asTaskId } from '../../src/domain/ids.js';
import { SECOND } from '../../src/domain/time.js';
import {
  at,
  cmd,
  ev,
  pendingUnit,
  retryable,
  runningUnit,
  task,
  terminal,
  unitSpec,
} from '../support/unit-of-work-builders.js';

const { given } = unitSpec;
const a = task('a');
const b = task('b', ['a']);
const solo = task('solo');

/** `a` (maxRetries 3, 1s doubling, no jitter) failed three times and waits for attempt 4. */
const aWaitingForLastAttempt = [
  ...runningUnit(a, b),
  ev.taskStarted('a', 1, at(0)),
  ev.taskFailed('a', 1, at(10), retryable(), at(11)),
  ev.taskStarted('a', 2, at(11)),
  ev.taskFailed('a', 2, at(20), retryable(), at(22)),
  ev.taskStarted('a', 3, at(22)),
  ev.taskFailed('a', 3, at(30), retryable(), at(34)),
  ev.taskStarted('a', 4, at(34)),
];

describe('unit of work: startTask', () => {
  it('starts a ready task as attempt 1, recording the agent and its task id', () => {
    given(...runningUnit(a))
      .when(cmd.startTask('a', at(1), { agentId: 'dataops', agentTaskId: 't-9' }))
      .thenEvents([ev.taskStarted('a', 1, at(1), { agentId: 'dataops', agentTaskId: 't-9' })]);
  });

  it('refuses a task whose dependencies have not succeeded, naming them', () => {
    const error = given(...runningUnit(a, b, task('c', ['a', 'b'])), ev.taskStarted('a', 1, at(1)))
      .when(cmd.startTask('c', at(2)))
      .thenError('TASK_NOT_READY');
    expect(error.message).toBe('task "c" waits for "a", "b"');
    expect(error.details['unmetDependencies']).toEqual([asTaskId('a'), asTaskId('b')]);
  });

  it('starts a dependent once its dependencies succeeded', () => {
    given(...runningUnit(a, b), ev.taskStarted('a', 1, at(1)), ev.taskCompleted('a', 1, at(2)))
      .when(cmd.startTask('b', at(3)))
      .thenEvents([ev.taskStarted('b', 1, at(3))]);
  });

  it('refuses a retry before its time, naming the time, and starts it from then on', () => {
    const waiting = [
      ...runningUnit(a),
      ev.taskStarted('a', 1, at(1)),
      ev.taskFailed('a', 1, at(2), retryable(), at(3)),
    ];
    const error = given(...waiting)
      .when(cmd.startTask('a', at(2)))
      .thenError('TASK_NOT_READY');
    expect(error.message).toContain(at(3));
    given(...waiting)
      .when(cmd.startTask('a', at(3)))
      .thenEvents([ev.taskStarted('a', 2, at(3))]);
  });

  it('refuses a task that is running or finished', () => {
    given(...runningUnit(a, solo), ev.taskStarted('a', 1, at(1)))
      .when(cmd.startTask('a', at(2)))
      .thenError('TASK_NOT_READY');
    given(...runningUnit(a, solo), ev.taskStarted('a', 1, at(1)), ev.taskCompleted('a', 1, at(2)))
      .when(cmd.startTask('a', at(3)))
      .thenError('TASK_NOT_READY');
  });

  it('refuses an unknown task', () => {
    given(...runningUnit(a))
      .when(cmd.startTask('ghost', at(1)))
      .thenError('TASK_NOT_FOUND');
  });

  it('refuses unless the unit is running', () => {
    given(...pendingUnit(a))
      .when(cmd.startTask('a', at(1)))
      .thenError('UNIT_NOT_RUNNING');
    given(...runningUnit(a), ev.cancelled('stop', ['a'], [], at(1)))
      .when(cmd.startTask('a', at(2)))
      .thenError('UNIT_TERMINAL');
    given()
      .when(cmd.startTask('a', at(1)))
      .thenError('UNIT_NOT_FOUND');
  });
});

describe('unit of work: completeTask', () => {
  const aRunning = [...runningUnit(a, b), ev.taskStarted('a', 1, at(1))];

  it('records the output of the running attempt', () => {
    given(...aRunning)
      .when(cmd.completeTask('a', 1, at(2), { rows: 42 }))
      .thenEvents([ev.taskCompleted('a', 1, at(2), { rows: 42 })]);
  });

  it('completes the unit when the last task succeeds', () => {
    given(...aRunning, ev.taskCompleted('a', 1, at(2)), ev.taskStarted('b', 1, at(3)))
      .when(cmd.completeTask('b', 1, at(4)))
      .thenEvents([ev.taskCompleted('b', 1, at(4)), ev.completed(at(4))]);
  });

  it('ignores the same completion reported twice, even after the unit completed', () => {
    given(...aRunning, ev.taskCompleted('a', 1, at(2)))
      .when(cmd.completeTask('a', 1, at(3)))
      .thenEvents([]);
    given(...runningUnit(a), ev.taskStarted('a', 1, at(1)), ev.taskCompleted('a', 1, at(2)))
      .when(cmd.completeTask('a', 1, at(3)))
      .thenEvents([]);
  });

  it('refuses a report for an attempt that is no longer current', () => {
    const error = given(...aWaitingForLastAttempt)
      .when(cmd.completeTask('a', 2, at(40)))
      .thenError('STALE_ATTEMPT');
    expect(error.message).toContain('attempt 4');
    given(
      ...runningUnit(a),
      ev.taskStarted('a', 1, at(1)),
      ev.taskFailed('a', 1, at(2), retryable(), at(3)),
    )
      .when(cmd.completeTask('a', 1, at(4)))
      .thenError('STALE_ATTEMPT');
  });

  it('refuses a report for an attempt that never started', () => {
    given(...aRunning)
      .when(cmd.completeTask('a', 2, at(2)))
      .thenError('TASK_NOT_RUNNING');
    given(...aRunning)
      .when(cmd.completeTask('b', 1, at(2)))
      .thenError('TASK_NOT_RUNNING');
  });

  it('refuses an unknown task', () => {
    given(...aRunning)
      .when(cmd.completeTask('ghost', 1, at(2)))
      .thenError('TASK_NOT_FOUND');
  });

  it('fails the unit when the last independent branch finishes after another branch failed', () => {
    given(
      ...runningUnit(a, b, solo),
      ev.taskStarted('a', 1, at(1)),
      ev.taskStarted('solo', 1, at(1)),
      ev.taskFailed('a', 1, at(2), terminal()),
    )
      .when(cmd.completeTask('solo', 1, at(5)))
      .thenEvents([ev.taskCompleted('solo', 1, at(5)), ev.failed(['a'], ['b'], at(5))]);
  });

  it('refuses a late report after a cancellation, but ignores a duplicate', () => {
    const cancelled = [
      ...aRunning,
      ev.cancelled('stop', ['a', 'b'], [{ taskId: asTaskId('a'), attempt: 1 }], at(2)),
    ];
    given(...cancelled)
      .when(cmd.completeTask('a', 1, at(3)))
      .thenError('UNIT_NOT_RUNNING');
    given(...cancelled)
      .when(cmd.failTask('a', 1, at(3)))
      .thenError('UNIT_NOT_RUNNING');
    given(...aRunning, ev.taskCompleted('a', 1, at(2)), ev.cancelled('stop', ['b'], [], at(3)))
      .when(cmd.completeTask('a', 1, at(4)))
      .thenEvents([]);
  });

  it('refuses a conflicting report on a completed unit', () => {
    given(
      ...runningUnit(a),
      ev.taskStarted('a', 1, at(1)),
      ev.taskFailed('a', 1, at(2), retryable(), at(3)),
      ev.taskStarted('a', 2, at(3)),
      ev.taskCompleted('a', 2, at(4)),
      ev.completed(at(4)),
    )
      .when(cmd.completeTask('a', 1, at(5)))
      .thenError('UNIT_TERMINAL');
  });
});

describe('unit of work: failTask', () => {
  it('schedules a retry with exponential backoff while the round has attempts left', () => {
    given(...runningUnit(a), ev.taskStarted('a', 1, at(1)))
      .when(cmd.failTask('a', 1, at(2)))
      .thenEvents([ev.taskFailed('a', 1, at(2), retryable(), at(3))]);
    given(
      ...runningUnit(a),
      ev.taskStarted('a', 1, at(1)),
      ev.taskFailed('a', 1, at(2), retryable(), at(3)),
      ev.taskStarted('a', 2, at(3)),
    )
      .when(cmd.failTask('a', 2, at(10)))
      .thenEvents([ev.taskFailed('a', 2, at(10), retryable(), at(12))]);
  });

  it('waits at least as long as the agent asked', () => {
    given(...runningUnit(a), ev.taskStarted('a', 1, at(1)))
      .when(cmd.failTask('a', 1, at(2), retryable('busy', 30 * SECOND)))
      .thenEvents([ev.taskFailed('a', 1, at(2), retryable('busy', 30 * SECOND), at(32))]);
  });

  it('fails the task and the unit when the round has used maxRetries + 1 attempts', () => {
    given(...aWaitingForLastAttempt)
      .when(cmd.failTask('a', 4, at(40)))
      .thenEvents([ev.taskFailed('a', 4, at(40), retryable()), ev.failed(['a'], ['b'], at(40))]);
  });

  it('does not retry a failure that is not retryable, whatever budget is left', () => {
    given(...runningUnit(a), ev.taskStarted('a', 1, at(1)))
      .when(cmd.failTask('a', 1, at(2), terminal()))
      .thenEvents([ev.taskFailed('a', 1, at(2), terminal()), ev.failed(['a'], [], at(2))]);
  });

  it('keeps the unit going while an independent branch runs or waits to retry', () => {
    const both = [
      ...runningUnit(a, b, solo),
      ev.taskStarted('a', 1, at(1)),
      ev.taskStarted('solo', 1, at(1)),
    ];
    given(...both)
      .when(cmd.failTask('a', 1, at(2), terminal()))
      .thenEvents([ev.taskFailed('a', 1, at(2), terminal())]);
    given(...both, ev.taskFailed('solo', 1, at(2), retryable(), at(3)))
      .when(cmd.failTask('a', 1, at(2), terminal()))
      .thenEvents([ev.taskFailed('a', 1, at(2), terminal())]);
  });

  it('blocks dependents of dependents too', () => {
    given(...runningUnit(a, b, task('c', ['b'])), ev.taskStarted('a', 1, at(1)))
      .when(cmd.failTask('a', 1, at(2), terminal()))
      .thenEvents([ev.taskFailed('a', 1, at(2), terminal()), ev.failed(['a'], ['b', 'c'], at(2))]);
  });

  it('ignores a failure that is already recorded', () => {
    given(
      ...runningUnit(a),
      ev.taskStarted('a', 1, at(1)),
      ev.taskFailed('a', 1, at(2), retryable(), at(3)),
    )
      .when(cmd.failTask('a', 1, at(2)))
      .thenEvents([]);
    given(...aWaitingForLastAttempt)
      .when(cmd.failTask('a', 2, at(40)))
      .thenEvents([]);
    given(
      ...aWaitingForLastAttempt,
      ev.taskFailed('a', 4, at(40), retryable()),
      ev.failed(['a'], ['b'], at(40)),
    )
      .when(cmd.failTask('a', 4, at(41)))
      .thenEvents([]);
  });

  it('refuses a failure of an attempt that succeeded, or that never started', () => {
    given(...runningUnit(a, b), ev.taskStarted('a', 1, at(1)), ev.taskCompleted('a', 1, at(2)))
      .when(cmd.failTask('a', 1, at(3)))
      .thenError('STALE_ATTEMPT');
    given(...runningUnit(a), ev.taskStarted('a', 1, at(1)))
      .when(cmd.failTask('a', 2, at(3)))
      .thenError('TASK_NOT_RUNNING');
  });

  it('refuses an unknown task and a missing unit', () => {
    given(...runningUnit(a))
      .when(cmd.failTask('ghost', 1, at(1)))
      .thenError('TASK_NOT_FOUND');
    given()
      .when(cmd.failTask('a', 1, at(1)))
      .thenError('UNIT_NOT_FOUND');
  });

  it('records where an attempt went, falling back to the configured agent on cancel', () => {
    const configured = task('a', [], { agentId: asAgentId('dataops') });
    given(...runningUnit(configured), ev.taskStarted('a', 1, at(1), { agentTaskId: 'x-1' }))
      .when(cmd.cancel('stop', at(2)))
      .thenEvents([
        ev.cancelled(
          'stop',
          ['a'],
          [
            {
              taskId: asTaskId('a'),
              attempt: 1,
              agentId: asAgentId('dataops'),
              agentTaskId: 'x-1',
            },
          ],
          at(2),
        ),
      ]);
  });
});
