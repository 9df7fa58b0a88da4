import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asTaskId, type TaskId } from '../../src/domain/ids.js';
import {
  ancestorsOf,
  dependentsOf,
  findCycles,
  validateDag,
  type DagNode,
} from '../../src/domain/unit-of-work/dag.js';
import { acyclicGraph, graphWithCycle, reachable } from '../support/dag-arbitraries.js';

const node = (id: string, ...deps: string[]): DagNode => ({
  taskId: asTaskId(id),
  dependsOn: deps.map(asTaskId),
});

/** A cycle is real when each id depends on the next and the last on the first. */
function isRealCycle(nodes: readonly DagNode[], cycle: readonly TaskId[]): boolean {
  const depsOf = (id: TaskId) => nodes.find((n) => n.taskId === id)?.dependsOn ?? [];
  return (
    cycle.length > 0 &&
    new Set(cycle).size === cycle.length &&
    cycle.every((id, i) => depsOf(id).includes(cycle[(i + 1) % cycle.length]!))
  );
}

describe('dag: validateDag', () => {
  it('accepts a valid graph', () => {
    expect(validateDag([node('a'), node('b', 'a'), node('c', 'a', 'b')])).toEqual([]);
    expect(validateDag([])).toEqual([]);
  });

  it('reports a duplicate id with its position', () => {
    expect(validateDag([node('a'), node('b'), node('a')])).toEqual([
      { code: 'DAG_DUPLICATE_TASK', taskId: 'a', index: 2, message: 'duplicate task id "a"' },
    ]);
  });

  it('reports each unknown dependency with its position', () => {
    expect(validateDag([node('a', 'x'), node('b', 'a', 'y')])).toEqual([
      {
        code: 'DAG_UNKNOWN_DEPENDENCY',
        taskId: 'a',
        dependency: 'x',
        index: 0,
        dependencyIndex: 0,
        message: 'task "a" depends on unknown task "x"',
      },
      {
        code: 'DAG_UNKNOWN_DEPENDENCY',
        taskId: 'b',
        dependency: 'y',
        index: 1,
        dependencyIndex: 1,
        message: 'task "b" depends on unknown task "y"',
      },
    ]);
  });

  it('reports a cycle in dependency order, from the task listed first', () => {
    expect(validateDag([node('x'), node('c', 'a'), node('a', 'b'), node('b', 'c')])).toEqual([
      { code: 'DAG_CYCLE', cycle: ['c', 'a', 'b'], message: 'dependency cycle: c -> a -> b -> c' },
    ]);
  });

  it('reports separate cycles separately, and a self-dependency', () => {
    const cycles = findCycles([node('a', 'b'), node('b', 'a'), node('c', 'c'), node('d', 'a')]);
    expect(cycles).toEqual([['a', 'b'], ['c']]);
  });

  // Deeper than a recursive search could go on V8's default stack.
  it('walks a very long chain without overflowing the stack', () => {
    const chain = Array.from({ length: 15_000 }, (_, i) =>
      i === 0 ? node('n0') : node(`n${i}`, `n${i - 1}`),
    );
    expect(validateDag(chain)).toEqual([]);
    expect(findCycles([...chain.slice(1), node('n0', 'n14999')])).toHaveLength(1);
  });

  it('accepts every shuffled acyclic graph', () => {
    fc.assert(fc.property(acyclicGraph(15), (nodes) => validateDag(nodes).length === 0));
  });

  it('finds a real cycle in every graph with a back edge', () => {
    fc.assert(
      fc.property(graphWithCycle(15), (nodes) => {
        const problems = validateDag(nodes);
        expect(problems.length).toBeGreaterThan(0);
        for (const problem of problems) {
          expect(problem.code).toBe('DAG_CYCLE');
          if (problem.code === 'DAG_CYCLE') {
            expect(isRealCycle(nodes, problem.cycle)).toBe(true);
            expect(problem.message).toBe(
              `dependency cycle: ${[...problem.cycle, problem.cycle[0]].join(' -> ')}`,
            );
          }
        }
      }),
    );
  });
});

describe('dag: ancestorsOf and dependentsOf', () => {
  const diamond = [node('d', 'b', 'c'), node('b', 'a'), node('c', 'a'), node('a'), node('x')];

  it('finds transitive dependencies and dependents', () => {
    expect([...ancestorsOf(diamond, asTaskId('d'))].sort()).toEqual(['a', 'b', 'c']);
    expect([...dependentsOf(diamond, asTaskId('a'))].sort()).toEqual(['b', 'c', 'd']);
    expect(ancestorsOf(diamond, asTaskId('x')).size).toBe(0);
    expect(dependentsOf(diamond, asTaskId('d')).size).toBe(0);
  });

  it('agree with each other and with a plain search on random graphs', () => {
    fc.assert(
      fc.property(acyclicGraph(12), (nodes) => {
        for (const { taskId } of nodes) {
          expect([...ancestorsOf(nodes, taskId)].sort()).toEqual(reachable(nodes, taskId).sort());
          const dependents = dependentsOf(nodes, taskId);
          for (const other of nodes) {
            expect(dependents.has(other.taskId)).toBe(ancestorsOf(nodes, other.taskId).has(taskId));
          }
        }
      }),
    );
  });
});
