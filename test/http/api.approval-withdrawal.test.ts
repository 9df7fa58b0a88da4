import { describe, expect, it } from 'vitest';
import { readJourneyEvents } from '../../src/application/queries/journey-events.js';
import { forEachBackend } from '../support/backends.js';
import { NAMES, useApi } from './api-harness.js';
import { expectProblem } from './expect-problem.js';

/** A rejection blocks the gate until its approver withdraws it (issue 8, approvals as policy). */
forEachBackend((backend) => {
  const api = useApi(backend);
  const blockerCodes = async (clientId: string) => {
    const readiness = await api.request('GET', `/v1/journeys/${clientId}/readiness`, {
      as: 'viewer',
    });
    return (readiness.json.blockers as { code: string }[]).map((blocker) => blocker.code);
  };

  describe('DELETE /v1/journeys/{clientId}/approvals/{criterion}', () => {
    it('withdraws the caller’s rejection: it stops blocking, the gate is judged again', async () => {
      expect(
        (await api.request('POST', '/v1/journeys', { body: { clientId: 'withdraw-1' } })).status,
      ).toBe(201);
      await api.settle();
      const rejected = await api.request('POST', '/v1/journeys/withdraw-1/approvals', {
        as: 'operator',
        body: { criterion: 'demo_approved', decision: 'rejected', comment: 'demo not shown yet' },
      });
      expect(rejected.status).toBe(201);
      expect(await blockerCodes('withdraw-1')).toContain('APPROVAL_REJECTED');

      expect(
        (
          await api.request('DELETE', '/v1/journeys/withdraw-1/approvals/demo_approved', {
            as: 'viewer',
          })
        ).status,
      ).toBe(403);
      // Only one's own decision can be withdrawn: the admin has none.
      expectProblem(
        await api.request('DELETE', '/v1/journeys/withdraw-1/approvals/demo_approved', {
          as: 'admin',
        }),
        404,
        'APPROVAL_NOT_FOUND',
      );
      const withdrawn = await api.request(
        'DELETE',
        '/v1/journeys/withdraw-1/approvals/demo_approved?reason=shown%20after%20all',
        { as: 'operator' },
      );
      expect(withdrawn.status).toBe(200);
      await api.settle();
      const codes = await blockerCodes('withdraw-1');
      expect(codes).not.toContain('APPROVAL_REJECTED');
      expect(codes).toContain('APPROVAL_PENDING');

      const journey = await api.store.findJourneyByClientId('withdraw-1');
      const events = await readJourneyEvents(api.store, journey?.journeyId ?? '');
      const revoked = events.find((e) => e.type === 'ApprovalRevoked');
      expect(revoked?.event).toMatchObject({
        criterionId: 'demo_approved',
        approverId: NAMES.operator,
        revokedBy: NAMES.operator,
        reason: 'shown after all',
      });
      // Withdrawing re-judges the gate (an evaluation follows the withdrawal).
      const after = events.slice(events.indexOf(revoked ?? events[0]!));
      expect(after.some((e) => e.type === 'ExitCriteriaEvaluated')).toBe(true);

      expect(
        (
          await api.request('DELETE', '/v1/journeys/withdraw-1/approvals/demo_approved?reason=', {
            as: 'operator',
          })
        ).status,
      ).toBe(400);
    });
  });
});
