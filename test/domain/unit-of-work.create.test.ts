import { describe, expect, it } from 'vitest';
import {
  at,
  cmd,
  ev,
  pendingUnit,
  runningUnit,
  T0,
  task,
  unitSpec,
} from '../support/unit-of-work-builders.js';

const { given } = unitSpec;
const a = task('a');
const b = task('b', ['a']);
const c = task('c', ['a', 'b']);

describe('unit of work: create', () => {
  it('records the unit and adds its tasks in definition order', () => {
    given()
      .when(cmd.create([a, b, c]))
      .thenEvents([ev.created(), ev.added(a), ev.added(b), ev.added(c)]);
  });

  it('creates a unit without tasks', () => {
    given().when(cmd.create([])).thenEvents([ev.created()]);
  });

  it('refuses a second creation', () => {
    given(...pendingUnit(a))
      .when(cmd.create([a]))
      .thenError('UNIT_ALREADY_CREATED');
  });

  it('refuses duplicate task ids', () => {
    const error = given()
      .when(cmd.create([a, task('a')]))
      .thenError('DAG_DUPLICATE_TASK');
    expect(error.message).toContain('duplicate task id "a"');
  });

  it('refuses a dependency on an unknown task, naming both', () => {
    const error = given()
      .when(cmd.create([a, task('b', ['ghost'])]))
      .thenError('DAG_UNKNOWN_DEPENDENCY');
    expect(error.message).toContain('task "b" depends on unknown task "ghost"');
  });

  it('refuses a cycle, naming its tasks in dependency order', () => {
    const error = given()
      .when(cmd.create([task('a', ['b']), task('b', ['c']), task('c', ['a'])]))
      .thenError('DAG_CYCLE');
    expect(error.message).toContain('a -> b -> c -> a');
  });

  it('refuses a task that depends on itself', () => {
    const error = given()
      .when(cmd.create([task('a', ['a'])]))
      .thenError('DAG_CYCLE');
    expect(error.message).toContain('a -> a');
  });

  it('lists every problem, with the first one giving the code', () => {
    const error = given()
      .when(cmd.create([a, task('a'), task('x', ['ghost']), task('y', ['z']), task('z', ['y'])]))
      .thenError('DAG_DUPLICATE_TASK');
    expect(error.message).toContain('duplicate task id "a"');
    expect(error.message).toContain('unknown task "ghost"');
    expect(error.message).toContain('y -> z -> y');
    expect(error.details['problems']).toHaveLength(3);
  });
});

describe('unit of work: addTasks', () => {
  it('adds tasks to a pending unit, depending on existing ones', () => {
    given(...pendingUnit(a))
      .when(cmd.addTasks([b], at(1)))
      .thenEvents([ev.added(b, at(1))]);
  });

  it('allows forward references inside one batch', () => {
    const later = task('later', ['b']);
    given(...pendingUnit(a))
      .when(cmd.addTasks([later, b], at(1)))
      .thenEvents([ev.added(later, at(1)), ev.added(b, at(1))]);
  });

  it('finds a cycle closed inside the batch', () => {
    const error = given(...pendingUnit(a))
      .when(cmd.addTasks([task('x', ['a', 'y']), task('y', ['x'])]))
      .thenError('DAG_CYCLE');
    expect(error.message).toContain('x -> y -> x');
  });

  it('refuses an id the unit already has', () => {
    given(...pendingUnit(a))
      .when(cmd.addTasks([task('a')]))
      .thenError('DAG_DUPLICATE_TASK');
  });

  it('refuses a dependency on an unknown task', () => {
    given(...pendingUnit(a))
      .when(cmd.addTasks([task('d', ['ghost'])]))
      .thenError('DAG_UNKNOWN_DEPENDENCY');
  });

  it('adds nothing for an empty batch', () => {
    given(...pendingUnit(a))
      .when(cmd.addTasks([]))
      .thenEvents([]);
  });

  it('refuses once the unit started, ended, or when it does not exist', () => {
    given(...runningUnit(a))
      .when(cmd.addTasks([b]))
      .thenError('UNIT_NOT_PENDING');
    given(...pendingUnit(), ev.started(), ev.completed(T0))
      .when(cmd.addTasks([b]))
      .thenError('UNIT_TERMINAL');
    given()
      .when(cmd.addTasks([a]))
      .thenError('UNIT_NOT_FOUND');
  });
});

describe('unit of work: execute', () => {
  it('starts a pending unit', () => {
    given(...pendingUnit(a, b))
      .when(cmd.execute(at(1)))
      .thenEvents([ev.started(at(1))]);
  });

  it('completes a unit without tasks as soon as it starts', () => {
    given(...pendingUnit())
      .when(cmd.execute(at(1)))
      .thenEvents([ev.started(at(1)), ev.completed(at(1))]);
  });

  it('refuses a unit that already started or failed', () => {
    given(...runningUnit(a))
      .when(cmd.execute(at(1)))
      .thenError('UNIT_NOT_PENDING');
    given(
      ...runningUnit(a),
      ev.taskStarted('a', 1, at(1)),
      ev.taskFailed('a', 1, at(2), { message: 'no', retryable: false }),
      ev.failed(['a'], [], at(2)),
    )
      .when(cmd.execute(at(3)))
      .thenError('UNIT_NOT_PENDING');
  });

  it('refuses an ended unit and a missing one', () => {
    given(...pendingUnit(a), ev.cancelled('stop', ['a'], [], at(1)))
      .when(cmd.execute(at(2)))
      .thenError('UNIT_TERMINAL');
    given().when(cmd.execute()).thenError('UNIT_NOT_FOUND');
  });
});
