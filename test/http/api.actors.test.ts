import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/application/ports.js';
import { readJourneyEvents } from '../../src/application/queries/journey-events.js';
import type { Playbook } from '../../src/playbook/index.js';
import { forEachBackend } from '../support/backends.js';
import {
  manualPlaybook,
  NAMES,
  useApi,
  type Api,
  type ApiResponse,
  type Caller,
} from './api-harness.js';
import { expectProblem } from './expect-problem.js';

/**
 * Who did what: for every command route, the token's name is the `causedBy` of each event the
 * request committed, and the event's own actor field (startedBy, approverId, promotedBy, ...)
 * names it too. Events the engine commits later are the system's.
 */

type Tokened = Exclude<Caller, 'none' | 'bad'>;

/** Sends the request and returns it with the events it committed (not the engine's after it). */
async function commandEvents(
  api: Api,
  clientId: string,
  send: () => Promise<ApiResponse>,
): Promise<{ response: ApiResponse; events: StoredEvent[] }> {
  const journey = await api.store.findJourneyByClientId(clientId);
  const before = new Set(
    journey === null
      ? []
      : (await readJourneyEvents(api.store, journey.journeyId)).map((e) => e.eventId),
  );
  const response = await send();
  const after = await api.store.findJourneyByClientId(clientId);
  const events = (after === null ? [] : await readJourneyEvents(api.store, after.journeyId)).filter(
    (event) => !before.has(event.eventId) && event.metadata.causationId === null,
  );
  return { response, events: events.filter((event) => event.metadata.causedBy !== 'system') };
}

/** Every event of one request: caused by `as`, one correlation id; returns them by type. */
function expectCausedBy(events: readonly StoredEvent[], as: Tokened): Map<string, StoredEvent> {
  expect(events.length).toBeGreaterThan(0);
  for (const event of events) {
    expect(event.metadata.causedBy, event.type).toBe(NAMES[as]);
  }
  expect(new Set(events.map((event) => event.metadata.correlationId)).size).toBe(1);
  return new Map(events.map((event) => [event.type, event]));
}

/** The default playbook with the demo approval left to admins. */
async function adminApprovalPlaybook(): Promise<Playbook> {
  const playbook = await manualPlaybook();
  const sandbox = playbook.stages.sandbox;
  const exitCriteria = sandbox.exitCriteria.map((criterion) =>
    criterion.kind === 'approval'
      ? { ...criterion, policy: { ...criterion.policy, roles: ['admin'] } }
      : criterion,
  );
  return {
    ...playbook,
    stages: { ...playbook.stages, sandbox: { ...sandbox, exitCriteria } },
  };
}

