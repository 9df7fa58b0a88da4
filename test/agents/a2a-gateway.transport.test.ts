import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startExampleAgents, type ExampleAgents } from '../../examples/agents/index.js';
import { A2AAgentGateway } from '../../src/agents/a2a/index.js';
import {
  UnclearDispatchError,
  type DispatchResult,
  type TaskDispatch,
} from '../../src/application/agents.js';

/**
 * What the network can do to a dispatch, staged by a proxy between the gateway and a real
 * example agent: drop the connection before or after the agent got the request, never answer,
 * answer garbage or an error.
 */

/** What the proxy does with one JSON-RPC call (its method and how many of it came before). */
type Act =
  | 'pass'
  | 'drop-before'
  | 'drop-after'
  | 'hang'
  | { readonly status: number; readonly body: string }
  | { readonly result: unknown }
  | { readonly error: { readonly code: number; readonly message: string } };
type Policy = (method: string, seen: number) => Act;

interface Proxy {
  readonly url: string;
  /** From now on; the calls seen are counted afresh. */
  use(policy: Policy): void;
  close(): Promise<void>;
}

/** Forwards to `upstream`, rewriting the card so the client calls the proxy, not the agent. */
async function startProxy(upstream: string): Promise<Proxy> {
  const counts = new Map<string, number>();
  let policy: Policy = () => 'pass';
  const server: Server = createServer((request, response) => {
    void handle(request, response);
  });
  const proxy: Proxy = {
    url: '',
    use: (next) => {
      policy = next;
      counts.clear();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) {
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    if (request.method === 'GET') {
      const card = await (await fetch(`${upstream}${request.url ?? ''}`)).text();
      response.setHeader('content-type', 'application/json');
      response.end(card.replaceAll(upstream, proxy.url));
      return;
    }
    const rpc = JSON.parse(body) as { method: string; id: number };
    const seen = counts.get(rpc.method) ?? 0;
    counts.set(rpc.method, seen + 1);
    const act = policy(rpc.method, seen);
    if (act === 'hang') {
      return;
    }
    if (act === 'drop-before') {
      request.socket.destroy();
      return;
    }
    if (typeof act === 'object') {
      const reply =
        'status' in act
          ? act
          : { status: 200, body: JSON.stringify({ jsonrpc: '2.0', id: rpc.id, ...act }) };
      response.statusCode = reply.status;
      response.end(reply.body);
      return;
    }
    const forwarded = await fetch(`${upstream}${request.url ?? ''}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'a2a-version': String(request.headers['a2a-version']),
      },
      body,
    });
    const text = await forwarded.text();
    if (act === 'drop-after') {
      request.socket.destroy();
      return;
    }
    response.statusCode = forwarded.status;
    response.setHeader('content-type', 'application/json');
    response.end(text);
  }
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  Object.assign(proxy, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  return proxy;
}

let agents: ExampleAgents;
let proxy: Proxy;
let gateway: A2AAgentGateway;
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
const TIMEOUT = 200;

beforeAll(async () => {
  agents = await startExampleAgents({ portBase: 0 });
  proxy = await startProxy(agents.urls.tenancy);
  gateway = new A2AAgentGateway(
    { tenancy: { url: proxy.url }, gone: { url: `http://127.0.0.1:${await closedPort()}` } },
    { requestTimeoutMs: TIMEOUT },
  );
});

afterAll(async () => {
  await gateway.close();
  await proxy.close();
  await agents.close();
});

afterEach(() => {
  proxy.use(() => 'pass');
  agents.behaviour.reset();
  agents.counters.reset();
});

function attempt(overrides: Partial<TaskDispatch> = {}): TaskDispatch {
  const workId = `work-${randomUUID()}`;
  return {
    journeyId: 'journey-1',
    clientId: 'acme',
    stage: 'sandbox',
    workId,
    taskId: 'create_tenant',
    attempt: 1,
    agentId: 'tenancy',
    intent: 'create_tenant',
    input: { clientId: 'acme', environment: 'sandbox' },
    messageId: `${workId}:create_tenant:1`,
    deadline: '2030-01-01T00:00:00.000Z',
    mayHaveBeenSent: false,
    ...overrides,
  };
}

function running(result: DispatchResult): { agentId: string; agentTaskId: string } {
  if (result.status !== 'running') {
    throw new Error(`expected running, got ${JSON.stringify(result)}`);
  }
  return result;
}

function sendOnly(act: Act, then: Act = 'pass'): Policy {
  return (method, seen) => (method === 'SendMessage' ? (seen === 0 ? act : then) : 'pass');
}

describe('a send whose fate is unclear', () => {
  it('finds the attempt when the agent got it, and does not send it again', async () => {
    proxy.use(sendOnly('drop-after'));
    const request = attempt();
    expect(await gateway.dispatch(request, never)).toMatchObject({
      status: 'succeeded',
      output: { tenantId: 'acme-sandbox' },
    });
    expect(agents.counters.messages({ workId: request.workId })).toHaveLength(1);
  });

  it('sends once more when the agent never got it', async () => {
    proxy.use(sendOnly('drop-before'));
    const request = attempt();
    expect(await gateway.dispatch(request, never)).toMatchObject({ status: 'succeeded' });
    expect(agents.counters.messages({ workId: request.workId })).toHaveLength(1);
  });

  it('throws UnclearDispatchError when the agent cannot be asked either', async () => {
    proxy.use((method) => (method === 'SendMessage' ? 'drop-after' : 'drop-before'));
    await expect(gateway.dispatch(attempt(), never)).rejects.toBeInstanceOf(UnclearDispatchError);
  });

  it('throws UnclearDispatchError when the second send is unclear too', async () => {
    proxy.use(sendOnly('drop-before', 'drop-before'));
    await expect(gateway.dispatch(attempt(), never)).rejects.toBeInstanceOf(UnclearDispatchError);
  });

  it('throws UnclearDispatchError when the caller stops the dispatch', async () => {
    proxy.use(sendOnly('hang'));
    const stop = new AbortController();
    const dispatching = gateway.dispatch(attempt(), stop.signal);
    setTimeout(() => stop.abort(), 20);
    await expect(dispatching).rejects.toBeInstanceOf(UnclearDispatchError);
  });
});

describe('every request is bounded by requestTimeoutMs', () => {
  it('gives up on a send and its look-up that never answer', async () => {
    proxy.use(() => 'hang');
    const started = performance.now();
    await expect(gateway.dispatch(attempt(), never)).rejects.toBeInstanceOf(UnclearDispatchError);
    expect(performance.now() - started).toBeLessThan(TIMEOUT * 2 + 1_000);
  });

  it('reports a poll that never answers as a retryable TIMEOUT', async () => {
    proxy.use(() => 'hang');
    const started = performance.now();
    expect(await gateway.poll({ agentId: 'tenancy', agentTaskId: 'x' }, never)).toMatchObject({
      status: 'failed',
      failure: { code: 'TIMEOUT', retryable: true },
    });
    expect(performance.now() - started).toBeLessThan(TIMEOUT + 1_000);
  });
});

describe('what the agent answers instead of a task', () => {
  it.each<[string, Act, string, boolean]>([
    ['a body that is not JSON', { status: 200, body: 'not json {' }, 'BAD_REPLY', false],
    ['an HTML error page', { status: 502, body: '<h1>Bad Gateway</h1>' }, 'AGENT_ERROR', true],
    ['JSON-RPC internal error', { error: { code: -32603, message: 'boom' } }, 'AGENT_ERROR', true],
    [
      'JSON-RPC unsupported',
      { error: { code: -32004, message: 'no' } },
      'AGENT_PROTOCOL_ERROR',
      false,
    ],
    ['a result that is no task', { result: 'hello' }, 'BAD_REPLY', false],
    [
      'a reply too large to hold',
      { status: 200, body: 'x'.repeat(9 * 1024 * 1024) },
      'BAD_REPLY',
      false,
    ],
    [
      'a task in a state nobody knows',
      { result: { task: { id: 't-1', contextId: 'c', status: { state: 'TASK_STATE_DREAMING' } } } },
      'BAD_REPLY',
      false,
    ],
  ])('%s is a failed outcome, not a throw', async (_name, act, code, retryable) => {
    proxy.use(sendOnly(act));
    const result = await gateway.dispatch(attempt(), never);
    expect(result).toMatchObject({
      status: 'failed',
      agentId: 'tenancy',
      failure: { code, retryable },
    });
  });

  it('a poll answered with garbage is a BAD_REPLY', async () => {
    proxy.use(() => ({
      result: { task: { id: 'other', status: { state: 'TASK_STATE_WORKING' } } },
    }));
    expect(await gateway.poll({ agentId: 'tenancy', agentTaskId: 'mine' }, never)).toMatchObject({
      status: 'failed',
      failure: { code: 'BAD_REPLY' },
    });
  });
});

describe('an agent that is not there', () => {
  it('is AGENT_UNREACHABLE and retryable', async () => {
    expect(await gateway.dispatch(attempt({ agentId: 'gone' }), never)).toMatchObject({
      status: 'failed',
      agentId: 'gone',
      failure: { code: 'AGENT_UNREACHABLE', retryable: true },
    });
    expect(await gateway.poll({ agentId: 'gone', agentTaskId: 'x' }, never)).toMatchObject({
      status: 'failed',
      failure: { code: 'AGENT_UNREACHABLE', retryable: true },
    });
  });

  it('is AGENT_UNREACHABLE when a re-dispatch cannot look the attempt up', async () => {
    expect(
      await gateway.dispatch(attempt({ agentId: 'gone', mayHaveBeenSent: true }), never),
    ).toMatchObject({ status: 'failed', failure: { code: 'AGENT_UNREACHABLE' } });
  });
});

describe('an agent that went away after its card was read', () => {
  it('fails sends and polls as AGENT_UNREACHABLE, retryable', async () => {
    const brief = await startExampleAgents({ portBase: 0 });
    const local = new A2AAgentGateway(
      { tenancy: { url: brief.urls.tenancy } },
      { requestTimeoutMs: TIMEOUT },
    );
    brief.behaviour.set('tenancy', 'create_tenant', { kind: 'hang' });
    const first = running(await local.dispatch(attempt(), never));
    await brief.close();
    // A send on a kept-alive connection the agent just closed is unclear; a fresh one is refused.
    const next = await local.dispatch(attempt(), never).catch((error: unknown) => error);
    if (!(next instanceof UnclearDispatchError)) {
      expect(next).toMatchObject({ status: 'failed', failure: { code: 'AGENT_UNREACHABLE' } });
    }
    expect(await local.dispatch(attempt({ mayHaveBeenSent: true }), never)).toMatchObject({
      status: 'failed',
      failure: { code: 'AGENT_UNREACHABLE', retryable: true },
    });
    expect(await local.poll(first, never)).toMatchObject({
      status: 'failed',
      failure: { code: 'AGENT_UNREACHABLE', retryable: true },
    });
    await local.close();
  });
});
