import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, journey, startServer, TOKENS, type RunningServer } from './journey-binary.js';
import { runCli, tempDirectory } from './run-cli.js';

/**
 * The client commands as scripts and people use them: the built binary against a real
 * `journey serve` (default playbook, example agents that answer at once), one journey driven
 * from start to completion, and every exit code.
 */

let server: RunningServer;
beforeAll(async () => {
  await ensureBuilt();
  server = await startServer();
}, 60_000);
afterAll(async () => {
  await server?.close();
});

const ESCAPE = '\u001b[';

/** The one line an error is, without commander's hint line. */
function errorLine(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => line !== '');
  expect(lines.length).toBeLessThanOrEqual(2);
  return lines[0] ?? '';
}

describe('a journey driven by the client commands', () => {
  it('starts a journey (--json is the API answer)', async () => {
    const run = await journey(['start', 'acme', '--json'], server.env('admin'));
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout) as { clientId: string; currentStage: string };
    expect(body).toMatchObject({ clientId: 'acme', currentStage: 'sandbox' });
  });

  it('refuses a second active journey with exit 3 and the problem', async () => {
    const human = await journey(['start', 'acme'], server.env('admin'));
    expect(human.code).toBe(3);
    expect(human.stdout).toBe('');
    expect(errorLine(human.stderr)).toMatch(/^error: .+: .+ \[JOURNEY_ACTIVE\]$/);
    const json = await journey(['start', 'acme', '--json'], server.env('admin'));
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 409, code: 'JOURNEY_ACTIVE' });
  });

  it('watches the sandbox setup until the demo approval is awaited', async () => {
    const run = await journey(['watch', 'acme'], server.env('viewer'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✓ create_tenant +succeeded/);
    expect(run.stdout).toMatch(/✓ capture_search_baseline +succeeded/);
    expect(run.stdout).toContain('gate of sandbox: not met (3 of 4)');
    expect(run.stdout).toContain('waiting for a person: demo_approved failed: 0 of 1 approvals');
    expect(run.stdout).toContain('next: journey approve acme demo_approved');
    expect(run.stdout).not.toContain(ESCAPE);
  });

  it('shows the journey in detail, as a table row, and as JSON', async () => {
    const detail = await journey(['status', 'acme'], server.env('viewer'));
    expect(detail.code).toBe(0);
    expect(detail.stdout).toMatch(/^status +blocked: demo_approved failed: 0 of 1 approvals$/m);
    expect(detail.stdout).toContain('sandbox setup unit');
    expect(detail.stdout).toMatch(/^demo_approved +failed +0 approved/m);
    const list = await journey(['status', '--active'], server.env('viewer'));
    expect(list.stdout).toMatch(/^CLIENT +STAGE +STATUS/);
    expect(list.stdout).toMatch(/^acme +sandbox +blocked/m);
    const json = await journey(['status', 'acme', '--json'], server.env('viewer'));
    const body = JSON.parse(json.stdout) as { currentUnitOfWork: { tasks: unknown[] } };
    expect(body.currentUnitOfWork.tasks).toHaveLength(4);
  });

  it('refuses a promotion the gate does not allow with exit 4, a skip with exit 3', async () => {
    const refused = await journey(['promote', 'acme'], server.env('operator'));
    expect(refused.code).toBe(4);
    expect(errorLine(refused.stderr)).toMatch(/demo_approved.*\[EXIT_CRITERIA_NOT_MET\]$/);
    const skip = await journey(['promote', 'acme', '--to', 'production'], server.env('operator'));
    expect(skip.code).toBe(3);
    expect(errorLine(skip.stderr)).toMatch(/\[STAGE_SKIP\]$/);
  });

  it('refuses what a role may not do with exit 77', async () => {
    const [promote, approve] = await Promise.all([
      journey(['promote', 'acme'], server.env('viewer')),
      journey(['approve', 'acme', 'demo_approved'], server.env('viewer')),
    ]);
    for (const run of [promote, approve]) {
      expect(run.code).toBe(77);
      expect(errorLine(run.stderr)).toMatch(/\[FORBIDDEN\]$/);
    }
  });

  it('approves the demo, then the journey runs to completion by itself', async () => {
    const approve = await journey(
      ['approve', 'acme', 'demo_approved', '--comment', 'lovely'],
      server.env('operator'),
    );
    expect(approve.code).toBe(0);
    expect(approve.stdout).toMatch(/^acme: demo_approved approved; journey /);
    const watch = await journey(['watch', 'acme', '--json'], server.env('viewer'));
    expect(watch.code).toBe(0);
    expect(JSON.parse(watch.stdout)).toMatchObject({ currentStage: 'completed' });
    // Progress goes to stderr with --json; the agents answer at once, so it may be all done.
    expect(watch.stderr).toMatch(/^watching acme /);
    expect(watch.stderr).toContain('journey completed');
  });

  it('prints the timeline and the success metrics', async () => {
    const history = await journey(['history', 'acme'], server.env('viewer'));
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(
      /ApprovalGranted +demo_approved approved by operator \(operator\): "lovely"/,
    );
    expect(history.stdout).toMatch(/JourneyCompleted/);
    const brief = await journey(['history', 'acme', '--journey-only'], server.env('viewer'));
    expect(brief.stdout).not.toContain('TaskExecutionStarted');
    const events = JSON.parse(
      (await journey(['history', 'acme', '--json'], server.env('viewer'))).stdout,
    ) as {
      items: { type: string }[];
    };
    expect(events.items[0]?.type).toBe('JourneyStarted');
    const report = await journey(['report'], server.env('viewer'));
    expect(report.stdout).toMatch(/^time to production +median /m);
    const metrics = JSON.parse(
      (await journey(['report', '--json'], server.env('viewer'))).stdout,
    ) as {
      journeys: { byStage: { completed: number } };
    };
    expect(metrics.journeys.byStage.completed).toBe(1);
  });

  it('refuses to change an ended journey with exit 3', async () => {
    const cancel = await journey(
      ['cancel', 'acme', '--reason', 'too late'],
      server.env('operator'),
    );
    expect(cancel.code).toBe(3);
    expect(errorLine(cancel.stderr)).toMatch(/\[JOURNEY_TERMINAL\]$/);
  });

  it('cancels a journey, and refuses a rollback out of the sandbox', async () => {
    expect((await journey(['start', 'globex'], server.env('admin'))).code).toBe(0);
    const rollback = await journey(['rollback', 'globex', '--reason', 'x'], server.env('operator'));
    expect(rollback.code).toBe(3);
    const cancel = await journey(
      ['cancel', 'globex', '--reason', 'client left'],
      server.env('operator'),
    );
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toMatch(/^globex: journey .+ cancelled$/m);
  });
});

