import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startExampleAgents, type ExampleAgents } from '../../examples/agents/index.js';
import { A2AAgentGateway } from '../../src/agents/a2a/index.js';
import type {
  AgentGateway,
  DispatchResult,
  PollResult,
  TaskDispatch,
} from '../../src/application/agents.js';

/** Dispatch, poll and cancel against the example agents: real A2A servers on 127.0.0.1. */

let agents: ExampleAgents;
let gateway: AgentGateway;
const never = new AbortController().signal;

beforeAll(async () => {
  agents = await startExampleAgents({ portBase: 0 });
  gateway = new A2AAgentGateway(registryOf(agents.urls), { requestTimeoutMs: 2_000 });
});

afterAll(async () => {
  await gateway.close();
  await agents.close();
});

afterEach(() => {
  agents.behaviour.reset();
  agents.counters.reset();
});

function registryOf(urls: Readonly<Record<string, string>>): Record<string, { url: string }> {
  return Object.fromEntries(Object.entries(urls).map(([id, url]) => [id, { url }]));
}

/** A fresh unit of work per call, so attempts never collide across tests. */
function attempt(overrides: Partial<TaskDispatch> = {}): TaskDispatch {
  const workId = overrides.workId ?? `work-${randomUUID()}`;
  const taskId = overrides.taskId ?? 'create_tenant';
  const number = overrides.attempt ?? 1;
  return {
    journeyId: 'journey-1',
    clientId: 'acme',
    stage: 'sandbox',
    workId,
    taskId,
    attempt: number,
    agentId: 'tenancy',
    intent: 'create_tenant',
    input: { clientId: 'acme', environment: 'sandbox' },
    messageId: `${workId}:${taskId}:${number}`,
    deadline: '2030-01-01T00:00:00.000Z',
    mayHaveBeenSent: false,
    ...overrides,
  };
}

function running(result: DispatchResult): { agentId: string; agentTaskId: string } {
  if (result.status !== 'running') {
    throw new Error(`expected running, got ${JSON.stringify(result)}`);
  }
  return { agentId: result.agentId, agentTaskId: result.agentTaskId };
}

/** Polls every 10 ms until the attempt ends (the agents' delays are tens of ms). */
async function settle(ref: { agentId: string; agentTaskId: string }): Promise<PollResult> {
  for (let round = 0; round < 200; round += 1) {
    const result = await gateway.poll(ref, never);
    if (result.status !== 'running') {
      return result;
    }
    await sleep(10);
  }
  throw new Error('the attempt did not end');
}

describe('dispatch and poll', () => {
  it('answers running for slow work, and the poll brings the output', async () => {
    agents.behaviour.set('tenancy', 'create_tenant', { kind: 'slow', delayMs: 40 });
    const ref = running(await gateway.dispatch(attempt(), never));
    expect(ref.agentId).toBe('tenancy');
    expect(await gateway.poll(ref, never)).toEqual({ status: 'running' });
    expect(await settle(ref)).toEqual({
      status: 'succeeded',
      output: { tenantId: 'acme-sandbox', clientId: 'acme', environment: 'sandbox' },
    });
  });

  it('returns the outcome at once when the agent completes in the reply', async () => {
    const result = await gateway.dispatch(
      attempt({ input: { clientId: 'globex', environment: 'pilot' } }),
      never,
    );
    expect(result).toEqual({
      status: 'succeeded',
      agentId: 'tenancy',
      output: { tenantId: 'globex-pilot', clientId: 'globex', environment: 'pilot' },
    });
  });

  it('sends the attempt as the contract says: ids in the data part and the metadata', async () => {
    const request = attempt({ attempt: 3 });
    await gateway.dispatch(request, never);
    expect(agents.counters.messages({ workId: request.workId })).toEqual([
      expect.objectContaining({
        agentId: 'tenancy',
        intent: 'create_tenant',
        taskId: 'create_tenant',
        attempt: 3,
        clientId: 'acme',
        messageId: request.messageId,
      }),
    ]);
  });

  it('fails N times, each attempt a separate dispatch, then succeeds', async () => {
    agents.behaviour.set('tenancy', 'create_tenant', {
      kind: 'fail',
      times: 2,
      message: 'quota service down',
    });
    const workId = `work-${randomUUID()}`;
    const results = [];
    for (const number of [1, 2, 3]) {
      results.push(await gateway.dispatch(attempt({ workId, attempt: number }), never));
    }
    expect(results.map((result) => result.status)).toEqual(['failed', 'failed', 'succeeded']);
    expect(results[0]).toMatchObject({
      status: 'failed',
      failure: { code: 'AGENT_FAILED', retryable: true },
    });
    expect(results[0]?.status === 'failed' && results[0].failure.message).toContain(
      'quota service down',
    );
    const sent = agents.counters.messages({ workId });
    expect(sent.map((message) => message.attempt)).toEqual([1, 2, 3]);
    expect(new Set(sent.map((message) => message.messageId)).size).toBe(3);
  });

  it('records a REJECTED task as a failure that is not retried', async () => {
    agents.behaviour.set('tenancy', 'create_tenant', { kind: 'reject', message: 'no capacity' });
    expect(await gateway.dispatch(attempt(), never)).toMatchObject({
      status: 'failed',
      failure: {
        code: 'AGENT_REJECTED',
        retryable: false,
        message: expect.stringContaining('no capacity') as string,
      },
    });
  });

  it('rejects an input the intent cannot use, saying what is missing', async () => {
    expect(await gateway.dispatch(attempt({ input: { clientId: 'acme' } }), never)).toMatchObject({
      status: 'failed',
      failure: {
        code: 'AGENT_REJECTED',
        message: expect.stringContaining('environment') as string,
      },
    });
  });

  it('treats a task waiting for input as needing attention, and cancels it at the agent', async () => {
    agents.behaviour.set('tenancy', 'create_tenant', { kind: 'input-required' });
    expect(await gateway.dispatch(attempt(), never)).toMatchObject({
      status: 'failed',
      failure: { code: 'AGENT_NEEDS_ATTENTION', retryable: false },
    });
    expect(agents.counters.cancels({ intent: 'create_tenant' })).toHaveLength(1);
  });

  it('reads metric intents as {value, heldSince?}', async () => {
    agents.behaviour.setMetric(
      'quality',
      'measure_search_quality',
      { value: 72 },
      { clientId: 'acme' },
    );
    const read = (clientId: string) =>
      gateway.dispatch(
        attempt({
          clientId,
          agentId: 'quality',
          intent: 'measure_search_quality',
          taskId: 'search_quality',
          input: { clientId, stage: 'sandbox' },
        }),
        never,
      );
    expect(await read('acme')).toMatchObject({ status: 'succeeded', output: { value: 72 } });
    expect(await read('globex')).toMatchObject({ status: 'succeeded', output: { value: 91 } });
    const bugs = await gateway.dispatch(
      attempt({ agentId: 'operations', intent: 'critical_bug_count', input: { clientId: 'acme' } }),
      never,
    );
    expect(bugs).toMatchObject({
      status: 'succeeded',
      output: { value: 0, heldSince: expect.any(String) as string },
    });
  });
});

