import { afterEach, describe, expect, it, vi } from 'vitest';
import { AgentFailure, InProcessAgentGateway } from '../../src/agents/in-process/index.js';
import type { AgentGateway, TaskDispatch } from '../../src/application/agents.js';
import { UnclearDispatchError } from '../../src/application/agents.js';
import type { ObservationRequest } from '../../src/application/metric-sources.js';
import type { AgentId, JsonValue } from '../../src/domain/index.js';
import { AgentMetricReader } from '../../src/sources/index.js';
import { StepClock } from '../support/clock.js';

const T0 = '2026-03-01T12:00:00.000Z';
const clock = new StepClock(T0);
const INTENT = 'measure_search_quality';
const NAMED = `agent quality (intent ${INTENT})`;
const gateways: InProcessAgentGateway[] = [];
const backoff = { first: 5, max: 20 };

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
});

/** An in-process agent `quality` serving INTENT; quick handlers answer within the dispatch. */
function agent(
  handler: (dispatch: TaskDispatch, signal: AbortSignal) => JsonValue | Promise<JsonValue>,
  syncWait = 1_000,
) {
  const gateway = new InProcessAgentGateway({ syncWait });
  gateway.register(INTENT, ({ dispatch, signal }) => handler(dispatch, signal), 'quality');
  gateways.push(gateway);
  return { gateway, reader: new AgentMetricReader({ clock, agents: gateway, backoff }) };
}

function request(input: JsonValue = { clientId: '${journey.clientId}' }, timeout = 2_000) {
  return {
    source: { type: 'agent', agentId: 'quality' as AgentId, intent: INTENT, input },
    context: { journeyId: 'j-1', clientId: 'acme', stage: 'pilot', criterionId: 'search_quality' },
    timeout,
  } satisfies ObservationRequest;
}

const signal = () => new AbortController().signal;

describe('agent source: the value', () => {
  it('asks the agent by intent with the resolved input, and reads its value', async () => {
    let seen: TaskDispatch | undefined;
    const { reader } = agent((dispatch) => {
      seen = dispatch;
      return { value: 87.5 };
    });
    const observation = await reader.observe(
      request({ clientId: '${journey.clientId}', at: '${journey.stage} of ${journey.journeyId}' }),
      signal(),
    );
    expect(observation).toEqual({ value: 87.5, observedAt: T0 });
    expect(seen).toMatchObject({
      journeyId: 'j-1',
      clientId: 'acme',
      stage: 'pilot',
      workId: 'criterion:j-1:pilot:search_quality',
      taskId: 'search_quality',
      attempt: 1,
      agentId: 'quality',
      intent: INTENT,
      input: { clientId: 'acme', at: 'pilot of j-1' },
      deadline: '2026-03-01T12:00:02.000Z',
      mayHaveBeenSent: false,
    });
    expect(seen?.messageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends a fresh message id for every reading', async () => {
    const ids: string[] = [];
    const { reader } = agent((dispatch) => {
      ids.push(dispatch.messageId);
      return { value: true };
    });
    await reader.observe(request(), signal());
    await reader.observe(request(), signal());
    expect(new Set(ids).size).toBe(2);
  });

  it('keeps heldSince, normalised to UTC, and extra keys do no harm', async () => {
    const { reader } = agent(() => ({
      value: 0,
      heldSince: '2026-02-20T08:00:00+01:00',
      note: 'last critical bug closed',
    }));
    expect(await reader.observe(request(), signal())).toEqual({
      value: 0,
      heldSince: '2026-02-20T07:00:00.000Z',
      observedAt: T0,
    });
  });

  it('reads null as no data', async () => {
    const { reader } = agent(() => ({ value: null, heldSince: null }));
    expect(await reader.observe(request(), signal())).toEqual({ value: null, observedAt: T0 });
  });

  it('polls an agent that takes longer than the dispatch waits', async () => {
    const { reader } = agent(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return { value: 4.2 };
    }, 1);
    expect(await reader.observe(request(), signal())).toEqual({ value: 4.2, observedAt: T0 });
  });
});