describe('errors a user can act on', () => {
  it('exits 66 for what does not exist', async () => {
    const status = await journey(['status', 'nobody'], server.env('viewer'));
    expect(status.code).toBe(66);
    expect(errorLine(status.stderr)).toMatch(/\[JOURNEY_NOT_STARTED\]$/);
    const retry = await journey(['retry', 'no-such-unit'], server.env('operator'));
    expect(retry.code).toBe(66);
  });

  it('exits 64 with one line naming a bad argument or option', async () => {
    const cases: [string[], RegExp][] = [
      [['status', 'not an id'], /argument 'clientId'/],
      [['rollback', 'acme'], /required option '--reason <text>' not specified/],
      [['rollback', 'acme', '--reason', '  '], /option '--reason <text>'/],
      [['status', '--limit', '0'], /option '--limit <n>'/],
      [['promote', 'acme', '--to', 'moon'], /option '--to <stage>' argument 'moon' is invalid/],
      [['status', '--colour'], /unknown option '--colour'/],
      [['approve', 'acme'], /missing required argument 'criterion'/],
      [['watch', 'acme', 'extra'], /too many arguments/],
      [['status', '--url', 'ftp://x'], /^error: --url: "ftp:\/\/x" must use http or https$/],
      [['status', '--token', 'two words'], /^error: --token: a token is one word without spaces$/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args, { environment: { databaseUrl: undefined } });
      expect(run.exitCode, args.join(' ')).toBe(64);
      expect(errorLine(run.err), args.join(' ')).toMatch(message);
    }
    // The binary ends with the same code and line (main.ts turns commander's error into it).
    const binary = await journey(['status', 'not an id'], server.env('viewer'));
    expect(binary.code).toBe(64);
    expect(errorLine(binary.stderr)).toMatch(/argument 'clientId'/);
  });

  it('exits 69 when no server answers', async () => {
    const port = await closedPort();
    const run = await journey(['status'], {
      JOURNEY_URL: `http://127.0.0.1:${port}`,
      JOURNEY_TOKEN: 'x',
    });
    expect(run.code).toBe(69);
    expect(errorLine(run.stderr)).toBe(
      `error: cannot reach the journey server at http://127.0.0.1:${port}: connection refused (is \`journey serve\` running?)`,
    );
  });

  it('exits 77 for a wrong token or none at all', async () => {
    const wrong = await journey(['status'], { JOURNEY_URL: server.url, JOURNEY_TOKEN: 'wrong' });
    expect(wrong.code).toBe(77);
    expect(errorLine(wrong.stderr)).toMatch(/\[UNAUTHORIZED\]$/);
    const dir = await tempDirectory();
    try {
      const none = await journey(['status'], {
        JOURNEY_URL: server.url,
        JOURNEY_DB: `sqlite:${join(dir.path, 'journeys.db')}`,
      });
      expect(none.code).toBe(77);
      expect(errorLine(none.stderr)).toContain(`${join(dir.path, 'admin.token')} exists`);
    } finally {
      await dir.remove();
    }
  });

  it('finds the local server token next to JOURNEY_DB, and --token wins over JOURNEY_TOKEN', async () => {
    const dir = await tempDirectory();
    try {
      await mkdir(dir.path, { recursive: true });
      await writeFile(join(dir.path, 'admin.token'), `${TOKENS.viewer}\n`, { mode: 0o600 });
      const env = {
        JOURNEY_URL: server.url,
        JOURNEY_DB: `sqlite:${join(dir.path, 'journeys.db')}`,
      };
      expect((await journey(['status'], env)).code).toBe(0);
      const flag = await journey(['status', '--token', TOKENS.viewer], {
        ...env,
        JOURNEY_TOKEN: 'wrong',
      });
      expect(flag.code).toBe(0);
    } finally {
      await dir.remove();
    }
  });

  it('shows the stack only with --verbose, the whole problem with --verbose on a refusal', async () => {
    const verbose = await journey(['status', 'nobody', '--verbose'], server.env('viewer'));
    expect(verbose.code).toBe(66);
    expect(JSON.parse(verbose.stderr.slice(verbose.stderr.indexOf('{')))).toMatchObject({
      code: 'JOURNEY_NOT_STARTED',
      status: 404,
    });
  });
});

describe('help', () => {
  it('lists the exit codes, and examples on every client command', async () => {
    const main = await journey(['--help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/^ {2}77 +not permitted/m);
    const names = ['start', 'status', 'watch', 'approve', 'promote', 'rollback', 'cancel'];
    for (const name of [...names, 'retry', 'history', 'report', 'demo']) {
      const help = await runCli([name, '--help']);
      expect(help.exitCode, name).toBe(0);
      expect(help.out, name).toContain('Examples:');
    }
  });
});

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 1;
}
