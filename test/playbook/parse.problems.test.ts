import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  loadPlaybookFile,
  loadPlaybookFileOrThrow,
  parsePlaybook,
} from '../../src/playbook/load.js';
import {
  formatProblem,
  PlaybookInvalidError,
  type PlaybookProblem,
} from '../../src/playbook/problems.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/playbooks/${name}`, import.meta.url));

async function problemsOf(name: string): Promise<readonly PlaybookProblem[]> {
  const result = await loadPlaybookFile(fixture(name));
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.problems;
}

function problemsIn(text: string): string[] {
  const result = parsePlaybook(text, 'inline.yaml');
  return result.ok ? [] : result.problems.map(formatProblem);
}

/** A valid playbook with `sandbox` replaced, for focused cases. */
function withSandbox(sandbox: string): string {
  return `apiVersion: journey-orchestrator/v1
kind: Playbook
name: inline
version: 1
agents:
  tenancy: { url: "http://127.0.0.1:7401" }
stages:
  sandbox:
${sandbox.replace(/^/gm, '    ')}
  pilot: { setup: { tasks: [] }, exitCriteria: [] }
  production: { setup: { tasks: [] }, exitCriteria: [] }
`;
}

describe('a bad playbook', () => {
  it('reports every problem, in source order, with its path, line and column', async () => {
    const problems = await problemsOf('bad.yaml');
    expect(problems.map(formatProblem)).toEqual([
      'name (line 4, col 7): "bad playbook" is not a valid id: it must start with a letter or digit and contain only letters, digits, ".", "_", ":" or "-" (at most 128 characters)',
      'version (line 5, col 10): must be > 0, got 0',
      'agents.dataops.url (line 8, col 19): "ftp://127.0.0.1:7403" must use http or https',
      'stages.sandbox.setup.tasks[0].timeout (line 17, col 20): "5 min" is not a duration (write e.g. 30s, 5m, 72h, 7d or 1h30m)',
      'stages.sandbox.exitCriteria[0].source.agent (line 21, col 39): unknown agent "connectors" (registered: tenancy, dataops)',
      'stages.sandbox.exitCriteria[0].comparator (line 22, col 21): "gt" cannot compare with a true/false threshold (use eq)',
      "stages.pilot.setup.tasks[1].dependOn (line 33, col 11): unknown key 'dependOn' (did you mean 'dependsOn'?)",
      'stages.pilot.setup.tasks[2].dependsOn[0] (line 38, col 15): unknown task "x"',
      'stages.pilot.setup.tasks[2].input.from (line 39, col 26): "${tasks.b.output.id}": task "b" is not upstream of this task (add it to dependsOn)',
      'stages.pilot.exitCriteria[0].greyBand (line 46, col 19): from (86) is greater than to (84)',
      'stages.pilot.exitCriteria[1].id (line 47, col 13): duplicate criterion id "quality" (exitCriteria[0] has the same id)',
      'stages.production.setup.tasks[0].dependsOn[0] (line 54, col 55): dependency cycle: p -> q -> r -> p',
    ]);
  });

  it('keeps each problem as data: kind, source, path, line, column, message', async () => {
    const problems = await problemsOf('bad.yaml');
    expect(problems.find((p) => p.path === 'stages.pilot.setup.tasks[2].dependsOn[0]')).toEqual({
      kind: 'semantic',
      source: fixture('bad.yaml'),
      path: 'stages.pilot.setup.tasks[2].dependsOn[0]',
      line: 38,
      column: 15,
      message: 'unknown task "x"',
    });
    expect(new Set(problems.map((p) => p.kind))).toEqual(new Set(['schema', 'semantic']));
  });

  it('throws PlaybookInvalidError listing every problem for callers that prefer it', async () => {
    const error = await loadPlaybookFileOrThrow(fixture('bad.yaml')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaybookInvalidError);
    const invalid = error as PlaybookInvalidError;
    expect(invalid.name).toBe('PlaybookInvalidError');
    expect(invalid.problems).toHaveLength(12);
    expect(invalid.message.split('\n')).toHaveLength(13);
    expect(invalid.message).toContain(
      '  stages.pilot.setup.tasks[2].dependsOn[0] (line 38, col 15): unknown task "x"',
    );
  });
});

