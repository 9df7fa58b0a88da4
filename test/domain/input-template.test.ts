import { describe, expect, it } from 'vitest';
import { asTaskId } from '../../src/domain/ids.js';
import type { JsonValue } from '../../src/domain/json.js';
import { resolveInput, type TemplateContext } from '../../src/domain/unit-of-work/input-resolve.js';
import {
  checkReferences,
  formatJsonPath,
  parseReference,
  parseReferences,
  validateTemplateReferences,
} from '../../src/domain/unit-of-work/input-template.js';

const journey = { journeyId: 'j-1', clientId: 'acme', stage: 'pilot' };

function context(extra: Partial<TemplateContext> = {}): TemplateContext {
  return {
    journey,
    tasks: {
      create_tenant: { output: { tenantId: 't-42', shards: 3, ready: true, tags: ['a', 'b'] } },
      'provision.dataset': { output: { datasetId: 'ds-7', rows: [{ id: 'r0' }, { id: 'r1' }] } },
      silent: {},
    },
    ...extra,
  };
}

describe('parseReferences', () => {
  it('finds every reference with the path of the string that holds it', () => {
    const input = {
      tenant: '${tasks.create_tenant.output.tenantId}',
      nested: { list: ['plain', 'for ${journey.clientId} in ${journey.stage}'] },
      count: 3,
    };
    expect(parseReferences(input)).toEqual([
      {
        path: ['tenant'],
        reference: 'tasks.create_tenant.output.tenantId',
        text: '${tasks.create_tenant.output.tenantId}',
      },
      { path: ['nested', 'list', 1], reference: 'journey.clientId', text: '${journey.clientId}' },
      { path: ['nested', 'list', 1], reference: 'journey.stage', text: '${journey.stage}' },
    ]);
  });

  it('skips escaped references and flags malformed ones', () => {
    expect(parseReferences('cost: $${journey.clientId}')).toEqual([]);
    expect(parseReferences({ a: '${}', b: 'x ${journey.clientId' })).toEqual([
      { path: ['a'], reference: '', text: '${}', error: 'empty reference' },
      {
        path: ['b'],
        reference: 'journey.clientId',
        text: '${journey.clientId',
        error: 'unterminated "${" (add "}")',
      },
    ]);
  });
});

describe('parseReference', () => {
  it('reads journey fields, task outputs and snapshot outputs', () => {
    expect(parseReference('journey.clientId')).toEqual({
      ok: true,
      value: { root: 'journey', field: 'clientId' },
    });
    expect(parseReference('tasks.a.output.items.0.id')).toEqual({
      ok: true,
      value: { root: 'tasks', taskId: 'a', outputPath: ['items', '0', 'id'] },
    });
    expect(parseReference('snapshot.tasks.a.output')).toEqual({
      ok: true,
      value: { root: 'snapshot', taskId: 'a', outputPath: [] },
    });
  });

  it('lets a task id contain dots: it runs up to the first .output', () => {
    expect(parseReference('tasks.provision.dataset.output.datasetId')).toEqual({
      ok: true,
      value: { root: 'tasks', taskId: 'provision.dataset', outputPath: ['datasetId'] },
    });
  });

  it.each([
    ['journey.tenant', 'unknown journey field "tenant"'],
    ['tasks.a', 'expected tasks.<taskId>.output[.<path>]'],
    ['tasks.a.output..id', 'expected tasks.<taskId>.output[.<path>]'],
    ['snapshot.a.output', 'expected snapshot.tasks.<taskId>.output[.<path>]'],
    ['env.HOME', 'unknown reference root "env"'],
  ])('rejects %s', (reference, message) => {
    const parsed = parseReference(reference);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.error).toContain(message);
  });
});

describe('validateTemplateReferences', () => {
  const task = (id: string, dependsOn: string[], input: JsonValue) => ({
    taskId: asTaskId(id),
    dependsOn: dependsOn.map(asTaskId),
    input,
  });

  it('lets a setup task read only the outputs of its transitive dependencies', () => {
    const tasks = [
      task('a', [], {}),
      task('b', ['a'], { id: '${tasks.a.output.id}' }),
      task('c', ['b'], { fromA: '${tasks.a.output.id}', fromB: '${tasks.b.output}' }),
      task('d', [], { fromC: '${tasks.c.output.id}', ghost: '${tasks.zz.output}' }),
    ];
    expect(validateTemplateReferences(tasks, { purpose: 'setup' })).toEqual([
      {
        taskIndex: 3,
        taskId: 'd',
        path: ['fromC'],
        reference: 'tasks.c.output.id',
        message:
          '"${tasks.c.output.id}": task "c" is not upstream of this task (add it to dependsOn)',
      },
      {
        taskIndex: 3,
        taskId: 'd',
        path: ['ghost'],
        reference: 'tasks.zz.output',
        message: '"${tasks.zz.output}": unknown task "zz"',
      },
    ]);
  });

  it('lets rollback tasks, and only them, read the snapshot of the setup tasks', () => {
    const setup = [task('a', [], { x: '${snapshot.tasks.a.output}' })];
    expect(validateTemplateReferences(setup, { purpose: 'setup' }).map((p) => p.message)).toEqual([
      '"${snapshot.tasks.a.output}": snapshot references are allowed only in rollback tasks',
    ]);
    const rollback = [
      task('undo', [], {
        id: '${snapshot.tasks.a.output.id}',
        other: '${snapshot.tasks.b.output}',
      }),
    ];
    const problems = validateTemplateReferences(rollback, {
      purpose: 'rollback',
      setupTaskIds: ['a'],
    });
    expect(problems.map((p) => p.message)).toEqual([
      '"${snapshot.tasks.b.output}": "b" is not a setup task of this stage',
    ]);
  });

  it('allows only journey fields where there are no tasks (criterion inputs)', () => {
    expect(checkReferences({ c: '${journey.clientId}', t: '${tasks.a.output}' }, {})).toEqual([
      {
        path: ['t'],
        reference: 'tasks.a.output',
        message:
          '"${tasks.a.output}": task outputs cannot be referenced here (only journey fields)',
      },
    ]);
  });
});

