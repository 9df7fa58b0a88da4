import { describe, expect, it } from 'vitest';
import { asTaskId } from '../../src/domain/ids.js';
import {
  attemptInRound,
  blockedTasks,
  findTask,
  nextAttemptNumber,
  nextWakeAt,
  readyTasks,
  runningAttempts,
  settledOutcome,
} from '../../src/domain/unit-of-work/progress.js';
import { initialUnitOfWorkState } from '../../src/domain/unit-of-work/state.js';
import {
  at,
  ev,
  fold,
  ids,
  pendingUnit,
  retryable,
  runningUnit,
  task,
  terminal,
} from '../support/unit-of-work-builders.js';

// A diamond listed out of dependency order: d needs b and c, which both need a.
const diamond = [task('d', ['b', 'c']), task('b', ['a']), task('c', ['a']), task('a'), task('x')];

describe('unit of work progress: readyTasks', () => {
  it('offers nothing before the unit runs', () => {
    expect(readyTasks(initialUnitOfWorkState, at(0))).toEqual([]);
    expect(readyTasks(fold(pendingUnit(...diamond)), at(0))).toEqual([]);
  });

  it('offers the tasks whose dependencies all succeeded, in definition order', () => {
    expect(readyTasks(fold(runningUnit(...diamond)), at(0))).toEqual(ids('a', 'x'));
    const afterA = fold([
      ...runningUnit(...diamond),
      ev.taskStarted('a', 1, at(1)),
      ev.taskCompleted('a', 1, at(2)),
    ]);
    expect(readyTasks(afterA, at(2))).toEqual(ids('b', 'c', 'x'));
  });

  it('offers a waiting retry only once its time has come', () => {
    const state = fold([
      ...runningUnit(task('a')),
      ev.taskStarted('a', 1, at(1)),
      ev.taskFailed('a', 1, at(2), retryable(), at(5)),
    ]);
    expect(readyTasks(state, at(4))).toEqual([]);
    expect(readyTasks(state, at(5))).toEqual(ids('a'));
  });
});

describe('unit of work progress: nextWakeAt', () => {
  it('is the earliest retry time, or undefined when nothing waits', () => {
    const base = [...runningUnit(task('a'), task('b'), task('c'))];
    expect(nextWakeAt(fold(base))).toBeUndefined();
    expect(nextWakeAt(initialUnitOfWorkState)).toBeUndefined();
    const state = fold([
      ...base,
      ev.taskStarted('a', 1, at(0)),
      ev.taskStarted('b', 1, at(0)),
      ev.taskFailed('a', 1, at(1), retryable(), at(30)),
      ev.taskFailed('b', 1, at(1), retryable(), at(7)),
    ]);
    expect(nextWakeAt(state)).toBe(at(7));
  });
});

describe('unit of work progress: blockedTasks and settledOutcome', () => {
  it('blocks every transitive dependent of a failed task, whatever the listing order', () => {
    const state = fold([
      ...runningUnit(...diamond),
      ev.taskStarted('a', 1, at(0)),
      ev.taskFailed('a', 1, at(1), terminal()),
    ]);
    expect(blockedTasks(state)).toEqual(ids('d', 'b', 'c'));
    expect(settledOutcome(state)).toBeUndefined(); // x can still run
  });

  it('settles as failed only when nothing can move', () => {
    const state = fold([
      ...runningUnit(...diamond),
      ev.taskStarted('x', 1, at(0)),
      ev.taskCompleted('x', 1, at(1)),
      ev.taskStarted('a', 1, at(0)),
      ev.taskFailed('a', 1, at(1), terminal()),
    ]);
    expect(settledOutcome(state)).toBe('failed');
  });

  it('settles as completed when every task succeeded, and not before it runs', () => {
    const events = [...runningUnit(task('a')), ev.taskStarted('a', 1, at(0))];
    expect(settledOutcome(fold(events))).toBeUndefined();
    expect(settledOutcome(fold([...events, ev.taskCompleted('a', 1, at(1))]))).toBe('completed');
    expect(settledOutcome(fold(pendingUnit(task('a'))))).toBeUndefined();
  });
});

describe('unit of work progress: attempts', () => {
  it('numbers attempts over the whole life and counts them per round', () => {
    const state = fold([
      ...runningUnit(task('a')),
      ev.taskStarted('a', 1, at(0)),
      ev.taskFailed('a', 1, at(1), terminal()),
      ev.failed(['a'], [], at(1)),
      ev.retried(['a'], at(2)),
      ev.taskStarted('a', 2, at(3)),
    ]);
    const a = findTask(state, asTaskId('a'))!;
    expect(nextAttemptNumber(a)).toBe(3);
    expect(attemptInRound(a, 2)).toBe(1);
    expect(runningAttempts(state)).toEqual([{ taskId: asTaskId('a'), attempt: 2 }]);
  });
});