describe('cancel', () => {
  it('reaches the agent, which ends the task CANCELED', async () => {
    agents.behaviour.set('tenancy', 'create_tenant', { kind: 'hang' });
    const ref = running(await gateway.dispatch(attempt(), never));
    await gateway.cancel(ref);
    expect(agents.counters.cancels({ agentId: 'tenancy' })).toEqual([
      { agentId: 'tenancy', agentTaskId: ref.agentTaskId, intent: 'create_tenant' },
    ]);
    expect(await gateway.poll(ref, never)).toMatchObject({
      status: 'failed',
      failure: { code: 'AGENT_CANCELED', retryable: false },
    });
  });

  it('never throws, whether the task ended already or never existed', async () => {
    const done = await gateway.dispatch(attempt(), never);
    expect(done.status).toBe('succeeded');
    await expect(
      gateway.cancel({ agentId: 'tenancy', agentTaskId: randomUUID() }),
    ).resolves.toBeUndefined();
    await expect(gateway.cancel({ agentId: 'nobody', agentTaskId: 'x' })).resolves.toBeUndefined();
  });
});

describe('replies that break the contract', () => {
  it.each([
    ['text', 'without a data part'],
    ['not-an-object', 'must be a JSON object'],
    ['message', 'a message instead of a task'],
  ] as const)('garbage (%s) is a BAD_REPLY failure, not a throw', async (variant, says) => {
    agents.behaviour.set('tenancy', 'create_tenant', { kind: 'garbage', variant });
    const result = await gateway.dispatch(attempt(), never);
    expect(result).toMatchObject({
      status: 'failed',
      agentId: 'tenancy',
      failure: { code: 'BAD_REPLY', retryable: false },
    });
    expect(result.status === 'failed' && result.failure.message).toContain(says);
  });
});

describe('an attempt that may have been sent', () => {
  it('resumes the task the agent already holds instead of sending it again', async () => {
    agents.behaviour.set('tenancy', 'create_tenant', { kind: 'slow', delayMs: 40 });
    const request = attempt();
    const first = running(await gateway.dispatch(request, never));
    const again = await gateway.dispatch({ ...request, mayHaveBeenSent: true }, never);
    expect(again).toEqual({
      status: 'running',
      agentId: 'tenancy',
      agentTaskId: first.agentTaskId,
    });
    expect(agents.counters.messages({ workId: request.workId })).toHaveLength(1);
    await settle(first);
  });

  it('returns the outcome of an attempt that already ended at the agent', async () => {
    const request = attempt();
    await gateway.dispatch(request, never);
    const again = await gateway.dispatch({ ...request, mayHaveBeenSent: true }, never);
    expect(again).toMatchObject({ status: 'succeeded', output: { tenantId: 'acme-sandbox' } });
    expect(agents.counters.messages({ workId: request.workId })).toHaveLength(1);
  });

  it('sends it when the agent has no such attempt, ignoring other attempts of the unit', async () => {
    const workId = `work-${randomUUID()}`;
    await gateway.dispatch(attempt({ workId, attempt: 1 }), never);
    const second = await gateway.dispatch(
      attempt({ workId, attempt: 2, mayHaveBeenSent: true }),
      never,
    );
    expect(second.status).toBe('succeeded');
    expect(agents.counters.messages({ workId }).map((message) => message.attempt)).toEqual([1, 2]);
  });
});

describe('poll', () => {
  it('answers AGENT_LOST_TASK, retryable, for a task the agent does not know', async () => {
    expect(
      await gateway.poll({ agentId: 'tenancy', agentTaskId: randomUUID() }, never),
    ).toMatchObject({
      status: 'failed',
      failure: { code: 'AGENT_LOST_TASK', retryable: true },
    });
  });

  it('answers running when the caller stops it, since nothing new was learned', async () => {
    const stopped = AbortSignal.abort();
    expect(await gateway.poll({ agentId: 'tenancy', agentTaskId: randomUUID() }, stopped)).toEqual({
      status: 'running',
    });
  });
});
