import fc from 'fast-check';
import { asTaskId, type TaskId } from '../../src/domain/ids.js';
import type { DagNode } from '../../src/domain/unit-of-work/dag.js';

/**
 * Random task graphs for property tests. Acyclic by construction (task i depends only on tasks
 * with a smaller index), then listed in a shuffled order so that no code may rely on
 * definition order being dependency order.
 */
export function acyclicGraph(maxTasks = 10): fc.Arbitrary<DagNode[]> {
  return fc.integer({ min: 1, max: maxTasks }).chain((size) => {
    const indexes = Array.from({ length: size }, (_, i) => i);
    const dependencies = fc.tuple(...indexes.map((i) => fc.subarray(indexes.slice(0, i))));
    const order = fc.shuffledSubarray(indexes, { minLength: size, maxLength: size });
    return fc
      .tuple(dependencies, order)
      .map(([deps, listing]) =>
        listing.map((i) => ({ taskId: nodeId(i), dependsOn: (deps[i] ?? []).map(nodeId) })),
      );
  });
}

/**
 * An acyclic graph plus one back edge: some task `from` gains a dependency on a task that
 * (directly or not) depends on it, or on itself, which closes at least one cycle.
 */
export function graphWithCycle(maxTasks = 10): fc.Arbitrary<DagNode[]> {
  return acyclicGraph(maxTasks).chain((nodes) =>
    fc.tuple(fc.nat(nodes.length - 1), fc.nat()).map(([pick, choice]) => {
      const target = nodes[pick]!;
      const below = [target.taskId, ...reachable(nodes, target.taskId)];
      const from = below[choice % below.length]!;
      return nodes.map((node) =>
        node.taskId === from ? { ...node, dependsOn: [...node.dependsOn, target.taskId] } : node,
      );
    }),
  );
}

/** Every task `taskId` depends on, directly or not: written here from scratch for checking. */
export function reachable(nodes: readonly DagNode[], taskId: TaskId): TaskId[] {
  const seen: TaskId[] = [];
  const visit = (id: TaskId): void => {
    for (const dep of nodes.find((node) => node.taskId === id)?.dependsOn ?? []) {
      if (!seen.includes(dep)) {
        seen.push(dep);
        visit(dep);
      }
    }
  };
  visit(taskId);
  return seen;
}

function nodeId(index: number): TaskId {
  return asTaskId(`t${index}`);
}
