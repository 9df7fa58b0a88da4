import type { TaskId } from '../ids.js';

/** The shape the DAG rules need; task definitions and task states both have it. */
export interface DagNode {
  readonly taskId: TaskId;
  readonly dependsOn: readonly TaskId[];
}

export type DagProblem =
  | {
      readonly code: 'DAG_DUPLICATE_TASK';
      readonly taskId: TaskId;
      readonly index: number;
      readonly message: string;
    }
  | {
      readonly code: 'DAG_UNKNOWN_DEPENDENCY';
      readonly taskId: TaskId;
      readonly dependency: TaskId;
      readonly index: number;
      readonly dependencyIndex: number;
      readonly message: string;
    }
  | { readonly code: 'DAG_CYCLE'; readonly cycle: readonly TaskId[]; readonly message: string };

/**
 * Every problem with a set of tasks: duplicate ids, dependencies on unknown tasks, and cycles.
 * A cycle is reported once, as its task ids in dependency order starting from the task that
 * comes first in the list, e.g. `["a", "b", "c"]` for a -> b -> c -> a ("a depends on b").
 */
export function validateDag(nodes: readonly DagNode[]): DagProblem[] {
  const problems: DagProblem[] = [];
  const seen = new Set<TaskId>();
  nodes.forEach((node, index) => {
    if (seen.has(node.taskId)) {
      problems.push({
        code: 'DAG_DUPLICATE_TASK',
        taskId: node.taskId,
        index,
        message: `duplicate task id "${node.taskId}"`,
      });
    }
    seen.add(node.taskId);
  });
  nodes.forEach((node, index) => {
    node.dependsOn.forEach((dependency, dependencyIndex) => {
      if (!seen.has(dependency)) {
        problems.push({
          code: 'DAG_UNKNOWN_DEPENDENCY',
          taskId: node.taskId,
          dependency,
          index,
          dependencyIndex,
          message: `task "${node.taskId}" depends on unknown task "${dependency}"`,
        });
      }
    });
  });
  for (const cycle of findCycles(nodes)) {
    problems.push({
      code: 'DAG_CYCLE',
      cycle,
      message: `dependency cycle: ${[...cycle, cycle[0]].join(' -> ')}`,
    });
  }
  return problems;
}

/**
 * Finds cycles with a depth-first search (white/grey/black). Each back edge closes one cycle,
 * read off the current path; rotations of one cycle are reported once.
 */
export function findCycles(nodes: readonly DagNode[]): TaskId[][] {
  const edges = new Map<TaskId, readonly TaskId[]>();
  for (const node of nodes) {
    if (!edges.has(node.taskId)) {
      edges.set(node.taskId, node.dependsOn);
    }
  }
  const order = new Map([...edges.keys()].map((id, index) => [id, index]));
  const colour = new Map<TaskId, 'grey' | 'black'>();
  const path: TaskId[] = [];
  const cycles: TaskId[][] = [];
  const keys = new Set<string>();

  // Iterative so a long dependency chain cannot overflow the stack.
  for (const start of edges.keys()) {
    if (colour.has(start)) {
      continue;
    }
    const stack: { id: TaskId; next: number }[] = [{ id: start, next: 0 }];
    colour.set(start, 'grey');
    path.push(start);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const deps = edges.get(frame.id) ?? [];
      if (frame.next >= deps.length) {
        colour.set(frame.id, 'black');
        path.pop();
        stack.pop();
        continue;
      }
      const dep = deps[frame.next++]!;
      if (!edges.has(dep)) {
        continue;
      }
      const state = colour.get(dep);
      if (state === 'grey') {
        const cycle = rotateToFirstListed(path.slice(path.indexOf(dep)), order);
        const key = cycle.join('\u0000');
        if (!keys.has(key)) {
          keys.add(key);
          cycles.push(cycle);
        }
      } else if (state === undefined) {
        colour.set(dep, 'grey');
        path.push(dep);
        stack.push({ id: dep, next: 0 });
      }
    }
  }
  return cycles;
}

/** One cycle has many rotations; report the one starting at the task listed first. */
function rotateToFirstListed(
  cycle: readonly TaskId[],
  order: ReadonlyMap<TaskId, number>,
): TaskId[] {
  let first = 0;
  cycle.forEach((id, index) => {
    if ((order.get(id) ?? 0) < (order.get(cycle[first]!) ?? 0)) {
      first = index;
    }
  });
  return [...cycle.slice(first), ...cycle.slice(0, first)];
}

/** Every task that `taskId` depends on, directly or through other tasks. */
export function ancestorsOf(nodes: readonly DagNode[], taskId: TaskId): Set<TaskId> {
  const byId = new Map(nodes.map((node) => [node.taskId, node]));
  const result = new Set<TaskId>();
  const queue = [...(byId.get(taskId)?.dependsOn ?? [])];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (!result.has(id)) {
      result.add(id);
      queue.push(...(byId.get(id)?.dependsOn ?? []));
    }
  }
  return result;
}

/** Every task that depends on `taskId`, directly or through other tasks. */
export function dependentsOf(nodes: readonly DagNode[], taskId: TaskId): Set<TaskId> {
  const result = new Set<TaskId>();
  let frontier = new Set<TaskId>([taskId]);
  while (frontier.size > 0) {
    const next = new Set<TaskId>();
    for (const node of nodes) {
      if (!result.has(node.taskId) && node.dependsOn.some((dep) => frontier.has(dep))) {
        result.add(node.taskId);
        next.add(node.taskId);
      }
    }
    frontier = next;
  }
  return result;
}