forEachBackend((backend) => {
  describe('the default playbook', () => {
    const api = useApi(backend, { playbook: manualPlaybook });
    const post = (as: Tokened, path: string, body?: unknown) =>
      api.request('POST', path, { as, ...(body === undefined ? {} : { body }) });

    it('start, approve, promote, roll back, cancel, complete: each names its caller', async () => {
      const started = await commandEvents(api, 'who', () =>
        post('admin', '/v1/journeys', { clientId: 'who' }),
      );
      expect(started.response.status).toBe(201);
      expect(expectCausedBy(started.events, 'admin').get('JourneyStarted')?.event).toMatchObject({
        startedBy: NAMES.admin,
      });
      await api.settle();

      const approved = await commandEvents(api, 'who', () =>
        post('operator', '/v1/journeys/who/approvals', { criterion: 'demo_approved' }),
      );
      expect(approved.response.status).toBe(201);
      expect(
        expectCausedBy(approved.events, 'operator').get('ApprovalGranted')?.event,
      ).toMatchObject({ approverId: NAMES.operator, role: 'operator' });

      const rejected = await commandEvents(api, 'who', () =>
        post('admin', '/v1/journeys/who/approvals', {
          criterion: 'demo_approved',
          decision: 'rejected',
          comment: 'second opinion',
        }),
      );
      expect(rejected.response.status).toBe(201);
      expect(expectCausedBy(rejected.events, 'admin').get('ApprovalRejected')?.event).toMatchObject(
        {
          approverId: NAMES.admin,
          role: 'admin',
        },
      );
      await post('admin', '/v1/journeys/who/approvals', { criterion: 'demo_approved' });

      const promoted = await commandEvents(api, 'who', () =>
        post('operator', '/v1/journeys/who/promotions', { to: 'pilot' }),
      );
      expect(promoted.response.status).toBe(200);
      const promotion = expectCausedBy(promoted.events, 'operator');
      expect(promotion.get('StagePromoted')?.event).toMatchObject({ promotedBy: NAMES.operator });
      expect(promotion.get('ExitCriteriaEvaluated')?.event).toMatchObject({ trigger: 'promotion' });
      await api.settle();

      const rolledBack = await commandEvents(api, 'who', () =>
        post('operator', '/v1/journeys/who/rollback', { reason: 'pilot unhappy' }),
      );
      expect(rolledBack.response.status).toBe(202);
      expect(
        expectCausedBy(rolledBack.events, 'operator').get('RollbackInitiated')?.event,
      ).toMatchObject({ initiatedBy: NAMES.operator });
      await api.settle();

      const cancelled = await commandEvents(api, 'who', () =>
        post('admin', '/v1/journeys/who/cancel', { reason: 'client left' }),
      );
      expect(cancelled.response.status).toBe(200);
      expect(
        expectCausedBy(cancelled.events, 'admin').get('JourneyCancelled')?.event,
      ).toMatchObject({ cancelledBy: NAMES.admin });

      await post('admin', '/v1/journeys', { clientId: 'who-done' });
      await api.settle();
      await post('operator', '/v1/journeys/who-done/approvals', { criterion: 'demo_approved' });
      for (const stage of ['pilot', 'production']) {
        await api.settle();
        expect(
          (await post('operator', '/v1/journeys/who-done/promotions', { to: stage })).status,
        ).toBe(200);
      }
      await api.settle();
      const completed = await commandEvents(api, 'who-done', () =>
        post('admin', '/v1/journeys/who-done/promotions'),
      );
      expect(completed.response.status).toBe(200);
      expect(
        expectCausedBy(completed.events, 'admin').get('JourneyCompleted')?.event,
      ).toMatchObject({ completedBy: NAMES.admin });
    });

    it('retry and cancel of a unit of work name their caller, on the unit and the journey', async () => {
      api.agents.fail('install_connectors', Number.POSITIVE_INFINITY, false);
      await post('admin', '/v1/journeys', { clientId: 'who-units' });
      await api.settle({ maxAdvance: 60 * 60_000 });
      const failed = await api.store.findJourneyByClientId('who-units');
      const workId = failed?.state.setups.sandbox?.workId ?? '';
      api.agents.heal('install_connectors');
      api.agents.hang('capture_search_baseline');

      const retried = await commandEvents(api, 'who-units', () =>
        post('operator', `/v1/units-of-work/${workId}/retry`),
      );
      expect(retried.response.status).toBe(202);
      const retry = expectCausedBy(retried.events, 'operator');
      expect(retry.has('UnitOfWorkRetried')).toBe(true);
      expect(retry.get('StageSetupRetried')?.event).toMatchObject({ retriedBy: NAMES.operator });
      await api.settle();

      const cancelled = await commandEvents(api, 'who-units', () =>
        post('operator', `/v1/units-of-work/${workId}/cancel`, { reason: 'baseline hangs' }),
      );
      expect(cancelled.response.status).toBe(202);
      const cancel = expectCausedBy(cancelled.events, 'operator');
      expect(cancel.has('UnitOfWorkCancelled')).toBe(true);
      expect(cancel.has('StageSetupFailed')).toBe(true);
      await api.settle();
      api.agents.heal('capture_search_baseline');
    });
  });

  describe('a policy that leaves operators out', () => {
    const api = useApi(backend, { playbook: adminApprovalPlaybook });

    it('refuses an operator’s approval with 403 APPROVER_NOT_ALLOWED and records nothing', async () => {
      await api.request('POST', '/v1/journeys', { body: { clientId: 'strict' } });
      await api.settle();
      const refused = await commandEvents(api, 'strict', () =>
        api.request('POST', '/v1/journeys/strict/approvals', {
          as: 'operator',
          body: { criterion: 'demo_approved' },
        }),
      );
      expectProblem(refused.response, 403, 'APPROVER_NOT_ALLOWED');
      expect(refused.events).toEqual([]);
      expect(
        (
          await api.request('POST', '/v1/journeys/strict/approvals', {
            body: { criterion: 'demo_approved' },
          })
        ).status,
      ).toBe(201);
    });
  });
});
