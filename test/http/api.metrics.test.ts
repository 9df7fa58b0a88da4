import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiMetrics } from '../../src/http/metrics.js';
import { startApiServer, type RunningApiServer } from '../../src/http/server.js';
import { ApiTokens } from '../../src/http/tokens.js';
import { forEachBackend } from '../support/backends.js';
import { startTestEngine, type EngineHarness } from '../support/engine-harness.js';
import { manualPlaybook } from './api-harness.js';

/**
 * `GET /metrics` with the engine reporting to the API's metrics, as `journey serve` wires them:
 * journeys by stage from the read models, transitions, rollbacks, setup and task durations,
 * the queue, and the relay's outlet metrics.
 */

const TOKEN = 'metrics-operator-token-0123456789';

forEachBackend((backend) => {
  const metrics = new ApiMetrics({ processMetrics: false });
  let harness: EngineHarness;
  let server: RunningApiServer;
  beforeAll(async () => {
    const { store } = await backend.freshDatabase();
    harness = await startTestEngine(store, backend.clock, {
      playbook: await manualPlaybook(),
      engineMetrics: metrics.engine,
    });
    server = await startApiServer({
      orchestrator: harness.engine.orchestrator,
      store,
      clock: backend.clock,
      tokens: ApiTokens.of([{ name: 'ada', role: 'admin', token: TOKEN }]),
      version: '0.0.0-test',
      metrics,
      host: '127.0.0.1',
      port: 0,
    });
  });
  afterAll(async () => {
    await server?.close();
    await harness?.engine.stop();
  });

  const post = async (path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
  };
  const scrape = async () => (await fetch(`${server.url}/metrics`)).text();

  it('counts journeys by stage, transitions, rollbacks and durations as the engine commits them', async () => {
    await post('/v1/journeys', { clientId: 'm-pilot' });
    await post('/v1/journeys', { clientId: 'm-cancelled' });
    await post('/v1/journeys', { clientId: 'm-sandbox' });
    await harness.settle();
    expect(await scrape()).toMatch(/journey_work_queue_depth \d+/);
    await post('/v1/journeys/m-pilot/approvals', { criterion: 'demo_approved' });
    await post('/v1/journeys/m-pilot/promotions', { to: 'pilot' });
    await harness.settle();
    await post('/v1/journeys/m-pilot/rollback', { reason: 'pilot unhappy' });
    await harness.settle();
    await post('/v1/journeys/m-pilot/approvals', { criterion: 'demo_approved' });
    await post('/v1/journeys/m-pilot/promotions', { to: 'pilot' });
    await post('/v1/journeys/m-cancelled/cancel', { reason: 'client left' });

    const text = await scrape();
    for (const [stage, count] of Object.entries({
      sandbox: 1,
      pilot: 1,
      production: 0,
      rollback: 0,
      completed: 0,
      cancelled: 1,
    })) {
      expect(text).toContain(`journeys_by_stage{stage="${stage}"} ${count}`);
    }
    expect(text).toContain(
      'journey_stage_transitions_total{kind="promotion",from="sandbox",to="pilot"} 2',
    );
    expect(text).toContain(
      'journey_stage_transitions_total{kind="rollback_completed",from="rollback",to="sandbox"} 1',
    );
    expect(text).toContain('journey_stage_duration_seconds_count{from="sandbox",to="cancelled"} 1');
    expect(text).toContain('journey_rollbacks_total{from="pilot",to="sandbox",trigger="manual"} 1');
    // Three sandbox setups and the first pilot visit's.
    expect(text).toContain('journey_stage_setup_duration_seconds_count{stage="sandbox"} 3');
    expect(text).toContain('journey_stage_setup_duration_seconds_count{stage="pilot"} 1');
    expect(text).toMatch(
      /journey_task_attempt_duration_seconds_count\{intent="create_tenant",outcome="succeeded"\} [1-9]/,
    );
    expect(text).toMatch(/journey_work_queue_lag_seconds \d/);
  });

  it("shows the relay's deliveries, failures by reason, dead letters and lag per outlet", async () => {
    metrics.relay.delivered('webhook:crm', 3);
    metrics.relay.failed('webhook:crm', 'timeout');
    metrics.relay.failed('webhook:crm');
    // A reason outside the closed set (a caller without types) is counted as other.
    metrics.relay.failed('webhook:crm', 'Error: connect ECONNREFUSED' as never);
    metrics.relay.deadLettered('webhook:crm');
    metrics.relay.lag('webhook:crm', 1.5);
    metrics.relay.lag('nats', -2);
    const text = await scrape();
    expect(text).toContain('journey_outlet_deliveries_total{outlet="webhook:crm"} 3');
    expect(text).toContain(
      'journey_outlet_delivery_failures_total{outlet="webhook:crm",reason="timeout"} 1',
    );
    expect(text).toContain(
      'journey_outlet_delivery_failures_total{outlet="webhook:crm",reason="other"} 2',
    );
    expect(text).toContain('journey_outlet_dead_letters_total{outlet="webhook:crm"} 1');
    expect(text).toContain('journey_outlet_lag_seconds{outlet="webhook:crm"} 1.5');
    expect(text).toContain('journey_outlet_lag_seconds{outlet="nats"} 0');
  });
});
