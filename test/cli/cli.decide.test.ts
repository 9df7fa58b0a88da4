import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, journey, startServer, type RunningServer } from './journey-binary.js';

/**
 * `journey decide`: the built binary against a real `journey serve` (default playbook, example
 * agents). `acme` waits for its demo approval with search quality passed; `murky` has its
 * search quality source failing, so once the demo is approved its gate waits for a decision.
 */

let server: RunningServer;
beforeAll(async () => {
  await ensureBuilt();
  server = await startServer();
  server.agents.behaviour.set(
    'quality',
    'measure_search_quality',
    { kind: 'fail', message: 'quality service down' },
    { clientId: 'murky' },
  );
  for (const clientId of ['acme', 'murky']) {
    expect((await journey(['start', clientId], server.env('admin'))).code).toBe(0);
    expect((await journey(['watch', clientId], server.env('viewer'))).code).toBe(0);
  }
}, 90_000);
afterAll(async () => {
  await server?.close();
});

function errorLine(stderr: string): string {
  return stderr.split('\n').find((line) => line.startsWith('error: ')) ?? '';
}

describe('journey decide', () => {
  it('checks its arguments before any request: exit 64', async () => {
    const runs = await Promise.all([
      journey(['decide', 'acme', 'search_quality', 'maybe', '--reason', 'x']),
      journey(['decide', 'acme', 'search_quality', 'accept']),
      journey(['decide', 'acme', 'search_quality', 'accept', '--reason', '  ']),
      journey(['decide', 'Not A Slug', 'search_quality', 'accept', '--reason', 'x']),
    ]);
    expect(runs.map((run) => run.code)).toEqual([64, 64, 64, 64]);
    expect(errorLine(runs[0]?.stderr ?? '')).toContain('"maybe" is not a decision');
  });

  it('refuses a criterion that is not inconclusive (3), an unknown one (66), a viewer (77)', async () => {
    const [passed, approval, unknown, viewer, nobody] = await Promise.all([
      journey(
        ['decide', 'acme', 'search_quality', 'accept', '--reason', 'x', '--json'],
        server.env('operator'),
      ),
      journey(
        ['decide', 'acme', 'demo_approved', 'reject', '--reason', 'x'],
        server.env('operator'),
      ),
      journey(['decide', 'acme', 'no_such', 'accept', '--reason', 'x'], server.env('operator')),
      journey(
        ['decide', 'acme', 'search_quality', 'accept', '--reason', 'x'],
        server.env('viewer'),
      ),
      journey(
        ['decide', 'nobody', 'search_quality', 'accept', '--reason', 'x'],
        server.env('operator'),
      ),
    ]);
    expect(passed.code).toBe(3);
    expect(JSON.parse(passed.stdout)).toMatchObject({
      status: 409,
      code: 'CRITERION_NOT_INCONCLUSIVE',
    });
    expect(approval.code).toBe(3);
    expect(errorLine(approval.stderr)).toMatch(/\[CRITERION_NOT_INCONCLUSIVE\]$/);
    expect(unknown.code).toBe(66);
    expect(errorLine(unknown.stderr)).toMatch(/\[UNKNOWN_CRITERION\]$/);
    expect(viewer.code).toBe(77);
    expect(nobody.code).toBe(66);
  });

  it('accepts an inconclusive criterion; the evidence records the decision', async () => {
    expect(
      (await journey(['approve', 'murky', 'demo_approved'], server.env('operator'))).code,
    ).toBe(0);
    const deadline = Date.now() + 20_000;
    let status = '';
    while (Date.now() < deadline) {
      status = (await journey(['status', 'murky'], server.env('viewer'))).stdout;
      if (/search_quality inconclusive/.test(status)) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toMatch(/search_quality inconclusive/);
    const decided = await journey(
      ['decide', 'murky', 'search_quality', 'accept', '--reason', 'quality service outage'],
      server.env('operator'),
    );
    expect(decided.code, decided.stderr).toBe(0);
    expect(decided.stdout).toMatch(
      /^murky: search_quality accepted \(counts as passed while inconclusive\); journey /,
    );
    const evidence = await journey(['evidence', 'murky', '--json'], server.env('viewer'));
    const body = JSON.parse(evidence.stdout) as { visits: { records: { kind: string }[] }[] };
    expect(body.visits[0]?.records).toContainEqual(
      expect.objectContaining({
        kind: 'inconclusive_resolved',
        criterionId: 'search_quality',
        decision: 'accept',
        by: 'operator',
        reason: 'quality service outage',
      }),
    );
    const markdown = await journey(['evidence', 'murky'], server.env('viewer'));
    expect(markdown.stdout).toMatch(
      /\*\*search\\_quality\*\* accepted by operator while inconclusive/,
    );
  });
});
