import { COMPARATORS } from '../domain/exit-criteria/criterion.js';
import type { TaskId } from '../domain/ids.js';
import { WORKING_STAGES } from '../domain/journey/stage.js';
import { validateDag, type DagNode } from '../domain/unit-of-work/dag.js';
import {
  checkReferences,
  validateTemplateReferences,
  type JsonPath,
} from '../domain/unit-of-work/input-template.js';
import { suggestion, type PathProblem } from './problems.js';

/**
 * The rules that relate fields to each other: each task list is a DAG, references name tasks
 * and agents that exist, templates resolve, criteria are coherent. It reads the raw parsed YAML
 * defensively (anything malformed is skipped: the schema reports it), so it runs even when the
 * schema fails and one load reports every problem.
 * @internal
 */
export function semanticProblems(data: unknown): PathProblem[] {
  const problems: PathProblem[] = [];
  if (!isRecord(data) || !isRecord(data['stages'])) {
    return problems;
  }
  const registry = data['agents'];
  // An invalid registry is the schema's to report; checking references against it would only add noise.
  const agents =
    registry === undefined
      ? new Set<string>()
      : isRecord(registry)
        ? new Set(Object.keys(registry))
        : undefined;
  const context = { agents, problems };
  for (const stageName of WORKING_STAGES) {
    const stage = data['stages'][stageName];
    if (!isRecord(stage)) {
      continue;
    }
    const base = ['stages', stageName];
    const setup = tasksOf(stage['setup']);
    const rollback = tasksOf(stage['rollback']);
    checkUnit(context, [...base, 'setup', 'tasks'], setup, undefined);
    checkUnit(context, [...base, 'rollback', 'tasks'], rollback, setup);
    if (stageName === 'sandbox') {
      if (rollback.length > 0) {
        problems.push(
          semantic(
            [...base, 'rollback', 'tasks'],
            'the sandbox is never rolled back (no stage comes before it): remove its rollback tasks',
          ),
        );
      }
      if (stage['rollbackOnFailure'] === true) {
        problems.push(
          semantic(
            [...base, 'rollbackOnFailure'],
            'the sandbox cannot be rolled back (no stage comes before it)',
          ),
        );
      }
    }
    checkCriteria(context, [...base, 'exitCriteria'], stage['exitCriteria']);
  }
  return problems;
}

interface Context {
  readonly agents: ReadonlySet<string> | undefined;
  readonly problems: PathProblem[];
}

/** A task as far as it could be read: enough for the DAG, agent and template rules. */
interface TaskView extends DagNode {
  /** Position in the YAML list (tasks with no string id are skipped, so it can differ). */
  readonly index: number;
  /** Position in the YAML list of each entry of `dependsOn`. */
  readonly dependsOnIndex: readonly number[];
  readonly agent: unknown;
  readonly input: unknown;
}

function tasksOf(unit: unknown): TaskView[] {
  const tasks = isRecord(unit) ? unit['tasks'] : undefined;
  if (!Array.isArray(tasks)) {
    return [];
  }
  return tasks.flatMap((task: unknown, index): TaskView[] => {
    if (!isRecord(task) || typeof task['id'] !== 'string') {
      return [];
    }
    const raw = Array.isArray(task['dependsOn']) ? (task['dependsOn'] as unknown[]) : [];
    const dependsOn: TaskId[] = [];
    const dependsOnIndex: number[] = [];
    raw.forEach((dependency, position) => {
      if (typeof dependency === 'string') {
        dependsOn.push(dependency as TaskId);
        dependsOnIndex.push(position);
      }
    });
    return [
      {
        taskId: task['id'] as TaskId,
        index,
        dependsOn,
        dependsOnIndex,
        agent: task['agent'],
        input: task['input'],
      },
    ];
  });
}

/** `setup` is undefined for a setup unit, and the stage's setup tasks for its rollback unit. */
function checkUnit(
  context: Context,
  path: JsonPath,
  tasks: readonly TaskView[],
  setup: readonly TaskView[] | undefined,
): void {
  const { problems } = context;
  const ids = tasks.map((task) => task.taskId);
  const setupIds = setup?.map((task) => task.taskId) ?? [];
  for (const problem of validateDag(tasks)) {
    if (problem.code === 'DAG_DUPLICATE_TASK') {
      const task = tasks[problem.index]!;
      const first = tasks.find((other) => other.taskId === problem.taskId)!;
      problems.push(
        semantic(
          [...path, task.index, 'id'],
          `duplicate task id "${problem.taskId}" (tasks[${first.index}] has the same id)`,
        ),
      );
    } else if (problem.code === 'DAG_UNKNOWN_DEPENDENCY') {
      const task = tasks[problem.index]!;
      const where = [
        ...path,
        task.index,
        'dependsOn',
        task.dependsOnIndex[problem.dependencyIndex]!,
      ];
      const hint = setupIds.includes(problem.dependency)
        ? ` (rollback tasks depend only on rollback tasks; read a setup task's output with \${snapshot.tasks.${problem.dependency}.output})`
        : suggestion(problem.dependency, ids);
      problems.push(semantic(where, `unknown task "${problem.dependency}"${hint}`));
    } else {
      const [first, second] = problem.cycle;
      const task = tasks.find((other) => other.taskId === first)!;
      const position = task.dependsOn.indexOf(second ?? first!);
      problems.push(
        semantic(
          [...path, task.index, 'dependsOn', task.dependsOnIndex[position]!],
          problem.message,
        ),
      );
    }
  }
  for (const task of tasks) {
    checkAgent(context, [...path, task.index, 'agent'], task.agent);
  }
  const unit =
    setup === undefined
      ? ({ purpose: 'setup' } as const)
      : ({ purpose: 'rollback', setupTaskIds: setupIds } as const);
  for (const problem of validateTemplateReferences(tasks, unit)) {
    const task = tasks[problem.taskIndex]!;
    problems.push(semantic([...path, task.index, 'input', ...problem.path], problem.message));
  }
}

