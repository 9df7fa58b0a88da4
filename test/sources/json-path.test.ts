import { describe, expect, it } from 'vitest';
import { parseJsonPath, readJsonPath } from '../../src/sources/json-path.js';

function segments(text: string) {
  const parsed = parseJsonPath(text);
  if (!parsed.ok) {
    throw new Error(parsed.error);
  }
  return parsed.segments;
}

function problem(text: string): string {
  const parsed = parseJsonPath(text);
  return parsed.ok ? 'accepted' : parsed.error;
}

describe('JSONPath: the singular queries of RFC 9535', () => {
  it.each([
    ['$', []],
    [
      '$.a.b',
      [
        { kind: 'member', name: 'a' },
        { kind: 'member', name: 'b' },
      ],
    ],
    [
      '$.a[0]',
      [
        { kind: 'member', name: 'a' },
        { kind: 'index', index: 0 },
      ],
    ],
    ['$[-1]', [{ kind: 'index', index: -1 }]],
    [
      "$['a b'][ 2 ]",
      [
        { kind: 'member', name: 'a b' },
        { kind: 'index', index: 2 },
      ],
    ],
    ['$["it\'s"]', [{ kind: 'member', name: "it's" }]],
    ["$['it\\'s \\u00e9']", [{ kind: 'member', name: "it's é" }]],
    [
      '$._x1.été',
      [
        { kind: 'member', name: '_x1' },
        { kind: 'member', name: 'été' },
      ],
    ],
  ])('parses %s', (text, expected) => {
    expect(segments(text)).toEqual(expected);
  });

  it.each([
    ['a.b', 'must start with "$"'],
    ['$..a', 'recursive descent'],
    ['$.*', 'a wildcard ("*") selects several values'],
    ['$[*]', 'wildcards, filters, slices and unions select several values'],
    ['$.a[?(@.b > 1)]', 'wildcards, filters, slices and unions select several values'],
    ['$.a[0:2]', 'wildcards, filters, slices and unions select several values'],
    ['$.a[0,1]', 'wildcards, filters, slices and unions select several values'],
    ['$.a[01]', 'expected a quoted name or an integer index'],
    ['$.a[-0]', 'expected a quoted name or an integer index'],
    ["$['a'", 'expected a quoted name or an integer index, then "]"'],
    ["$['a]", 'unterminated name'],
    ["$['\\x']", 'invalid escape'],
    ['$.1a', 'expected a member name after "."'],
    ['$a', 'unexpected "a"'],
  ])('refuses %s', (text, why) => {
    expect(problem(text)).toContain(why);
  });

  it('says where the path went wrong', () => {
    expect(problem('$.a.*')).toBe(
      'JSONPath "$.a.*" at character 5: a wildcard ("*") selects several values; name one member',
    );
  });
});

describe('JSONPath: reading one value', () => {
  const document = { a: { b: [10, { c: null }] }, 'x y': 1 };

  it('reads members, indexes and negative indexes', () => {
    expect(readJsonPath(document, segments('$.a.b[0]'))).toEqual({ found: true, value: 10 });
    expect(readJsonPath(document, segments('$.a.b[-1].c'))).toEqual({ found: true, value: null });
    expect(readJsonPath(document, segments("$['x y']"))).toEqual({ found: true, value: 1 });
  });

  it('says which step found nothing', () => {
    expect(readJsonPath(document, segments('$.a.b[1].d'))).toEqual({
      found: false,
      why: '$.a.b[1] has no member "d"',
    });
    expect(readJsonPath(document, segments('$.a.b[-3]'))).toEqual({
      found: false,
      why: '$.a.b has no index -3 (it holds 2 items)',
    });
    expect(readJsonPath(document, segments('$.a[0]'))).toEqual({
      found: false,
      why: '$.a is an object, not an array',
    });
    expect(readJsonPath(document, segments('$.a.b[0].c'))).toEqual({
      found: false,
      why: '$.a.b[0] is a number, not an object',
    });
  });

  it('does not read inherited properties', () => {
    expect(readJsonPath({}, segments('$.constructor')).found).toBe(false);
    expect(readJsonPath([1], segments('$.length')).found).toBe(false);
  });
});
