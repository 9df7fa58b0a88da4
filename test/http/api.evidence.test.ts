import { expect, it } from 'vitest';
import { EvidenceSchema } from '../../src/http/schemas/evidence.js';
import { forEachBackend } from '../support/backends.js';
import { manualPlaybook, NAMES, useApi } from './api-harness.js';
import { expectProblem } from './expect-problem.js';

/** A failed gate, an approval, a promotion and a rollback, then the evidence as JSON and Markdown. */
forEachBackend((backend) => {
  const api = useApi(backend, { playbook: manualPlaybook });

  it('keeps every evaluation and decision by stage visit, as JSON and as a Markdown report', async () => {
    expect(
      (await api.request('POST', '/v1/journeys', { body: { clientId: 'proof' } })).status,
    ).toBe(201);
    await api.settle();
    expect(
      (await api.request('POST', '/v1/journeys/proof/promotions', { as: 'operator' })).status,
    ).toBe(422);
    const comment = 'Great demo | <b>really</b>\nsecond line';
    expect(
      (
        await api.request('POST', '/v1/journeys/proof/approvals', {
          as: 'operator',
          body: { criterion: 'demo_approved', comment },
        })
      ).status,
    ).toBe(201);
    await api.settle();
    expect(
      (
        await api.request('POST', '/v1/journeys/proof/promotions', {
          as: 'operator',
          body: { reason: 'demo went well' },
        })
      ).status,
    ).toBe(200);
    await api.settle();
    expect(
      (
        await api.request('POST', '/v1/journeys/proof/rollback', {
          as: 'admin',
          body: { reason: 'pilot users unhappy' },
        })
      ).status,
    ).toBe(202);
    await api.settle();

    const response = await api.request('GET', '/v1/journeys/proof/evidence', { as: 'viewer' });
    expect(response.status).toBe(200);
    const evidence = EvidenceSchema.parse(response.body);
    expect(evidence).toMatchObject({
      clientId: 'proof',
      startedBy: NAMES.admin,
      currentStage: 'sandbox',
    });
    expect(evidence.visits.map((v) => [v.stage, v.visit])).toEqual([
      ['sandbox', 1],
      ['pilot', 1],
      ['rollback', 1],
      ['sandbox', 2],
    ]);
    const [sandbox, pilot, rollback, back] = evidence.visits;
    expect(sandbox?.leftAt).toBe(pilot?.enteredAt);
    expect(back?.leftAt).toBeNull();
    const kinds = sandbox?.records.map((r) =>
      r.kind === 'evaluation' ? `evaluation:${r.trigger}` : r.kind,
    );
    expect(kinds).toEqual([
      'evaluation:setup_completed',
      'evaluation:promotion',
      'approval',
      'evaluation:approval',
      'evaluation:promotion',
      'promotion',
    ]);
    const failed = sandbox?.records[1];
    expect(failed).toMatchObject({ kind: 'evaluation', allPassed: false, by: NAMES.operator });
    const demo =
      failed?.kind === 'evaluation'
        ? failed.results.find((r) => r.criterionId === 'demo_approved')
        : undefined;
    expect(demo).toMatchObject({ source: 'approval', outcome: 'failed' });
    const quality =
      failed?.kind === 'evaluation'
        ? failed.results.find((r) => r.criterionId === 'search_quality')
        : undefined;
    expect(quality).toMatchObject({
      source: 'agent',
      observed: 92,
      threshold: 80,
      comparator: 'gt',
      outcome: 'passed',
      evaluatedAt: expect.any(String) as string,
    });
    expect(sandbox?.records[2]).toEqual({
      kind: 'approval',
      at: expect.any(String) as string,
      decision: 'approved',
      criterionId: 'demo_approved',
      approverId: NAMES.operator,
      role: 'operator',
      by: NAMES.operator,
      comment,
    });
    expect(sandbox?.records[5]).toMatchObject({
      kind: 'promotion',
      fromStage: 'sandbox',
      toStage: 'pilot',
      by: NAMES.operator,
      reason: 'demo went well',
    });
    const promotion = sandbox?.records[5];
    expect(
      promotion?.kind === 'promotion' && promotion.results.every((r) => r.outcome === 'passed'),
    ).toBe(true);
    expect(pilot?.records.at(-1)).toMatchObject({
      kind: 'rollback_initiated',
      fromStage: 'pilot',
      toStage: 'sandbox',
      by: NAMES.admin,
      reason: 'pilot users unhappy',
    });
    expect(rollback?.records).toEqual([
      expect.objectContaining({ kind: 'rollback_completed', toStage: 'sandbox' }),
    ]);

    const markdown = await api.request('GET', '/v1/journeys/proof/evidence?format=markdown', {
      as: 'viewer',
    });
    expect(markdown.status).toBe(200);
    expect(markdown.contentType).toMatch(/^text\/markdown/);
    const report = String(markdown.body);
    for (const heading of [
      '# Evidence: proof',
      '## Sandbox',
      '## Pilot',
      '## Rollback',
      '## Sandbox (visit 2)',
    ]) {
      expect(report).toContain(`${heading}\n`);
    }
    expect(report).toContain('| Criterion | Source | Observed | Threshold | Outcome | Why |');
    expect(report).toContain('| Search quality');
    expect(report).toContain('Promoted from sandbox to pilot by otto');
    expect(report).toContain('Reason: pilot users unhappy.');
    // The comment stays on its line and inside its sentence: no table break, no markup.
    expect(report).toContain(
      '**demo\\_approved** approved by otto (operator): "Great demo \\| \\<b\\>really\\</b\\> second line"',
    );
    expect(report).not.toContain('<b>');
  });

  it('answers 404 without a journey and 400 for an unknown format', async () => {
    expectProblem(
      await api.request('GET', '/v1/journeys/nobody/evidence'),
      404,
      'JOURNEY_NOT_STARTED',
    );
    expectProblem(
      await api.request('GET', '/v1/journeys/proof/evidence?format=pdf'),
      400,
      'VALIDATION_FAILED',
    );
  });
});
