import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleAgents, type ExampleAgents } from '../../examples/agents/index.js';
import { A2AAgentGateway } from '../../src/agents/a2a/index.js';
import type { TaskDispatch } from '../../src/application/agents.js';
import {
  compare,
  resolveInput,
  type JsonValue,
  type TaskDefinition,
  type TemplateContext,
} from '../../src/domain/index.js';
import { loadDefaultPlaybook, type Playbook } from '../../src/playbook/index.js';

/**
 * The example agents serve the default playbook: every task runs through the gateway with its
 * input resolved from the outputs before it, and every agent metric passes its criterion.
 */

const NOW = new Date('2026-03-01T12:00:00.000Z');
let agents: ExampleAgents;
let gateway: A2AAgentGateway;
let playbook: Playbook;
const never = new AbortController().signal;

beforeAll(async () => {
  playbook = await loadDefaultPlaybook();
  agents = await startExampleAgents({ portBase: 0, now: () => NOW });
  gateway = new A2AAgentGateway(
    Object.fromEntries(Object.entries(agents.urls).map(([id, url]) => [id, { url }])),
  );
});

afterAll(async () => {
  await gateway.close();
  await agents.close();
});

const journey = { journeyId: 'journey-demo', clientId: 'acme' };

function dispatchOf(
  stage: string,
  workId: string,
  task: { intent: string; agentId?: string },
  input: JsonValue,
  taskId: string,
): TaskDispatch {
  return {
    ...journey,
    stage,
    workId,
    taskId,
    attempt: 1,
    ...(task.agentId === undefined ? {} : { agentId: task.agentId }),
    intent: task.intent,
    input,
    messageId: `${workId}:${taskId}:1`,
    deadline: '2030-01-01T00:00:00.000Z',
    mayHaveBeenSent: false,
  };
}

/** Runs a unit's tasks in dependency order; returns each task's output. */
async function runUnit(
  stage: string,
  workId: string,
  tasks: readonly TaskDefinition[],
  snapshot?: TemplateContext['snapshot'],
): Promise<Record<string, { output: JsonValue }>> {
  const outputs: Record<string, { output: JsonValue }> = {};
  const pending = [...tasks];
  while (pending.length > 0) {
    const index = pending.findIndex((task) => task.dependsOn.every((id) => id in outputs));
    const task = pending.splice(index, 1)[0];
    if (index < 0 || task === undefined) {
      throw new Error(`no task of ${workId} is ready`);
    }
    const context: TemplateContext = {
      journey: { ...journey, stage },
      tasks: outputs,
      ...(snapshot === undefined ? {} : { snapshot }),
    };
    const input = resolveInput(task.input, context);
    if (!input.ok) {
      throw new Error(input.error);
    }
    const result = await gateway.dispatch(
      dispatchOf(stage, workId, task, input.value, task.taskId),
      never,
    );
    if (result.status !== 'succeeded') {
      throw new Error(`${workId}/${task.taskId}: ${JSON.stringify(result)}`);
    }
    outputs[task.taskId] = { output: result.output };
  }
  return outputs;
}

describe('the default playbook on the example agents', () => {
  it('names only agents and intents the example agents offer', async () => {
    const tasks = Object.values(playbook.stages).flatMap((stage) => [
      ...stage.setup.tasks,
      ...stage.rollback.tasks,
      ...stage.exitCriteria.flatMap((criterion) =>
        criterion.kind === 'metric' && criterion.source.type === 'agent' ? [criterion.source] : [],
      ),
    ]);
    expect(await gateway.check(tasks)).toEqual([]);
  });

  it.each(['sandbox', 'pilot', 'production'] as const)(
    'runs the %s setup and rollback, each output feeding the next input',
    async (stage) => {
      const plan = playbook.stages[stage];
      const setup = await runUnit(stage, `setup-${stage}`, plan.setup.tasks);
      expect(Object.keys(setup)).toHaveLength(plan.setup.tasks.length);
      const rollback = await runUnit(stage, `rollback-${stage}`, plan.rollback.tasks, {
        tasks: setup,
      });
      expect(Object.keys(rollback)).toHaveLength(plan.rollback.tasks.length);
    },
  );

  it('gives deterministic outputs from the inputs', async () => {
    const setup = await runUnit('sandbox', 'setup-again', playbook.stages.sandbox.setup.tasks);
    expect(setup['create_tenant']?.output).toEqual({
      tenantId: 'acme-sandbox',
      clientId: 'acme',
      environment: 'sandbox',
    });
    expect(setup['provision_test_dataset']?.output).toMatchObject({
      datasetId: 'acme-sandbox-sandbox-dataset',
    });
  });

  it.each(['sandbox', 'pilot', 'production'] as const)(
    'passes every agent metric of %s by default',
    async (stage) => {
      for (const criterion of playbook.stages[stage].exitCriteria) {
        if (criterion.kind !== 'metric' || criterion.source.type !== 'agent') {
          continue;
        }
        const context = { journey: { ...journey, stage }, tasks: {} };
        const input = resolveInput(criterion.source.input ?? {}, context);
        if (!input.ok) {
          throw new Error(input.error);
        }
        const result = await gateway.dispatch(
          dispatchOf(stage, `criteria-${stage}`, criterion.source, input.value, criterion.id),
          never,
        );
        expect(result.status, criterion.id).toBe('succeeded');
        const output = (result.status === 'succeeded' ? result.output : {}) as {
          value: number | boolean;
          heldSince?: string;
        };
        expect(compare(output.value, criterion.comparator, criterion.threshold), criterion.id).toBe(
          true,
        );
        if (criterion.window !== undefined) {
          const held = NOW.getTime() - Date.parse(output.heldSince ?? NOW.toISOString());
          expect(held, criterion.id).toBeGreaterThanOrEqual(criterion.window);
        }
      }
    },
  );
});