describe('agent source: never inventing a value', () => {
  it.each<[string, JsonValue, string]>([
    ['a bare number', 87, 'the output is a number, expected {"value"'],
    ['no value key', { score: 87 }, 'the output has no "value" (it has keys score)'],
    ['a string value', { value: '87' }, '"value" is a string ("87"), not a number or true/false'],
    ['an impossible date', { value: 1, heldSince: '2026-02-30T00:00:00Z' }, '"heldSince" is'],
    ['a local time', { value: 1, heldSince: '2026-02-01T00:00:00' }, 'with a time zone'],
    ['a numeric heldSince', { value: 1, heldSince: 1700000000 }, '"heldSince" is a number'],
  ])('refuses an output with %s', async (_case, output, why) => {
    const { reader } = agent(() => output);
    const observation = await reader.observe(request(), signal());
    expect(observation.value).toBeUndefined();
    expect(observation.error).toContain(`${NAMED}: `);
    expect(observation.error).toContain(why);
  });

  it('reports the agent’s failure with its message and code', async () => {
    const { reader } = agent(() => {
      throw new AgentFailure('the search index is offline', {
        code: 'INDEX_DOWN',
        retryable: true,
      });
    });
    expect(await reader.observe(request(), signal())).toEqual({
      observedAt: T0,
      error: `${NAMED}: failed: the search index is offline (INDEX_DOWN)`,
    });
  });

  it('reports an agent that does not offer the intent', async () => {
    const { reader } = agent(() => ({ value: 1 }));
    const observation = await reader.observe(
      { ...request(), source: { ...request().source, intent: 'measure_nothing' } },
      signal(),
    );
    expect(observation.error).toBe(
      'agent quality (intent measure_nothing): failed: agent "quality" has no skill "measure_nothing" (CAPABILITY_MISSING)',
    );
  });

  it('times out a hanging agent and cancels it there', { timeout: 5_000 }, async () => {
    let reason: unknown;
    const { gateway, reader } = agent(
      (_dispatch, aborted) =>
        new Promise<JsonValue>((_resolve, reject) => {
          aborted.addEventListener('abort', () => {
            reason = aborted.reason;
            reject(new Error('stopped'));
          });
        }),
      1,
    );
    const cancel = vi.spyOn(gateway, 'cancel');
    const observation = await reader.observe(request(undefined, 60), signal());
    expect(observation).toEqual({
      observedAt: T0,
      error: `${NAMED}: timed out after 60 ms (cancelled at the agent)`,
    });
    expect(cancel).toHaveBeenCalledOnce();
    expect(cancel.mock.calls[0]?.[0].agentId).toBe('quality');
    expect(reason).toEqual(new Error('cancelled'));
  });

  it('does not wait for a dispatch that outlives the timeout', { timeout: 5_000 }, async () => {
    let aborted = false;
    const { gateway, reader } = agent(
      (_dispatch, stop) =>
        new Promise<JsonValue>((_resolve, reject) => {
          stop.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('stopped'));
          });
        }),
      10_000,
    );
    const cancel = vi.spyOn(gateway, 'cancel');
    const observation = await reader.observe(request(undefined, 40), signal());
    expect(observation.error).toBe(`${NAMED}: timed out after 40 ms`);
    // The dispatch answers `running` late: that task is cancelled rather than left behind.
    await vi.waitFor(() => expect(cancel).toHaveBeenCalledOnce());
    expect(aborted).toBe(true);
  });

  it('stops when the caller aborts', { timeout: 5_000 }, async () => {
    const { reader } = agent(() => new Promise<JsonValue>(() => undefined), 1);
    const controller = new AbortController();
    const pending = reader.observe(request(), controller.signal);
    setTimeout(() => controller.abort(new Error('shutting down')), 20);
    expect((await pending).error).toBe(
      `${NAMED}: stopped before the agent answered (shutting down) (cancelled at the agent)`,
    );
  });

  it('never sends an input whose template does not resolve', async () => {
    const handler = vi.fn(() => ({ value: 1 }));
    const { reader } = agent(handler);
    const observation = await reader.observe(request({ id: '${journey.client}' }), signal());
    expect(observation.error).toBe(
      `${NAMED}: the input does not resolve: "\${journey.client}" at input.id: unknown journey field "client" (journey fields: journeyId, clientId, stage)`,
    );
    expect(handler).not.toHaveBeenCalled();
  });

  it('reports a gateway that cannot tell whether the agent got the question', async () => {
    const unclear: AgentGateway = {
      dispatch: () => Promise.reject(new UnclearDispatchError('connection reset after sending')),
      poll: () => Promise.resolve({ status: 'running' }),
      cancel: () => Promise.resolve(),
      check: () => Promise.resolve([]),
      close: () => Promise.resolve(),
    };
    const reader = new AgentMetricReader({ clock, agents: unclear });
    expect((await reader.observe(request(), signal())).error).toBe(
      `${NAMED}: could not ask it: connection reset after sending`,
    );
  });
});
