import { describe, expect, it } from 'vitest';
import { parseOutletsFile, webhookSecret } from '../../src/config/outlets-file.js';
import { formatProblem } from '../../src/playbook/problems.js';

const GOOD = `
source: /acme/journeys
outlets:
  - name: monitoring
    type: webhook
    url: http://127.0.0.1:9000/hooks
    secretEnv: MONITORING_SECRET
    events: [JourneyStarted, StagePromoted, RollbackInitiated]
    timeout: 5s
    retry: { maxAttempts: 5, initialInterval: 200ms, maxInterval: 10s }
  - name: bus
    type: nats
    servers: nats://127.0.0.1:4222
    stream: JOURNEYS
    subject: journeys.events.{type}
    ensureStream: true
    startAt: beginning
`;

describe('the outlets file', () => {
  it('reads webhooks and NATS outlets with their filters, durations and policies', () => {
    const result = parseOutletsFile(GOOD);
    expect(result.ok).toBe(true);
    if (!result.ok) {
      return;
    }
    expect(result.file.source).toBe('/acme/journeys');
    const [monitoring, bus] = result.file.outlets;
    expect(monitoring).toMatchObject({
      type: 'webhook',
      timeout: 5_000,
      retry: { maxAttempts: 5, initialInterval: 200, maxInterval: 10_000 },
      events: ['JourneyStarted', 'StagePromoted', 'RollbackInitiated'],
    });
    expect(bus).toMatchObject({ type: 'nats', events: ['*'], startAt: 'beginning' });
    if (monitoring?.type === 'webhook') {
      expect(webhookSecret(monitoring, { MONITORING_SECRET: 'a-secret-of-enough-length' })).toBe(
        'a-secret-of-enough-length',
      );
      expect(() => webhookSecret(monitoring, {})).toThrow(/MONITORING_SECRET is not set/);
    }
  });

  it('lists every problem with its path and line', () => {
    const result = parseOutletsFile(
      [
        'outlets:',
        '  - name: Bad Name',
        '    type: webhook',
        '    url: ftp://example.com',
        '    events: [JourneyBegun]',
        '    timeout: soon',
        '  - name: bus',
        '    type: kafka',
        '  - name: twice',
        '    type: nats',
        '    servers: nats://x',
        '    stream: S',
        '    colour: blue',
      ].join('\n'),
      'outlets.yaml',
    );
    expect(result.ok).toBe(false);
    const lines = result.ok ? [] : result.problems.map(formatProblem);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^outlets\[0\]\.name \(line 2.*lower-case/),
        expect.stringMatching(/^outlets\[0\]\.url \(line 4.*http/),
        expect.stringMatching(/^outlets\[0\]\.events\[0\] \(line 5/),
        expect.stringMatching(/^outlets\[0\]\.timeout \(line 6.*not a duration/),
        expect.stringMatching(/^outlets\[1\]\.type \(line 8/),
        expect.stringMatching(/^outlets\[2\]\.colour \(line 13.*unknown key/),
      ]),
    );
  });

  it('refuses two outlets of one name, a webhook without a secret, and bad YAML', () => {
    const twice = parseOutletsFile(
      'outlets:\n  - {name: a, type: nats, servers: n, stream: S}\n  - {name: a, type: nats, servers: n, stream: T}\n',
    );
    expect(twice.ok ? [] : twice.problems.map(formatProblem)).toEqual([
      'outlets[1].name: "a" names two outlets',
    ]);
    const secretless = parseOutletsFile(
      'outlets:\n  - {name: a, type: webhook, url: "http://x"}\n',
    );
    expect(secretless.ok ? '' : formatProblem(secretless.problems[0]!)).toMatch(
      /exactly one of secret or secretEnv/,
    );
    const broken = parseOutletsFile('outlets: [\n');
    expect(broken.ok ? '' : broken.problems[0]?.kind).toBe('syntax');
  });
});
