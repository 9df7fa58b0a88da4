import { describe, expect, it } from 'vitest';
import { AgentFailure, InProcessAgentGateway } from '../../src/agents/in-process/index.js';
import type { TaskDispatch } from '../../src/application/agents.js';

const dispatch = (intent: string, agentId?: string): TaskDispatch => ({
  journeyId: 'j-1',
  clientId: 'acme',
  stage: 'sandbox',
  workId: 'w-1',
  taskId: 't-1',
  attempt: 1,
  intent,
  input: { n: 2 },
  messageId: 'm-1',
  deadline: '2030-01-01T00:00:00.000Z',
  mayHaveBeenSent: false,
  ...(agentId === undefined ? {} : { agentId }),
});
const signal = new AbortController().signal;

describe('InProcessAgentGateway', () => {
  it('answers quick work in the dispatch and slow work through polls', async () => {
    let release: () => void = () => undefined;
    const gateway = new InProcessAgentGateway({ syncWait: 20 })
      .register('double', ({ input }) => ({ n: (input as { n: number }).n * 2 }), 'math')
      .register(
        'slow',
        () => new Promise((resolve) => (release = () => resolve({ done: true }))),
        'math',
      );
    expect(await gateway.dispatch(dispatch('double'), signal)).toEqual({
      status: 'succeeded',
      agentId: 'math',
      output: { n: 4 },
    });
    const running = await gateway.dispatch(dispatch('slow'), signal);
    expect(running.status).toBe('running');
    const ref = {
      agentId: 'math',
      agentTaskId: running.status === 'running' ? running.agentTaskId : '',
    };
    expect(await gateway.poll(ref)).toEqual({ status: 'running' });
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await gateway.poll(ref)).toEqual({ status: 'succeeded', output: { done: true } });
    // Forgotten once reported, as a restarted process would have forgotten it.
    expect(await gateway.poll(ref)).toMatchObject({
      status: 'failed',
      failure: { code: 'AGENT_LOST_TASK' },
    });
  });

  it('turns thrown errors into failures and passes cancellation to the handler', async () => {
    let aborted = false;
    const gateway = new InProcessAgentGateway({ syncWait: 10 })
      .register('refuse', () => {
        throw new AgentFailure('no such tenant', { code: 'NOT_FOUND', retryable: false });
      })
      .register('crash', () => {
        throw new Error('boom');
      })
      .register(
        'hang',
        ({ signal: cancelled }) =>
          new Promise((_resolve, reject) => {
            cancelled.addEventListener('abort', () => {
              aborted = true;
              reject(new Error('cancelled'));
            });
          }),
      );
    expect(await gateway.dispatch(dispatch('refuse'), signal)).toMatchObject({
      status: 'failed',
      failure: { message: 'no such tenant', code: 'NOT_FOUND', retryable: false },
    });
    expect(await gateway.dispatch(dispatch('crash'), signal)).toMatchObject({
      status: 'failed',
      failure: { message: 'boom', retryable: true },
    });
    const hung = await gateway.dispatch(dispatch('hang'), signal);
    if (hung.status !== 'running') {
      throw new Error('expected a running attempt');
    }
    await gateway.cancel({ agentId: hung.agentId, agentTaskId: hung.agentTaskId });
    expect(aborted).toBe(true);
  });

  it('finds agents by intent and names what is missing or ambiguous', async () => {
    const gateway = new InProcessAgentGateway()
      .register('measure', () => 1, 'quality')
      .register('measure', () => 2, 'operations')
      .register('scan', () => true, 'security');
    expect(
      await gateway.check([{ intent: 'scan' }, { intent: 'scan', agentId: 'security' }]),
    ).toEqual([]);
    const problems = await gateway.check([
      { intent: 'measure' },
      { intent: 'deploy' },
      { intent: 'scan', agentId: 'quality' },
    ]);
    expect(problems).toEqual([
      'several agents offer the skill "measure" (quality, operations); name one with agentId',
      'no agent offers the skill "deploy"',
      'agent "quality" has no skill "scan"',
    ]);
    expect(await gateway.dispatch(dispatch('deploy'), signal)).toMatchObject({
      status: 'failed',
      failure: { code: 'CAPABILITY_MISSING', retryable: false },
    });
  });
});