describe('resolveInput', () => {
  it('replaces a string that is exactly one reference by the value, keeping its JSON type', () => {
    const input = {
      shards: '${tasks.create_tenant.output.shards}',
      ready: '${tasks.create_tenant.output.ready}',
      tags: '${tasks.create_tenant.output.tags}',
      all: '${tasks.create_tenant.output}',
      row: '${tasks.provision.dataset.output.rows.1}',
      spaced: '${ journey.clientId }',
    };
    expect(resolveInput(input, context())).toEqual({
      ok: true,
      value: {
        shards: 3,
        ready: true,
        tags: ['a', 'b'],
        all: { tenantId: 't-42', shards: 3, ready: true, tags: ['a', 'b'] },
        row: { id: 'r1' },
        spaced: 'acme',
      },
    });
  });

  it('interpolates references inside longer strings as text', () => {
    const input = [
      'client ${journey.clientId} in ${journey.stage} (journey ${journey.journeyId})',
      '${tasks.create_tenant.output.shards} shards',
      'tags: ${tasks.create_tenant.output.tags}',
    ];
    expect(resolveInput(input, context())).toEqual({
      ok: true,
      value: ['client acme in pilot (journey j-1)', '3 shards', 'tags: ["a","b"]'],
    });
  });

  it('reads $${ as a literal ${', () => {
    expect(
      resolveInput({ a: '$${journey.clientId}', b: 'cost: $${x} ${journey.clientId}' }, context()),
    ).toEqual({
      ok: true,
      value: { a: '${journey.clientId}', b: 'cost: ${x} acme' },
    });
  });

  it('resolves snapshot references from the snapshot', () => {
    const snapshot = { tasks: { provision_pilot_dataset: { output: { datasetId: 'ds-9' } } } };
    expect(
      resolveInput(
        { datasetId: '${snapshot.tasks.provision_pilot_dataset.output.datasetId}' },
        context({ snapshot }),
      ),
    ).toEqual({ ok: true, value: { datasetId: 'ds-9' } });
  });

  it('fails, naming the reference, when a value is missing (never a silent undefined)', () => {
    expect(resolveInput({ id: '${tasks.create_tenant.output.tenant}' }, context())).toEqual({
      ok: false,
      error:
        '"${tasks.create_tenant.output.tenant}" at input.id: tasks.create_tenant.output has no "tenant"',
    });
    const result = resolveInput(
      [
        '${tasks.nobody.output.x}',
        'x ${tasks.silent.output} y',
        '${snapshot.tasks.a.output}',
        '${tasks.provision.dataset.output.rows.5.id}',
      ],
      context(),
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.error.split('; ')).toEqual([
      '"${tasks.nobody.output.x}" at input[0]: task "nobody" has no recorded result',
      '"${tasks.silent.output}" at input[1]: task "silent" produced no output',
      '"${snapshot.tasks.a.output}" at input[2]: there is no rollback snapshot here',
      '"${tasks.provision.dataset.output.rows.5.id}" at input[3]: tasks.provision.dataset.output.rows has no "5"',
    ]);
  });

  it('keeps a null output value (it is a value, not a missing one) and leaves the input alone', () => {
    const input = Object.freeze({ value: '${tasks.n.output.v}', n: 1, t: true, z: null });
    const result = resolveInput(input, { journey, tasks: { n: { output: { v: null } } } });
    expect(result).toEqual({ ok: true, value: { value: null, n: 1, t: true, z: null } });
    expect(input.value).toBe('${tasks.n.output.v}');
  });
});

describe('formatJsonPath', () => {
  it('writes paths in the playbook style', () => {
    expect(formatJsonPath(['stages', 'pilot', 'setup', 'tasks', 2, 'dependsOn', 0])).toBe(
      'stages.pilot.setup.tasks[2].dependsOn[0]',
    );
    expect(formatJsonPath(['agents', 'bad agent', 'url'])).toBe('agents["bad agent"].url');
  });
});