describe('text that is not a playbook', () => {
  it('reports YAML syntax errors with their position', async () => {
    const problems = await problemsOf('syntax-error.txt');
    expect(problems[0]).toMatchObject({ kind: 'syntax', path: '', line: 8, column: 3 });
    expect(formatProblem(problems[0]!)).toMatch(/^line 8, col 3: Flow sequence/);
  });

  it('reports a missing file as a problem, not an exception', async () => {
    const result = await loadPlaybookFile(fixture('does-not-exist.yaml'));
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          kind: 'file',
          source: fixture('does-not-exist.yaml'),
          path: '',
          message: `cannot read ${fixture('does-not-exist.yaml')}: file not found`,
        },
      ],
    });
  });

  it.each([
    ['', 'the playbook is empty'],
    ['- a\n- b\n', 'line 1, col 1: the playbook is not a mapping'],
    ['a: 1\n---\nb: 2\n', 'Source contains multiple documents'],
  ])('reports %j', (text, message) => {
    expect(problemsIn(text)[0]).toContain(message);
  });
});

describe('schema problems', () => {
  it('reports missing keys at the mapping that lacks them, and wrong types', () => {
    expect(
      problemsIn(`apiVersion: journey-orchestrator/v1
kind: Playbook
version: "1"
stages:
  sandbox: { setup: { tasks: [] }, exitCriteria: [] }
  pilot: []
`),
    ).toEqual([
      'name (line 1, col 1): required',
      'version (line 3, col 10): expected a number, got "1"',
      'stages.production (line 5, col 3): required',
      'stages.pilot (line 6, col 10): expected a mapping, got a list',
    ]);
  });

  it('names the source types and suggests comparators', () => {
    expect(
      problemsIn(
        withSandbox(`setup: { tasks: [] }
exitCriteria:
  - { id: a, description: A, source: { type: ftp } }
  - { id: b, description: B, source: { type: prometheus, query: up }, comparator: ge, threshold: 1 }`),
      ),
    ).toEqual([
      'stages.sandbox.exitCriteria[0].source.type (line 11, col 50): "ftp" is not one of: http, agent, prometheus, approval',
      'stages.sandbox.exitCriteria[1].comparator (line 12, col 87): "ge" is not one of: gt, gte, lt, lte, eq (did you mean "gt"?)',
    ]);
  });

  it('checks retry ranges and durations', () => {
    expect(
      problemsIn(
        withSandbox(`setup:
  tasks:
    - id: a
      name: A
      intent: do_a
      timeout: 0s
      retry: { maxRetries: -1, jitter: 1.5, initialInterval: 1m, maxInterval: 10s }
exitCriteria: []
recheckInterval: 10ms`),
      ),
    ).toEqual([
      'stages.sandbox.setup.tasks[0].timeout (line 14, col 20): must be at least 1ms',
      'stages.sandbox.setup.tasks[0].retry.maxRetries (line 15, col 32): must be >= 0, got -1',
      'stages.sandbox.setup.tasks[0].retry.jitter (line 15, col 44): must be <= 1, got 1.5',
      'stages.sandbox.setup.tasks[0].retry.maxInterval (line 15, col 83): must not be shorter than initialInterval (1m)',
      'stages.sandbox.recheckInterval (line 17, col 22): must be at least 1s',
    ]);
  });

  it('rejects values JSON cannot hold in task inputs', () => {
    expect(
      problemsIn(
        withSandbox(`setup: { tasks: [ { id: a, name: A, intent: x, input: { n: .inf } } ] }
exitCriteria: []`),
      ),
    ).toEqual([
      'stages.sandbox.setup.tasks[0].input.n (line 9, col 64): Infinity is not a JSON number',
    ]);
  });
});

