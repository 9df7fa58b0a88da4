import type { ExitCriterion, MetricSource } from '../domain/exit-criteria/criterion.js';
import { WORKING_STAGES } from '../domain/journey/stage.js';
import type { JsonValue } from '../domain/json.js';
import { formatDuration } from '../domain/time.js';
import type { TaskDefinition } from '../domain/unit-of-work/task.js';
import { freezeDocumentOf } from './freeze-window.js';
import { PLAYBOOK_KIND, type Playbook, type StagePlaybook } from './playbook.js';

/**
 * A resolved playbook written back in the playbook format, every default spelled out and
 * durations as text (`5m`). Loading the result gives an equal playbook: `journey playbook show`
 * prints this, so what an operator reads is exactly what runs.
 */
export function toPlaybookDocument(playbook: Playbook): Record<string, JsonValue> {
  return {
    apiVersion: playbook.apiVersion,
    kind: PLAYBOOK_KIND,
    name: playbook.name,
    version: playbook.version,
    ...(playbook.description === undefined ? {} : { description: playbook.description }),
    agents: Object.fromEntries(
      Object.entries(playbook.agents).map(([id, agent]) => [
        id,
        {
          url: agent.url,
          ...(agent.description === undefined ? {} : { description: agent.description }),
        },
      ]),
    ),
    stages: Object.fromEntries(
      WORKING_STAGES.map((name) => [name, stageDocument(playbook.stages[name])]),
    ),
    ...(playbook.freezes.length === 0 ? {} : { freezes: playbook.freezes.map(freezeDocumentOf) }),
  };
}

function stageDocument(stage: StagePlaybook): JsonValue {
  return {
    setup: { tasks: stage.setup.tasks.map(taskDocument) },
    rollback: { tasks: stage.rollback.tasks.map(taskDocument) },
    exitCriteria: stage.exitCriteria.map(criterionDocument),
    autoPromote: stage.autoPromote,
    recheckInterval: formatDuration(stage.recheckInterval),
    rollbackOnFailure: stage.rollbackOnFailure,
    ...(stage.soakTime > 0 ? { soakTime: formatDuration(stage.soakTime) } : {}),
  };
}

function taskDocument(task: TaskDefinition): JsonValue {
  return {
    id: task.taskId,
    name: task.name,
    ...(task.agentId === undefined ? {} : { agent: task.agentId }),
    intent: task.intent,
    input: task.input,
    dependsOn: [...task.dependsOn],
    timeout: formatDuration(task.timeout),
    retry: {
      maxRetries: task.retry.maxRetries,
      initialInterval: formatDuration(task.retry.initialInterval),
      backoffCoefficient: task.retry.backoffCoefficient,
      maxInterval: formatDuration(task.retry.maxInterval),
      jitter: task.retry.jitter,
    },
  };
}

function criterionDocument(criterion: ExitCriterion): JsonValue {
  const base = { id: criterion.id, description: criterion.description };
  if (criterion.kind === 'approval') {
    const { policy } = criterion;
    return {
      ...base,
      source: { type: 'approval' },
      policy: {
        roles: [...policy.roles],
        minApprovals: policy.minApprovals,
        requiredApprovers: [...policy.requiredApprovers],
        ...(policy.expiresAfter === undefined
          ? {}
          : { expiresAfter: formatDuration(policy.expiresAfter) }),
      },
      ...(criterion.reminder === undefined
        ? {}
        : { remindAfter: formatDuration(criterion.reminder.after) }),
      ...(criterion.reminder?.every === undefined
        ? {}
        : { remindEvery: formatDuration(criterion.reminder.every) }),
    };
  }
  return {
    ...base,
    source: sourceDocument(criterion.source),
    comparator: criterion.comparator,
    threshold: criterion.threshold,
    ...(criterion.unit === undefined ? {} : { unit: criterion.unit }),
    ...(criterion.greyBand === undefined ? {} : { greyBand: { ...criterion.greyBand } }),
    ...(criterion.window === undefined ? {} : { window: formatDuration(criterion.window) }),
    ...(criterion.inconclusiveDeadline === undefined
      ? {}
      : {
          inconclusiveDeadline: formatDuration(criterion.inconclusiveDeadline.after),
          onDeadline: criterion.inconclusiveDeadline.onDeadline,
        }),
  };
}

function sourceDocument(source: MetricSource): JsonValue {
  switch (source.type) {
    case 'http':
      return {
        type: 'http',
        url: source.url,
        jsonPath: source.jsonPath,
        ...(source.headers === undefined ? {} : { headers: { ...source.headers } }),
      };
    case 'agent':
      return {
        type: 'agent',
        ...(source.agentId === undefined ? {} : { agent: source.agentId }),
        intent: source.intent,
        ...(source.input === undefined ? {} : { input: source.input }),
      };
    case 'prometheus':
      return {
        type: 'prometheus',
        query: source.query,
        ...(source.url === undefined ? {} : { url: source.url }),
      };
  }
}
