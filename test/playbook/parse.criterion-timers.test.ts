import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { HOUR } from '../../src/domain/time.js';
import { parsePlaybook } from '../../src/playbook/load.js';
import { formatProblem } from '../../src/playbook/problems.js';
import { toPlaybookDocument } from '../../src/playbook/serialize.js';

/** A playbook whose sandbox has an approval and a metric criterion with the given extra keys. */
function playbookText(approval: string, metric: string): string {
  return `apiVersion: journey-orchestrator/v1
kind: Playbook
name: inline
version: 1
stages:
  sandbox:
    setup: { tasks: [] }
    exitCriteria:
      - id: demo_approved
        description: Demo approved
        source: { type: approval }
        policy: { roles: [client] }
${approval}
      - id: search_quality
        description: Search quality
        source: { type: agent, intent: measure_search_quality }
        comparator: gt
        threshold: 80
${metric}
  pilot: { setup: { tasks: [] }, exitCriteria: [] }
  production: { setup: { tasks: [] }, exitCriteria: [] }
`;
}

function parse(approval: string, metric: string) {
  return parsePlaybook(playbookText(approval, metric), 'inline.yaml');
}

function problemsIn(approval: string, metric: string): string[] {
  const result = parse(approval, metric);
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe('playbook: approval reminders and inconclusive deadlines', () => {
  it('reads remindAfter/remindEvery and inconclusiveDeadline/onDeadline (default escalate)', () => {
    const result = parse(
      '        remindAfter: 24h\n        remindEvery: 12h',
      '        inconclusiveDeadline: 4h',
    );
    if (!result.ok) {
      throw new Error(result.problems.map(formatProblem).join('\n'));
    }
    const [approval, metric] = result.playbook.stages.sandbox.exitCriteria;
    expect(approval?.kind === 'approval' && approval.reminder).toEqual({
      after: 24 * HOUR,
      every: 12 * HOUR,
    });
    expect(metric?.kind === 'metric' && metric.inconclusiveDeadline).toEqual({
      after: 4 * HOUR,
      onDeadline: 'escalate',
    });
    // It survives the trip back to a document.
    const again = parsePlaybook(stringify(toPlaybookDocument(result.playbook)), 'again.yaml');
    expect(again.ok && again.playbook).toEqual(result.playbook);
  });

  it('names the path of every problem', () => {
    const problems = problemsIn(
      '        remindEvery: soon\n        inconclusiveDeadline: 4h',
      '        onDeadline: ignore\n        remindAfter: 1h',
    );
    const text = problems.join('\n');
    expect(text).toContain('stages.sandbox.exitCriteria[0].remindEvery');
    expect(text).toMatch(/exitCriteria\[0\]\.remindEvery.*not a duration/);
    expect(text).toMatch(
      /exitCriteria\[0\]\.inconclusiveDeadline.*applies only to metric criteria/,
    );
    expect(text).toMatch(/exitCriteria\[1\]\.onDeadline.*escalate, accept, reject/);
    expect(text).toMatch(/exitCriteria\[1\]\.remindAfter.*applies only to approval criteria/);
  });

  it('refuses a repeat without a first reminder, an onDeadline without a deadline, and too short durations', () => {
    const text = problemsIn('        remindEvery: 1h', '        onDeadline: accept').join('\n');
    expect(text).toMatch(/exitCriteria\[0\]\.remindEvery.*needs remindAfter/);
    expect(text).toMatch(/exitCriteria\[1\]\.onDeadline.*set inconclusiveDeadline too/);
    expect(problemsIn('        remindAfter: 10ms', '').join('\n')).toMatch(
      /exitCriteria\[0\]\.remindAfter.*at least 1s/,
    );
  });
});