function checkAgent(context: Context, path: JsonPath, agent: unknown): void {
  if (typeof agent !== 'string' || context.agents === undefined || context.agents.has(agent)) {
    return;
  }
  const hint =
    context.agents.size === 0
      ? ' (the agents registry is empty)'
      : suggestion(agent, context.agents) || ` (registered: ${[...context.agents].join(', ')})`;
  context.problems.push(semantic(path, `unknown agent "${agent}"${hint}`));
}

const METRIC_TYPES: readonly unknown[] = ['http', 'agent', 'prometheus'];
const METRIC_KEYS = [
  'comparator',
  'threshold',
  'unit',
  'greyBand',
  'window',
  'inconclusiveDeadline',
  'onDeadline',
] as const;
const APPROVAL_KEYS = ['remindAfter', 'remindEvery'] as const;

function checkCriteria(context: Context, path: JsonPath, criteria: unknown): void {
  if (!Array.isArray(criteria)) {
    return;
  }
  const { problems } = context;
  const firstIndex = new Map<string, number>();
  criteria.forEach((criterion: unknown, index) => {
    if (!isRecord(criterion)) {
      return;
    }
    const at = (...rest: JsonPath): JsonPath => [...path, index, ...rest];
    const id = criterion['id'];
    if (typeof id === 'string') {
      const first = firstIndex.get(id);
      if (first === undefined) {
        firstIndex.set(id, index);
      } else {
        problems.push(
          semantic(
            at('id'),
            `duplicate criterion id "${id}" (exitCriteria[${first}] has the same id)`,
          ),
        );
      }
    }
    const source = isRecord(criterion['source']) ? criterion['source'] : {};
    if (source['type'] === 'approval') {
      for (const key of METRIC_KEYS) {
        if (key in criterion) {
          problems.push(
            semantic(
              at(key),
              `'${key}' applies only to metric criteria (this one is an approval)`,
              'key',
            ),
          );
        }
      }
      if (!('policy' in criterion)) {
        problems.push(semantic(at('policy'), 'required for an approval criterion'));
      }
      if ('remindEvery' in criterion && !('remindAfter' in criterion)) {
        problems.push(
          semantic(
            at('remindEvery'),
            'repeats a reminder: it needs remindAfter (when the first one is due)',
            'key',
          ),
        );
      }
    } else if (METRIC_TYPES.includes(source['type'])) {
      checkMetric(context, at, criterion);
      if (source['type'] === 'agent') {
        checkAgent(context, at('source', 'agent'), source['agent']);
        for (const problem of checkReferences(source['input'], {})) {
          problems.push(semantic(at('source', 'input', ...problem.path), problem.message));
        }
      }
    }
  });
}

function checkMetric(
  context: Context,
  at: (...rest: JsonPath) => JsonPath,
  criterion: Record<string, unknown>,
): void {
  const { problems } = context;
  for (const key of ['policy', ...APPROVAL_KEYS] as const) {
    if (key in criterion) {
      problems.push(
        semantic(
          at(key),
          `'${key}' applies only to approval criteria (source type approval)`,
          'key',
        ),
      );
    }
  }
  if ('onDeadline' in criterion && !('inconclusiveDeadline' in criterion)) {
    problems.push(
      semantic(
        at('onDeadline'),
        'says what happens at the inconclusiveDeadline: set inconclusiveDeadline too',
        'key',
      ),
    );
  }
  for (const key of ['comparator', 'threshold'] as const) {
    if (!(key in criterion)) {
      problems.push(semantic(at(key), 'required for a metric criterion'));
    }
  }
  const { comparator, threshold, greyBand } = criterion;
  if (typeof threshold === 'boolean') {
    if (
      typeof comparator === 'string' &&
      comparator !== 'eq' &&
      (COMPARATORS as readonly string[]).includes(comparator)
    ) {
      problems.push(
        semantic(
          at('comparator'),
          `"${comparator}" cannot compare with a true/false threshold (use eq)`,
        ),
      );
    }
    if (greyBand !== undefined) {
      problems.push(semantic(at('greyBand'), 'a grey band needs a numeric threshold', 'key'));
    }
  }
  if (
    isRecord(greyBand) &&
    typeof greyBand['from'] === 'number' &&
    typeof greyBand['to'] === 'number' &&
    greyBand['from'] > greyBand['to']
  ) {
    problems.push(
      semantic(at('greyBand'), `from (${greyBand['from']}) is greater than to (${greyBand['to']})`),
    );
  }
}

function semantic(path: JsonPath, message: string, at: 'key' | 'value' = 'value'): PathProblem {
  return { kind: 'semantic', path, message, at };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
