import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, journey, startServer, type RunningServer } from './journey-binary.js';

/**
 * The commands for the controls, readiness, evidence and sign-off links: the built binary
 * against a real `journey serve` (default playbook, example agents that answer at once), one
 * journey held in the sandbox by its demo approval, and each command's refusal.
 */

let server: RunningServer;
beforeAll(async () => {
  await ensureBuilt();
  server = await startServer();
  expect((await journey(['start', 'acme'], server.env('admin'))).code).toBe(0);
  // Until the sandbox gate waits for the demo approval.
  expect((await journey(['watch', 'acme'], server.env('viewer'))).code).toBe(0);
}, 90_000);
afterAll(async () => {
  await server?.close();
});

/** The one line an error is, without commander's hint line. */
function errorLine(stderr: string): string {
  return stderr.split('\n').find((line) => line.startsWith('error: ')) ?? '';
}

function parse<T>(stdout: string): T {
  return JSON.parse(stdout) as T;
}

describe('readiness, evidence and sign-off links', () => {
  it('lists what blocks the promotion, for people and as JSON', async () => {
    const human = await journey(['readiness', 'acme'], server.env('viewer'));
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^readiness +not ready \(1 blocker\): /m);
    expect(human.stdout).toMatch(/✗ +APPROVAL_PENDING +demo_approved +\S/);
    expect(human.stdout).toMatch(/^search_quality +metric +passed/m);
    const json = await journey(['readiness', 'acme', '--json'], server.env('viewer'));
    const body = parse<{ ready: boolean; nextStage: string; blockers: { code: string }[] }>(
      json.stdout,
    );
    expect(body).toMatchObject({ ready: false, nextStage: 'pilot' });
    expect(body.blockers.map((b) => b.code)).toEqual(['APPROVAL_PENDING']);
    const status = await journey(['status', 'acme', '--blockers'], server.env('viewer'));
    expect(status.stdout).toMatch(/^Blockers now: /m);
    expect(status.stdout).toMatch(/APPROVAL_PENDING +demo_approved/);
    const unknown = await journey(['readiness', 'nobody'], server.env('viewer'));
    expect(unknown.code).toBe(66);
  });

  it('issues a sign-off link: the URL alone on stdout, or the JSON', async () => {
    const human = await journey(
      ['sign-off-link', 'acme', 'demo_approved', '--expires-in', '2h', '--name', 'Jane Doe'],
      server.env('operator'),
    );
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^${server.url}/sign-off/v1\\.[\\w-]+\\.[\\w-]+\\n$`));
    expect(human.stderr).toMatch(/^single use, for demo_approved in sandbox by Jane Doe, until /);
    const json = await journey(
      ['sign-off-link', 'acme', 'demo_approved', '--note', 'the demo of today', '--json'],
      server.env('operator'),
    );
    expect(parse(json.stdout)).toMatchObject({ criterion: 'demo_approved', stage: 'sandbox' });
    const [notApproval, viewer, tooLong] = await Promise.all([
      journey(['sign-off-link', 'acme', 'search_quality'], server.env('operator')),
      journey(['sign-off-link', 'acme', 'demo_approved'], server.env('viewer')),
      journey(['sign-off-link', 'acme', 'demo_approved', '--expires-in', '31d'], {}),
    ]);
    expect(notApproval.code).toBe(4);
    expect(errorLine(notApproval.stderr)).toMatch(/\[NOT_AN_APPROVAL_CRITERION\]$/);
    expect(viewer.code).toBe(77);
    expect(tooLong.code).toBe(64);
    expect(errorLine(tooLong.stderr)).toContain("'--expires-in <duration>' argument '31d'");
  });

  it('lists the sign-off links and revokes one; refusals have their exit codes', async () => {
    const issued = parse<{ linkId: string; url: string }>(
      (
        await journey(
          ['sign-off-link', 'issue', 'acme', 'demo_approved', '--name', 'To Revoke', '--json'],
          server.env('operator'),
        )
      ).stdout,
    );
    const human = await journey(['sign-off-links', 'acme'], server.env('viewer'));
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^LINK ID +CRITERION +STAGE +STATUS +APPROVER +ISSUED/);
    expect(human.stdout).toMatch(
      new RegExp(`^${issued.linkId} +demo_approved +sandbox +open +To Revoke +`, 'm'),
    );
    expect(human.stdout).not.toContain(issued.url.split('.').at(-1));
    // A link id may start with "-": after `--`, it is never read as an option.
    const revoke = (id: string, env: Record<string, string>, ...options: string[]) =>
      journey(['sign-off-link', 'revoke', ...options, 'acme', '--', id], env);
    const [viewer, malformed, unknown] = await Promise.all([
      revoke(issued.linkId, server.env('viewer')),
      revoke('short', server.env('operator')),
      revoke('AAAAAAAAAAAAAAAAAAAAAA', server.env('operator')),
    ]);
    expect(viewer.code).toBe(77);
    expect(malformed.code).toBe(64);
    expect(errorLine(malformed.stderr)).toContain("value 'short' is invalid for argument 'linkId'");
    expect(unknown.code).toBe(66);
    expect(errorLine(unknown.stderr)).toMatch(/\[SIGN_OFF_LINK_NOT_FOUND\]$/);

    const revoked = await revoke(issued.linkId, server.env('operator'), '--reason', 'wrong person');
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toBe(
      `sign-off link ${issued.linkId} (demo_approved in sandbox) revoked\n`,
    );
    const again = await revoke(issued.linkId, server.env('operator'), '--json');
    expect(again.code).toBe(3);
    expect(parse(again.stdout)).toMatchObject({ code: 'SIGN_OFF_LINK_REVOKED' });
    const json = parse<{ items: { linkId: string; status: string; revokeReason: string }[] }>(
      (await journey(['sign-off-links', 'acme', '--json'], server.env('viewer'))).stdout,
    );
    expect(json.items.find((l) => l.linkId === issued.linkId)).toMatchObject({
      status: 'revoked',
      revokeReason: 'wrong person',
    });
    expect((await journey(['sign-off-links', 'nobody'], server.env('viewer'))).code).toBe(66);
    const page = await fetch(issued.url);
    expect(page.status).toBe(410);
  });

  it('prints the evidence as Markdown (the default) or JSON', async () => {
    const markdown = await journey(['evidence', 'acme'], server.env('viewer'));
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toMatch(/^# /);
    expect(markdown.stdout).toContain('| Demo approved by client | approval |');
    const [json, format] = await Promise.all([
      journey(['evidence', 'acme', '--json'], server.env('viewer')),
      journey(['evidence', 'acme', '--format', 'json'], server.env('viewer')),
    ]);
    const body = parse<{ clientId: string; visits: { stage: string }[] }>(json.stdout);
    expect(body.clientId).toBe('acme');
    expect(body.visits[0]?.stage).toBe('sandbox');
    expect(parse<{ clientId: string }>(format.stdout).clientId).toBe('acme');
    const contradiction = await journey(['evidence', 'acme', '--json', '--format', 'markdown']);
    expect(contradiction.code).toBe(64);
    expect((await journey(['evidence', 'nobody'], server.env('viewer'))).code).toBe(66);
  });
});

describe('pause and resume a journey', () => {
  it('pauses once, refuses a second pause with exit 3, and resumes', async () => {
    const pause = await journey(
      ['pause', 'acme', '--reason', 'client incident'],
      server.env('operator'),
    );
    expect(pause.code).toBe(0);
    expect(pause.stdout).toMatch(/^acme: paused in sandbox /);
    const status = await journey(['status', 'acme'], server.env('viewer'));
    expect(status.stdout).toMatch(/^paused +by operator since .+: client incident$/m);
    const again = await journey(
      ['pause', 'acme', '--reason', 'again', '--json'],
      server.env('operator'),
    );
    expect(again.code).toBe(3);
    expect(parse(again.stdout)).toMatchObject({ status: 409, code: 'JOURNEY_ALREADY_PAUSED' });
    const promote = await journey(['promote', 'acme'], server.env('operator'));
    expect(promote.code).toBe(3);
    expect(errorLine(promote.stderr)).toMatch(/\[JOURNEY_PAUSED\]$/);
    const resume = await journey(['resume', 'acme', '--json'], server.env('operator'));
    expect(resume.code).toBe(0);
    expect(parse(resume.stdout)).toMatchObject({ clientId: 'acme', paused: null });
    const human = await journey(['resume', 'acme'], server.env('operator'));
    expect(human.code).toBe(3);
    expect(errorLine(human.stderr)).toMatch(/\[JOURNEY_NOT_PAUSED\]$/);
    const [noReason, viewer] = await Promise.all([
      journey(['pause', 'acme'], server.env('operator')),
      journey(['pause', 'acme', '--reason', 'x'], server.env('viewer')),
    ]);
    expect(noReason.code).toBe(64);
    expect(viewer.code).toBe(77);
  });
});

describe('the fleet controls', () => {
  it('stops the line and resumes it (admin), shown to every role', async () => {
    const before = await journey(['controls'], server.env('viewer'));
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/^promotions +running \(not stopped\)$/m);
    const viewer = await journey(['controls', 'stop', '--reason', 'x'], server.env('viewer'));
    expect(viewer.code).toBe(77);
    const stop = await journey(
      ['controls', 'stop', '--reason', 'incident INC-42', '--json'],
      server.env('admin'),
    );
    expect(stop.code).toBe(0);
    expect(parse(stop.stdout)).toMatchObject({
      promotions: { paused: true, pausedBy: 'admin', reason: 'incident INC-42' },
    });
    const shown = await journey(['controls', 'show'], server.env('viewer'));
    expect(shown.stdout).toMatch(/^promotions +stopped by admin since .+: incident INC-42$/m);
    expect(shown.stdout).toMatch(/promotions_paused +- +admin +incident INC-42/);
    const twice = await journey(['controls', 'stop', '--reason', 'again'], server.env('admin'));
    expect(twice.code).toBe(3);
    expect(errorLine(twice.stderr)).toMatch(/\[PROMOTIONS_ALREADY_PAUSED\]$/);
    const resume = await journey(['controls', 'resume'], server.env('admin'));
    expect(resume.code).toBe(0);
    expect(resume.stdout).toBe('promotions resumed fleet-wide\n');
    const json = await journey(['controls', '--json'], server.env('viewer'));
    expect(parse(json.stdout)).toMatchObject({ promotions: { paused: false } });
  });

  it('adds a freeze, holds the promotion, lets an admin override it, removes the freeze', async () => {
    const usage = await Promise.all([
      journey(['freeze', 'add', '--id', 'now', '--from', '2020-01-01T00:00']),
      journey(['freeze', 'add', '--id', 'now', '--schedule', '0 18 * * 5', '--to', '2099-01-01']),
      journey(['freeze', 'add', '--id', 'now', '--schedule', '0 18 * * 5', '--duration', '1x']),
      journey(['freeze', 'add', '--id', 'x', '--from', 'a', '--to', 'b']),
      journey([
        'freeze',
        'add',
        '--id',
        'x',
        '--from',
        '2020-01-01',
        '--to',
        '2099-01-01',
        '--timezone',
        'Mars/Base',
      ]),
    ]);
    expect(usage.map((run) => run.code)).toEqual([64, 64, 64, 64, 64]);
    const add = [
      'freeze',
      'add',
      '--id',
      'now',
      '--from',
      '2020-01-01T00:00',
      '--to',
      '2099-01-01T00:00',
      '--timezone',
      'Europe/Berlin',
      '--reason',
      'test freeze',
    ];
    expect((await journey(add, server.env('operator'))).code).toBe(77);
    const added = await journey(add, server.env('admin'));
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^freeze now added \(in force now, until 2098-12-31T23:00:00/);
    const exists = await journey([...add, '--json'], server.env('admin'));
    expect(exists.code).toBe(3);
    expect(parse(exists.stdout)).toMatchObject({ code: 'FREEZE_EXISTS' });
    const list = await journey(['freeze', 'list'], server.env('viewer'));
    expect(list.stdout).toMatch(/^ID +WINDOW +TIME ZONE +IN FORCE/);
    // As written: local times in their time zone.
    expect(list.stdout).toMatch(
      /^now +2020-01-01T00:00 to 2099-01-01T00:00 +Europe\/Berlin +yes, until 2098-12-31 23:00/m,
    );
    const listed = parse<{ freezeId: string; status: string }[]>(
      (await journey(['freeze', '--json'], server.env('viewer'))).stdout,
    );
    expect(listed.map((f) => [f.freezeId, f.status])).toEqual([['now', 'valid']]);

    expect((await journey(['approve', 'acme', 'demo_approved'], server.env('operator'))).code).toBe(
      0,
    );
    const held = await journey(['promote', 'acme'], server.env('operator'));
    expect(held.code).toBe(3);
    expect(errorLine(held.stderr)).toMatch(/\[FREEZE_IN_FORCE\]$/);
    const operator = await journey(
      ['promote', 'acme', '--override-freeze', 'urgent fix'],
      server.env('operator'),
    );
    expect(operator.code).toBe(77);
    expect(errorLine(operator.stderr)).toMatch(/\[FREEZE_OVERRIDE_NOT_ALLOWED\]$/);
    const override = await journey(
      ['promote', 'acme', '--override-freeze', 'urgent fix'],
      server.env('admin'),
    );
    expect(override.code).toBe(0);
    expect(override.stdout).toMatch(/^acme: promoted to pilot /);
    const history = await journey(['history', 'acme', '--json'], server.env('viewer'));
    const promoted = parse<{ items: { type: string; data: unknown }[] }>(history.stdout).items.find(
      (event) => event.type === 'StagePromoted',
    );
    expect(JSON.stringify(promoted)).toContain('urgent fix');

    const removed = await journey(
      ['freeze', 'remove', 'now', '--reason', 'done'],
      server.env('admin'),
    );
    expect(removed.code).toBe(0);
    expect(removed.stdout).toBe('freeze now removed\n');
    expect((await journey(['freeze', 'remove', 'now'], server.env('admin'))).code).toBe(66);
  });
});
