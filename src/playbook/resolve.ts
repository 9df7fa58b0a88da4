import type {
  ApprovalCriterion,
  ExitCriterion,
  MetricCriterion,
  MetricSource,
} from '../domain/exit-criteria/criterion.js';
import { asAgentId, asCriterionId, asTaskId } from '../domain/ids.js';
import { WORKING_STAGES, type WorkingStage } from '../domain/journey/stage.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../domain/retry-policy.js';
import { MINUTE, type Millis } from '../domain/time.js';
import type { TaskDefinition } from '../domain/unit-of-work/task.js';
import { resolveFreezeWindow } from './freeze-window.js';
import {
  PLAYBOOK_API_VERSION,
  type AgentEndpoint,
  type Playbook,
  type StagePlaybook,
} from './playbook.js';
import type { CriterionDocument, PlaybookDocument, TaskDocument } from './schema.js';

/** A task's attempt timeout when neither the task nor `defaults.task` sets one. */
export const DEFAULT_TASK_TIMEOUT: Millis = 5 * MINUTE;
/** How often unmet criteria are re-evaluated when neither the stage nor `defaults` says. */
export const DEFAULT_RECHECK_INTERVAL: Millis = 5 * MINUTE;

/**
 * Applies every default and brands the ids. Only called on a document that passed both the
 * schema and the semantic checks, so what those guarantee is not checked again.
 * @internal
 */
export function resolvePlaybook(document: PlaybookDocument): Playbook {
  const taskDefaults = {
    timeout: document.defaults?.task?.timeout ?? DEFAULT_TASK_TIMEOUT,
    retry: { ...DEFAULT_RETRY_POLICY, ...definedOnly(document.defaults?.task?.retry ?? {}) },
  };
  const recheckInterval = document.defaults?.recheckInterval ?? DEFAULT_RECHECK_INTERVAL;
  const agents: Record<string, AgentEndpoint> = {};
  for (const [id, agent] of Object.entries(document.agents ?? {})) {
    agents[id] =
      agent.description === undefined
        ? { url: agent.url }
        : { url: agent.url, description: agent.description };
  }
  const stages = Object.fromEntries(
    WORKING_STAGES.map((name): [WorkingStage, StagePlaybook] => {
      const stage = document.stages[name];
      return [
        name,
        {
          setup: { tasks: stage.setup.tasks.map((task) => resolveTask(task, taskDefaults)) },
          rollback: {
            tasks: (stage.rollback?.tasks ?? []).map((task) => resolveTask(task, taskDefaults)),
          },
          exitCriteria: stage.exitCriteria.map(resolveCriterion),
          autoPromote: stage.autoPromote ?? false,
          recheckInterval: stage.recheckInterval ?? recheckInterval,
          rollbackOnFailure: stage.rollbackOnFailure ?? false,
          soakTime: stage.soakTime ?? 0,
        },
      ];
    }),
  ) as Record<WorkingStage, StagePlaybook>;
  const playbook: Playbook = {
    apiVersion: PLAYBOOK_API_VERSION,
    name: document.name,
    version: document.version,
    ...(document.description === undefined ? {} : { description: document.description }),
    agents,
    stages,
    freezes: (document.freezes ?? []).map(resolveFreezeWindow),
  };
  return deepFreeze(playbook);
}

function resolveTask(
  task: TaskDocument,
  defaults: { readonly timeout: Millis; readonly retry: RetryPolicy },
): TaskDefinition {
  return {
    taskId: asTaskId(task.id),
    name: task.name,
    ...(task.agent === undefined ? {} : { agentId: asAgentId(task.agent) }),
    intent: task.intent,
    input: task.input ?? {},
    dependsOn: (task.dependsOn ?? []).map(asTaskId),
    retry: { ...defaults.retry, ...definedOnly(task.retry ?? {}) },
    timeout: task.timeout ?? defaults.timeout,
  };
}

function resolveCriterion(criterion: CriterionDocument): ExitCriterion {
  const base = { id: asCriterionId(criterion.id), description: criterion.description };
  const source = criterion.source;
  if (source.type === 'approval') {
    const policy = criterion.policy;
    if (policy === undefined) {
      throw new Error(`unreachable: approval criterion "${criterion.id}" without a policy`);
    }
    const approval: ApprovalCriterion = {
      ...base,
      kind: 'approval',
      policy: {
        roles: policy.roles,
        minApprovals: policy.minApprovals ?? 1,
        requiredApprovers: policy.requiredApprovers ?? [],
        ...(policy.expiresAfter === undefined ? {} : { expiresAfter: policy.expiresAfter }),
      },
      ...(criterion.remindAfter === undefined
        ? {}
        : {
            reminder: {
              after: criterion.remindAfter,
              ...(criterion.remindEvery === undefined ? {} : { every: criterion.remindEvery }),
            },
          }),
    };
    return approval;
  }
  if (criterion.comparator === undefined || criterion.threshold === undefined) {
    throw new Error(`unreachable: metric criterion "${criterion.id}" without comparator/threshold`);
  }
  let metricSource: MetricSource;
  switch (source.type) {
    case 'http':
      metricSource = {
        type: 'http',
        url: source.url,
        jsonPath: source.jsonPath,
        ...(source.headers === undefined ? {} : { headers: source.headers }),
      };
      break;
    case 'agent':
      metricSource = {
        type: 'agent',
        ...(source.agent === undefined ? {} : { agentId: asAgentId(source.agent) }),
        intent: source.intent,
        ...(source.input === undefined ? {} : { input: source.input }),
      };
      break;
    case 'prometheus':
      metricSource = {
        type: 'prometheus',
        query: source.query,
        ...(source.url === undefined ? {} : { url: source.url }),
      };
      break;
  }
  const metric: MetricCriterion = {
    ...base,
    kind: 'metric',
    source: metricSource,
    comparator: criterion.comparator,
    threshold: criterion.threshold,
    ...(criterion.unit === undefined ? {} : { unit: criterion.unit }),
    ...(criterion.greyBand === undefined ? {} : { greyBand: criterion.greyBand }),
    ...(criterion.window === undefined ? {} : { window: criterion.window }),
    ...(criterion.inconclusiveDeadline === undefined
      ? {}
      : {
          inconclusiveDeadline: {
            after: criterion.inconclusiveDeadline,
            onDeadline: criterion.onDeadline ?? 'escalate',
          },
        }),
  };
  return metric;
}

/** Drops keys whose value is undefined, so a spread does not overwrite a default with nothing. */
function definedOnly<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) {
      deepFreeze(item);
    }
  }
  return value;
}