describe('semantic problems', () => {
  it('reports duplicate task ids and points rollback tasks at the snapshot', () => {
    const text = `apiVersion: journey-orchestrator/v1
kind: Playbook
name: inline
version: 1
stages:
  sandbox: { setup: { tasks: [] }, exitCriteria: [] }
  pilot:
    setup:
      tasks:
        - { id: provision, name: P, intent: provision_test_dataset }
        - { id: provision, name: P2, intent: provision_test_dataset }
    rollback:
      tasks:
        - { id: teardown, name: T, intent: teardown_dataset, dependsOn: [provision] }
    exitCriteria: []
  production: { setup: { tasks: [] }, exitCriteria: [] }
`;
    expect(problemsIn(text)).toEqual([
      'stages.pilot.setup.tasks[1].id (line 11, col 17): duplicate task id "provision" (tasks[0] has the same id)',
      'stages.pilot.rollback.tasks[0].dependsOn[0] (line 14, col 74): unknown task "provision" (rollback tasks depend only on rollback tasks; read a setup task\'s output with ${snapshot.tasks.provision.output})',
    ]);
  });

  it('keeps metric keys off approvals and requires what each kind needs', () => {
    expect(
      problemsIn(
        withSandbox(`setup: { tasks: [] }
exitCriteria:
  - id: demo
    description: Demo approved
    source: { type: approval }
    comparator: eq
  - id: quality
    description: Quality
    source: { type: http, url: "http://q.example.com", jsonPath: $.q }
    threshold: 5
    greyBand: { from: 1, to: 2 }
    policy: { roles: [admin] }`),
      ),
    ).toEqual([
      'stages.sandbox.exitCriteria[0].policy (line 11, col 9): required for an approval criterion',
      "stages.sandbox.exitCriteria[0].comparator (line 14, col 9): 'comparator' applies only to metric criteria (this one is an approval)",
      'stages.sandbox.exitCriteria[1].comparator (line 15, col 9): required for a metric criterion',
      "stages.sandbox.exitCriteria[1].policy (line 20, col 9): 'policy' applies only to approval criteria (source type approval)",
    ]);
  });

  it('suggests the agent that was probably meant, and forbids sandbox rollback', () => {
    expect(
      problemsIn(
        withSandbox(`setup: { tasks: [ { id: a, name: A, agent: tenency, intent: x } ] }
rollback: { tasks: [ { id: undo, name: U, intent: y } ] }
exitCriteria: []
rollbackOnFailure: true`),
      ),
    ).toEqual([
      'stages.sandbox.setup.tasks[0].agent (line 9, col 48): unknown agent "tenency" (did you mean "tenancy"?)',
      'stages.sandbox.rollback.tasks (line 10, col 24): the sandbox is never rolled back (no stage comes before it): remove its rollback tasks',
      'stages.sandbox.rollbackOnFailure (line 12, col 24): the sandbox cannot be rolled back (no stage comes before it)',
    ]);
  });

  it('checks templates of criterion inputs: journey fields only', () => {
    expect(
      problemsIn(
        withSandbox(`setup: { tasks: [] }
exitCriteria:
  - id: q
    description: Q
    source: { type: agent, agent: tenancy, intent: q, input: { c: "\${journey.client}", t: "\${tasks.a.output}" } }
    comparator: gt
    threshold: 1`),
      ),
    ).toEqual([
      'stages.sandbox.exitCriteria[0].source.input.c (line 13, col 71): "${journey.client}": unknown journey field "client" (journey fields: journeyId, clientId, stage)',
      'stages.sandbox.exitCriteria[0].source.input.t (line 13, col 95): "${tasks.a.output}": task outputs cannot be referenced here (only journey fields)',
    ]);
  });
});
