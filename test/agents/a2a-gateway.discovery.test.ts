import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleAgents, type ExampleAgents } from '../../examples/agents/index.js';
import { A2AAgentGateway } from '../../src/agents/a2a/index.js';
import type { TaskDispatch } from '../../src/application/agents.js';
import { MINUTE } from '../../src/domain/index.js';
import { StepClock } from '../support/clock.js';

/** Agent cards: discovery by intent, `check()`, and the card cache. */

let agents: ExampleAgents;
const never = new AbortController().signal;

/** A port nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  agents = await startExampleAgents({ portBase: 0 });
});

afterAll(async () => {
  await agents.close();
});

function gatewayOver(registry: Record<string, { url: string }>): A2AAgentGateway {
  return new A2AAgentGateway(registry, { requestTimeoutMs: 1_000 });
}

function everyAgent(): Record<string, { url: string }> {
  return Object.fromEntries(Object.entries(agents.urls).map(([id, url]) => [id, { url }]));
}

const withoutAgent: TaskDispatch = {
  journeyId: 'journey-1',
  clientId: 'acme',
  stage: 'sandbox',
  workId: 'work-discovery',
  taskId: 'search_quality',
  attempt: 1,
  intent: 'measure_search_quality',
  input: { clientId: 'acme', stage: 'sandbox' },
  messageId: 'work-discovery:search_quality:1',
  deadline: '2030-01-01T00:00:00.000Z',
  mayHaveBeenSent: false,
};

describe('discovery by intent', () => {
  it('sends a task without an agent to the one agent whose card lists the intent', async () => {
    const gateway = gatewayOver(everyAgent());
    expect(await gateway.dispatch(withoutAgent, never)).toMatchObject({
      status: 'succeeded',
      agentId: 'quality',
      output: { value: 91 },
    });
    await gateway.close();
  });

  it('fails without sending when no agent offers the intent', async () => {
    const gateway = gatewayOver(everyAgent());
    expect(await gateway.dispatch({ ...withoutAgent, intent: 'make_coffee' }, never)).toMatchObject(
      {
        status: 'failed',
        agentId: '',
        failure: { code: 'CAPABILITY_MISSING', retryable: false },
      },
    );
    await gateway.close();
  });

  it('fails without sending when several agents offer it', async () => {
    const gateway = gatewayOver({
      quality: { url: agents.urls.quality },
      'quality-eu': { url: agents.urls.quality },
    });
    const result = await gateway.dispatch(withoutAgent, never);
    expect(result).toMatchObject({
      status: 'failed',
      failure: { code: 'AGENT_AMBIGUOUS', retryable: false },
    });
    expect(result.status === 'failed' && result.failure.message).toContain('quality, quality-eu');
    await gateway.close();
  });

  it('refuses an intent the named agent does not list', async () => {
    const gateway = gatewayOver(everyAgent());
    expect(await gateway.dispatch({ ...withoutAgent, agentId: 'security' }, never)).toMatchObject({
      status: 'failed',
      agentId: 'security',
      failure: { code: 'CAPABILITY_MISSING', retryable: false },
    });
    await gateway.close();
  });
});

describe('check()', () => {
  it('is empty when every task can be sent', async () => {
    const gateway = gatewayOver(everyAgent());
    expect(
      await gateway.check([
        { agentId: 'tenancy', intent: 'create_tenant' },
        { intent: 'incident_count' },
      ]),
    ).toEqual([]);
    await gateway.close();
  });

  it('lists each problem once, in words, without throwing', async () => {
    const gateway = gatewayOver({
      ...everyAgent(),
      copy: { url: agents.urls.tenancy },
      gone: { url: `http://127.0.0.1:${await closedPort()}` },
    });
    const problems = await gateway.check([
      { agentId: 'nobody', intent: 'create_tenant' },
      { agentId: 'nobody', intent: 'create_tenant' },
      { agentId: 'gone', intent: 'create_tenant' },
      { agentId: 'quality', intent: 'create_tenant' },
      { intent: 'delete_tenant' },
      { intent: 'make_coffee' },
    ]);
    expect(problems).toHaveLength(5);
    expect(problems).not.toContain(expect.stringContaining('make_coffee" (agents'));
    expect(problems[0]).toMatch(/agent "nobody" is not in the agent registry/);
    expect(problems[1]).toMatch(/agent gone .*unreachable: .*ECONNREFUSED/);
    expect(problems[2]).toMatch(/agent quality does not offer intent "create_tenant"/);
    expect(problems[3]).toMatch(/several agents offer intent "delete_tenant" \(tenancy, copy\)/);
    // An agent that could not be asked might offer it: that is reported instead of a verdict.
    expect(problems[4]).toMatch(/no reachable agent offers intent "make_coffee", and agent gone/);
    await gateway.close();
  });
});

describe('agent cards', () => {
  let cards: Server;
  let cardUrl: string;
  let fetches = 0;
  let body: unknown;

  beforeAll(async () => {
    cards = createServer((request, response) => {
      fetches += 1;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(body));
    });
    cards.listen(0, '127.0.0.1');
    await once(cards, 'listening');
    cardUrl = `http://127.0.0.1:${(cards.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    cards.closeAllConnections();
    await new Promise((resolve) => cards.close(resolve));
  });

  function cardWith(binding: string): unknown {
    return {
      name: 'counted',
      supportedInterfaces: [
        { url: `${cardUrl}/rpc`, protocolBinding: binding, protocolVersion: '1.0' },
      ],
      skills: [{ id: 'count' }],
    };
  }

  it('are fetched once and again after the TTL, by the injected clock', async () => {
    body = cardWith('JSONRPC');
    fetches = 0;
    const clock = new StepClock();
    const gateway = new A2AAgentGateway(
      { counted: { url: cardUrl } },
      { clock, cardTtlMs: 5 * MINUTE, requestTimeoutMs: 1_000 },
    );
    const task = [{ agentId: 'counted', intent: 'count' }];
    expect(await gateway.check(task)).toEqual([]);
    expect(await gateway.check(task)).toEqual([]);
    expect(fetches).toBe(1);
    clock.advance(5 * MINUTE);
    expect(await gateway.check(task)).toEqual([]);
    expect(fetches).toBe(2);
    await gateway.close();
  });

  it.each([
    [{ name: 'no interfaces', skills: [] }, /no interface with a url/],
    ['a string', /not a JSON object/],
  ])('that are unusable are reported with the reason (%#)', async (card, reason) => {
    body = card;
    const gateway = gatewayOver({ odd: { url: cardUrl } });
    const [problem] = await gateway.check([{ agentId: 'odd', intent: 'count' }]);
    expect(problem).toMatch(reason);
    expect(await gateway.dispatch({ ...withoutAgent, agentId: 'odd' }, never)).toMatchObject({
      status: 'failed',
      failure: { code: 'BAD_AGENT_CARD', retryable: false },
    });
    await gateway.close();
  });

  it('that offer another binding first are refused: the client calls supportedInterfaces[0]', async () => {
    body = cardWith('HTTP+JSON');
    const gateway = gatewayOver({ rest: { url: cardUrl } });
    expect(await gateway.check([{ agentId: 'rest', intent: 'count' }])).toEqual([
      expect.stringMatching(/first interface uses HTTP\+JSON; this gateway speaks JSONRPC/),
    ]);
    await gateway.close();
  });
});
