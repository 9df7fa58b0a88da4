import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Role, TaskState } from '@a2a-js/sdk';
import { ClientFactory } from '@a2a-js/sdk/client';
import { describe, expect, it } from 'vitest';
import {
  BehaviourControl,
  parseBehaveFlag,
  parseMetricFlag,
  parsePlan,
  startExampleAgents,
} from '../../examples/agents/index.js';

/** The example agents' knobs: behaviours, readings, the plan file and flags, the entry point. */

describe('BehaviourControl', () => {
  it('prefers a client-specific behaviour over an intent-wide one', () => {
    const control = new BehaviourControl();
    control.set('tenancy', 'create_tenant', { kind: 'reject' });
    control.set('tenancy', 'create_tenant', { kind: 'hang' }, { clientId: 'acme' });
    expect(control.next('tenancy', 'create_tenant', 'acme')).toEqual({ kind: 'hang' });
    expect(control.next('tenancy', 'create_tenant', 'globex')).toEqual({ kind: 'reject' });
    expect(control.next('tenancy', 'delete_tenant', 'acme')).toEqual({ kind: 'succeed' });
    control.reset();
    expect(control.next('tenancy', 'create_tenant', 'acme')).toEqual({ kind: 'succeed' });
  });

  it('counts down "fail N times", and fails for ever without a count', () => {
    const control = new BehaviourControl();
    control.set('dataops', 'teardown_dataset', { kind: 'fail', times: 1 });
    control.set('dataops', 'provision_test_dataset', { kind: 'fail', message: 'disk full' });
    expect(control.next('dataops', 'teardown_dataset', undefined).kind).toBe('fail');
    expect(control.next('dataops', 'teardown_dataset', undefined).kind).toBe('succeed');
    for (let round = 0; round < 5; round += 1) {
      expect(control.next('dataops', 'provision_test_dataset', undefined)).toEqual({
        kind: 'fail',
        message: 'disk full',
      });
    }
  });

  it('refuses agents and intents that do not exist, and readings for task intents', () => {
    const control = new BehaviourControl();
    expect(() => control.set('tenants', 'create_tenant', { kind: 'hang' })).toThrow(
      /no example agent "tenants"/,
    );
    expect(() => control.set('tenancy', 'create_tenants', { kind: 'hang' })).toThrow(
      /does not serve/,
    );
    expect(() => control.setMetric('tenancy', 'create_tenant', { value: 1 })).toThrow(
      /not a metric intent/,
    );
  });
});

describe('behaviours chosen at start', () => {
  it('reads --behave and --metric flags', () => {
    expect(parseBehaveFlag('tenancy/create_tenant@acme=fail:2')).toEqual({
      ok: true,
      value: {
        agent: 'tenancy',
        intent: 'create_tenant',
        clientId: 'acme',
        behaviour: { kind: 'fail', times: 2 },
      },
    });
    expect(parseBehaveFlag('quality/capture_search_baseline=slow:250')).toMatchObject({
      ok: true,
      value: { behaviour: { kind: 'slow', delayMs: 250 } },
    });
    expect(parseBehaveFlag('tenancy/open_tenant=garbage:message')).toMatchObject({
      ok: true,
      value: { behaviour: { kind: 'garbage', variant: 'message' } },
    });
    expect(parseMetricFlag('quality/measure_search_quality@acme=70')).toEqual({
      ok: true,
      value: { agent: 'quality', intent: 'measure_search_quality', clientId: 'acme', value: 70 },
    });
    expect(parseMetricFlag('security/security_scan_status=false')).toMatchObject({
      ok: true,
      value: { value: false },
    });
  });

  it.each([
    'tenancy=hang',
    'tenancy/create_tenant=explode',
    'tenancy/create_tenant=slow',
    'a/b=fail:-1',
  ])('refuses the flag --behave %s with a reason', (flag) => {
    expect(parseBehaveFlag(flag)).toMatchObject({
      ok: false,
      error: expect.stringContaining(flag) as string,
    });
  });

  it('reads a plan file and names the entry that is wrong', () => {
    expect(
      parsePlan({
        behaviours: [{ agent: 'tenancy', intent: 'create_tenant', behaviour: { kind: 'reject' } }],
        metrics: [
          {
            agent: 'operations',
            intent: 'critical_bug_count',
            value: 2,
            heldSince: '2026-01-01T00:00:00Z',
          },
        ],
      }),
    ).toMatchObject({ ok: true });
    expect(
      parsePlan({
        metrics: [{ agent: 'quality', intent: 'measure_search_quality', value: 'high' }],
      }),
    ).toEqual({
      ok: false,
      error: 'metrics[0]: "value" is a number, true, false or null',
    });
    expect(
      parsePlan({ behaviours: [{ agent: 'tenancy', behaviour: { kind: 'hang' } }] }),
    ).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^behaviours\[0\]/) as string,
    });
  });

  it('applies the plan when the agents start', async () => {
    const agents = await startExampleAgents({
      portBase: 0,
      plan: {
        behaviours: [
          { agent: 'security', intent: 'security_scan_status', behaviour: { kind: 'reject' } },
        ],
      },
    });
    expect(agents.behaviour.next('security', 'security_scan_status', undefined)).toEqual({
      kind: 'reject',
    });
    await agents.close();
  });
});

describe('an example agent', () => {
  it('rejects a message that does not follow the contract, and counts it', async () => {
    const agents = await startExampleAgents({ portBase: 0 });
    const client = await new ClientFactory().createFromUrl(agents.urls.tenancy);
    const reply = await client.sendMessage({
      tenant: '',
      message: {
        messageId: 'free-text',
        contextId: '',
        taskId: '',
        role: Role.ROLE_USER,
        parts: [
          {
            content: { $case: 'text', value: 'make me a tenant' },
            metadata: undefined,
            filename: '',
            mediaType: 'text/plain',
          },
        ],
        metadata: undefined,
        extensions: [],
        referenceTaskIds: [],
      },
      configuration: undefined,
      metadata: undefined,
    });
    expect('status' in reply && reply.status?.state).toBe(TaskState.TASK_STATE_REJECTED);
    expect(agents.counters.messages({ agentId: 'tenancy' })).toHaveLength(1);
    await agents.close();
  });

  it('does not leave agents listening when a port is taken', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const taken = (blocker.address() as AddressInfo).port;
    // The second agent (connectors) collides: the first must be closed again.
    await expect(startExampleAgents({ portBase: taken - 1 })).rejects.toThrow(/EADDRINUSE/);
    await new Promise((resolve) => blocker.close(resolve));
  });
});

describe('examples/agents/main.ts', () => {
  it('prints the URLs and stops cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'examples/agents/main.ts', '--port-base', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('ready')) {
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
    });
    expect(output).toMatch(/^tenancy\s+http:\/\/127\.0\.0\.1:\d+$/m);
    expect(output).toMatch(/^operations\s+http:\/\/127\.0\.0\.1:\d+$/m);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
