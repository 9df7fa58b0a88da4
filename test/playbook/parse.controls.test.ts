import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DAY, HOUR } from '../../src/domain/time.js';
import { activeFreezes, type FreezeWindow } from '../../src/playbook/freeze-window.js';
import { parsePlaybook } from '../../src/playbook/load.js';
import { formatProblem } from '../../src/playbook/problems.js';
import { toPlaybookDocument } from '../../src/playbook/serialize.js';

/** A valid playbook with extra text: `soak` in the pilot stage, `tail` at the top level. */
function playbookText(options: { soak?: string; tail?: string } = {}): string {
  return `apiVersion: journey-orchestrator/v1
kind: Playbook
name: inline
version: 1
stages:
  sandbox: { setup: { tasks: [] }, exitCriteria: [] }
  pilot:
    setup: { tasks: [] }
    exitCriteria: []
${options.soak === undefined ? '' : `    soakTime: ${options.soak}\n`}  production: { setup: { tasks: [] }, exitCriteria: [] }
${options.tail ?? ''}`;
}

function parsed(text: string) {
  const result = parsePlaybook(text, 'inline.yaml');
  if (!result.ok) {
    throw new Error(result.problems.map(formatProblem).join('\n'));
  }
  return result.playbook;
}

function problemsIn(text: string): string[] {
  const result = parsePlaybook(text, 'inline.yaml');
  return result.ok ? [] : result.problems.map(formatProblem);
}

const FREEZES = `freezes:
  - id: year-end
    description: Year-end change freeze
    from: '2026-12-20T00:00'
    to: '2027-01-04T00:00'
    timezone: Europe/Berlin
  - id: weekend
    schedule: '0 18 * * 5'
    duration: 60h
    timezone: Europe/Berlin
`;

describe('playbook: soak time and freezes', () => {
  it('reads a stage soak time; stages without one have none', () => {
    const playbook = parsed(playbookText({ soak: '3d' }));
    expect(playbook.stages.pilot.soakTime).toBe(3 * DAY);
    expect(playbook.stages.sandbox.soakTime).toBe(0);
    expect(problemsIn(playbookText({ soak: '300' }))[0]).toContain('stages.pilot.soakTime');
  });

  it('reads one-off and recurring freezes, local times in their time zone', () => {
    const playbook = parsed(playbookText({ tail: FREEZES }));
    expect(playbook.freezes).toEqual<FreezeWindow[]>([
      {
        id: 'year-end',
        description: 'Year-end change freeze',
        timezone: 'Europe/Berlin',
        kind: 'once',
        from: '2026-12-19T23:00:00.000Z',
        to: '2027-01-03T23:00:00.000Z',
      },
      {
        id: 'weekend',
        timezone: 'Europe/Berlin',
        kind: 'recurring',
        schedule: '0 18 * * 5',
        duration: 60 * HOUR,
      },
    ]);
    expect(parsed(playbookText()).freezes).toEqual([]);
  });

  it('survives a round trip through the playbook format', () => {
    const playbook = parsed(playbookText({ soak: '3d', tail: FREEZES }));
    expect(parsed(stringify(toPlaybookDocument(playbook)))).toEqual(playbook);
  });

  it('lists every problem of a freeze with its path', () => {
    const problems = problemsIn(
      playbookText({
        tail: `freezes:
  - { id: a, schedule: '61 * * * *', duration: 1h }
  - { id: b, from: 'soon', to: '2026-01-01T00:00Z' }
  - { id: c, from: '2026-01-02T00:00Z', to: '2026-01-01T00:00Z' }
  - { id: d, schedule: '0 0 * * *', duration: 1h, from: '2026-01-01T00:00Z' }
  - { id: e, schedule: '0 0 * * *', duration: 1h, timezone: Mars/Olympus }
  - { id: f, schedule: '0 0 * * *' }
  - { id: g }
`,
      }),
    );
    expect(problems).toHaveLength(7);
    expect(problems[0]).toMatch(/freezes\[0\]\.schedule .*61/);
    expect(problems[1]).toMatch(/freezes\[1\]\.from .*not an ISO 8601/);
    expect(problems[2]).toMatch(/freezes\[2\]\.to .*must be after from/);
    expect(problems[3]).toMatch(/freezes\[3\].*not both/);
    expect(problems[4]).toMatch(/freezes\[4\]\.timezone .*Mars\/Olympus/);
    expect(problems[5]).toMatch(/freezes\[5\].*missing key 'duration'/);
    expect(problems[6]).toMatch(/freezes\[6\].*give from and to/);
  });
});

describe('freeze windows in force', () => {
  const [yearEnd, weekend] = parsed(playbookText({ tail: FREEZES })).freezes.map((window) => ({
    window,
    scope: 'playbook' as const,
  }));
  const at = (instant: string, windows = [yearEnd!, weekend!]) =>
    activeFreezes(windows, instant).map((f) => `${f.freezeId} until ${f.until}`);

  it('a one-off freeze holds from `from` up to `to`', () => {
    const only = [yearEnd!];
    expect(at('2026-12-19T22:59:59.999Z', only)).toEqual([]);
    expect(at('2026-12-23T10:00:00.000Z', only)).toEqual([
      'year-end until 2027-01-03T23:00:00.000Z',
    ]);
    expect(at('2027-01-03T23:00:00.000Z', only)).toEqual([]);
  });

  it('a recurring freeze holds for its duration after each start, in its time zone', () => {
    // Friday 18:00 in Berlin (CET, UTC+1) is 17:00 UTC; 60 h later is Monday 05:00 UTC.
    expect(at('2026-01-02T16:59:00.000Z')).toEqual([]);
    expect(at('2026-01-02T17:00:00.000Z')).toEqual(['weekend until 2026-01-05T05:00:00.000Z']);
    expect(at('2026-01-04T12:00:00.000Z')).toEqual(['weekend until 2026-01-05T05:00:00.000Z']);
    expect(at('2026-01-05T05:00:00.000Z')).toEqual([]);
    // Summer time (CEST, UTC+2): the same local start is 16:00 UTC.
    expect(at('2026-07-03T16:30:00.000Z')).toEqual(['weekend until 2026-07-06T04:00:00.000Z']);
  });

  it('starts that follow before the end make one stretch', () => {
    const hourly = parsed(
      playbookText({ tail: `freezes: [{ id: h, schedule: '0 9-11 * * *', duration: 90m }]\n` }),
    ).freezes[0]!;
    expect(
      activeFreezes([{ window: hourly, scope: 'global' }], '2026-03-10T09:10:00.000Z'),
    ).toEqual([
      {
        freezeId: 'h',
        scope: 'global',
        from: '2026-03-10T09:00:00.000Z',
        until: '2026-03-10T12:30:00.000Z',
      },
    ]);
  });
});
