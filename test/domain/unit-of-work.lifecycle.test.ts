import { describe, expect, it } from 'vitest';
import { asAgentId, asTaskId } from '../../src/domain/ids.js';
import { decideUnitOfWork } from '../../src/domain/unit-of-work/decide.js';
import { findTask } from '../../src/domain/unit-of-work/progress.js';
import {
  at,
  cmd,
  ev,
  fold,
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

/** `a` used its whole round (4 attempts), so `b` is blocked and the unit failed. */
const failedUnit = [
  ...runningUnit(a, b),
  ev.taskStarted('a', 1, at(0)),
  ev.taskFailed('a', 1, at(1), retryable(), at(2)),
  ev.taskStarted('a', 2, at(2)),
  ev.taskFailed('a', 2, at(3), retryable(), at(5)),
  ev.taskStarted('a', 3, at(5)),
  ev.taskFailed('a', 3, at(6), retryable(), at(10)),
  ev.taskStarted('a', 4, at(10)),
  ev.taskFailed('a', 4, at(11), retryable()),
  ev.failed(['a'], ['b'], at(11)),
];

describe('unit of work: retryFailedTasks', () => {
  it('resets the failed tasks and resumes the unit', () => {
    given(...failedUnit)
      .when(cmd.retryFailedTasks(at(20)))
      .thenEvents([ev.retried(['a'], at(20))]);
    const state = fold([...failedUnit, ev.retried(['a'], at(20))]);
    expect(state.status).toBe('running');
    expect(findTask(state, asTaskId('a'))).toMatchObject({
      attempts: 4,
      attemptsBeforeRound: 4,
      execution: { status: 'pending' },
    });
  });

  it('keeps attempt numbers growing across rounds', () => {
    given(...failedUnit, ev.retried(['a'], at(20)))
      .when(cmd.startTask('a', at(21)))
      .thenEvents([ev.taskStarted('a', 5, at(21))]);
  });

  it('gives the new round a fresh budget of maxRetries + 1 attempts', () => {
    const round2 = [
      ...failedUnit,
      ev.retried(['a'], at(20)),
      ev.taskStarted('a', 5, at(20)),
      ev.taskFailed('a', 5, at(21), retryable(), at(22)),
      ev.taskStarted('a', 6, at(22)),
      ev.taskFailed('a', 6, at(23), retryable(), at(25)),
      ev.taskStarted('a', 7, at(25)),
    ];
    given(...round2)
      .when(cmd.failTask('a', 7, at(26)))
      .thenEvents([ev.taskFailed('a', 7, at(26), retryable(), at(30))]);
    given(
      ...round2,
      ev.taskFailed('a', 7, at(26), retryable(), at(30)),
      ev.taskStarted('a', 8, at(30)),
    )
      .when(cmd.failTask('a', 8, at(31)))
      .thenEvents([ev.taskFailed('a', 8, at(31), retryable()), ev.failed(['a'], ['b'], at(31))]);
  });

  it('lets the blocked dependents run once the retried task succeeds', () => {
    given(
      ...failedUnit,
      ev.retried(['a'], at(20)),
      ev.taskStarted('a', 5, at(20)),
      ev.taskCompleted('a', 5, at(21)),
    )
      .when(cmd.startTask('b', at(22)))
      .thenEvents([ev.taskStarted('b', 1, at(22))]);
  });

  it('refuses a unit that has not failed', () => {
    given(...pendingUnit(a))
      .when(cmd.retryFailedTasks(at(1)))
      .thenError('UNIT_NOT_FAILED');
    given(...runningUnit(a))
      .when(cmd.retryFailedTasks(at(1)))
      .thenError('UNIT_NOT_FAILED');
    given(...runningUnit(), ev.completed(at(0)))
      .when(cmd.retryFailedTasks(at(1)))
      .thenError('UNIT_TERMINAL');
    given()
      .when(cmd.retryFailedTasks(at(1)))
      .thenError('UNIT_NOT_FOUND');
  });
});

describe('unit of work: cancel', () => {
  it('cancels a pending unit and all its tasks', () => {
    given(...pendingUnit(a, b))
      .when(cmd.cancel('client left', at(1)))
      .thenEvents([ev.cancelled('client left', ['a', 'b'], [], at(1))]);
  });

  it('lists the running attempts so the runtime can tell their agents', () => {
    given(
      ...runningUnit(a, b, solo, task('wait')),
      ev.taskStarted('a', 1, at(1)),
      ev.taskCompleted('a', 1, at(2)),
      ev.taskStarted('b', 1, at(2), { agentId: 'crm', agentTaskId: 'crm-7' }),
      ev.taskStarted('solo', 1, at(2)),
      ev.taskStarted('wait', 1, at(2)),
      ev.taskFailed('wait', 1, at(3), retryable(), at(4)),
    )
      .when(cmd.cancel('operator', at(3)))
      .thenEvents([
        ev.cancelled(
          'operator',
          ['b', 'solo', 'wait'],
          [
            { taskId: asTaskId('b'), attempt: 1, agentId: asAgentId('crm'), agentTaskId: 'crm-7' },
            { taskId: asTaskId('solo'), attempt: 1 },
          ],
          at(3),
        ),
      ]);
  });

  it('cancels a failed unit, keeping its failed tasks as they were', () => {
    given(...failedUnit)
      .when(cmd.cancel('give up', at(20)))
      .thenEvents([ev.cancelled('give up', ['b'], [], at(20))]);
    const state = fold([...failedUnit, ev.cancelled('give up', ['b'], [], at(20))]);
    expect(findTask(state, asTaskId('a'))?.execution.status).toBe('failed');
    expect(findTask(state, asTaskId('b'))?.execution).toEqual({
      status: 'cancelled',
      cancelledAt: at(20),
    });
  });

  it('refuses an ended unit and a missing one', () => {
    given(...pendingUnit(a), ev.cancelled('stop', ['a'], [], at(1)))
      .when(cmd.cancel('again', at(2)))
      .thenError('UNIT_TERMINAL');
    given(...runningUnit(), ev.completed(at(0)))
      .when(cmd.cancel('late', at(2)))
      .thenError('UNIT_TERMINAL');
    given()
      .when(cmd.cancel('nothing', at(2)))
      .thenError('UNIT_NOT_FOUND');
  });
});

describe('unit of work: decisions', () => {
  it('returns frozen events and leaves the state untouched', () => {
    const state = fold([...runningUnit(a), ev.taskStarted('a', 1, at(1))]);
    const before = JSON.stringify(state);
    const events = decideUnitOfWork(cmd.failTask('a', 1, at(2), terminal()), state);
    expect(Array.isArray(events) && events.every((event) => Object.isFrozen(event))).toBe(true);
    expect(Object.isFrozen(events)).toBe(true);
    expect(JSON.stringify(state)).toBe(before);
  });

  it('names the ids involved and carries them as details', () => {
    const error = given(...runningUnit(a, b))
      .when(cmd.startTask('ghost', at(1)))
      .thenError('TASK_NOT_FOUND');
    expect(error.message).toBe('unit of work "work-1" has no task "ghost"');
    expect(error.details).toEqual({ workId: 'work-1', taskId: 'ghost' });
    expect(error.status).toBe(404);
  });
});
