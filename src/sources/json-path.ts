/**
 * The JSONPath an `http` source reads its value at. A criterion needs exactly one value, so the
 * supported syntax is RFC 9535's *singular query*: `$` followed by member names (`.name`,
 * `['name']`, `["name"]`) and array indexes (`[0]`, `[-1]` for the last). Wildcards, slices,
 * filters, unions and `..` select several values and are refused with a reason, rather than
 * silently taking the first match.
 *
 * Pure (no I/O, no imports) so the playbook loader can use it to refuse a bad path at load.
 */

export type JsonPathSegment =
  | { readonly kind: 'member'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number };

export type ParsedJsonPath =
  | { readonly ok: true; readonly segments: readonly JsonPathSegment[] }
  | { readonly ok: false; readonly error: string };

const SHORTHAND_FIRST = /[A-Za-z_\u0080-\uffff]/;
const SHORTHAND_REST = /[A-Za-z0-9_\u0080-\uffff]/;
const BLANK = /[ \t\n\r]/;
const INDEX = /^(0|-?[1-9][0-9]*)$/;
const ESCAPES: Readonly<Record<string, string>> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  '/': '/',
  '\\': '\\',
};

/** Parses `$.a.b[0]`; an error says where the path went wrong and what is supported. */
export function parseJsonPath(text: string): ParsedJsonPath {
  const fail = (at: number, why: string): ParsedJsonPath => ({
    ok: false,
    error: `JSONPath ${JSON.stringify(text)} at character ${at + 1}: ${why}`,
  });
  if (!text.startsWith('$')) {
    return fail(0, 'must start with "$"');
  }
  const segments: JsonPathSegment[] = [];
  let at = 1;
  const skipBlank = (): void => {
    while (at < text.length && BLANK.test(text[at]!)) {
      at += 1;
    }
  };
  for (skipBlank(); at < text.length; skipBlank()) {
    if (text.startsWith('..', at)) {
      return fail(at, 'recursive descent ("..") can select several values; name one path');
    }
    if (text[at] === '.') {
      const start = (at += 1);
      if (text[at] === '*') {
        return fail(at, 'a wildcard ("*") selects several values; name one member');
      }
      if (at >= text.length || !SHORTHAND_FIRST.test(text[at]!)) {
        return fail(at, 'expected a member name after "."');
      }
      while (at < text.length && SHORTHAND_REST.test(text[at]!)) {
        at += 1;
      }
      segments.push({ kind: 'member', name: text.slice(start, at) });
      continue;
    }
    if (text[at] !== '[') {
      return fail(at, `unexpected ${JSON.stringify(text[at])} (expected "." or "[")`);
    }
    at += 1;
    skipBlank();
    const quote = text[at];
    if (quote === "'" || quote === '"') {
      const literal = readString(text, at);
      if (!literal.ok) {
        return fail(literal.at, literal.error);
      }
      segments.push({ kind: 'member', name: literal.value });
      at = literal.end;
    } else {
      const start = at;
      while (at < text.length && /[-0-9]/.test(text[at]!)) {
        at += 1;
      }
      const digits = text.slice(start, at);
      if (!INDEX.test(digits)) {
        return fail(start, selectorProblem(text.slice(start)));
      }
      const index = Number(digits);
      if (!Number.isSafeInteger(index)) {
        return fail(start, `index ${digits} is out of range`);
      }
      segments.push({ kind: 'index', index });
    }
    skipBlank();
    if (text[at] !== ']') {
      return fail(at, selectorProblem(text.slice(at)));
    }
    at += 1;
  }
  return { ok: true, segments };
}

/** Why a bracket holds something other than one name or one index. */
function selectorProblem(rest: string): string {
  const first = rest.trimStart()[0];
  if (first === '*' || first === '?' || first === ':' || first === ',' || rest.includes(':')) {
    return 'wildcards, filters, slices and unions select several values; use one name or index';
  }
  return 'expected a quoted name or an integer index, then "]"';
}

type StringLiteral =
  | { readonly ok: true; readonly value: string; readonly end: number }
  | { readonly ok: false; readonly error: string; readonly at: number };

/** Reads an RFC 9535 string literal starting at its opening quote. */
function readString(text: string, start: number): StringLiteral {
  const quote = text[start]!;
  let value = '';
  let at = start + 1;
  while (at < text.length) {
    const char = text[at]!;
    if (char === quote) {
      return { ok: true, value, end: at + 1 };
    }
    if (char === '\\') {
      const next = text[at + 1] ?? '';
      if (next === quote) {
        value += quote;
        at += 2;
      } else if (next === 'u' && /^[0-9A-Fa-f]{4}$/.test(text.slice(at + 2, at + 6))) {
        value += String.fromCharCode(parseInt(text.slice(at + 2, at + 6), 16));
        at += 6;
      } else if (Object.hasOwn(ESCAPES, next)) {
        value += ESCAPES[next];
        at += 2;
      } else {
        return { ok: false, error: `invalid escape "\\${next}"`, at };
      }
    } else if (char < ' ') {
      return { ok: false, error: 'control characters must be escaped in a name', at };
    } else {
      value += char;
      at += 1;
    }
  }
  return { ok: false, error: `unterminated name (add ${quote})`, at: start };
}

export type JsonPathLookup =
  | { readonly found: true; readonly value: unknown }
  | { readonly found: false; readonly why: string };

/** Reads the one value `segments` name in `document`, or says which step found nothing. */
export function readJsonPath(
  document: unknown,
  segments: readonly JsonPathSegment[],
): JsonPathLookup {
  let current = document;
  let where = '$';
  for (const segment of segments) {
    if (segment.kind === 'index') {
      if (!Array.isArray(current)) {
        return { found: false, why: `${where} is ${kindOf(current)}, not an array` };
      }
      const items = current as readonly unknown[];
      const position = segment.index < 0 ? items.length + segment.index : segment.index;
      if (position < 0 || position >= items.length) {
        return {
          found: false,
          why: `${where} has no index ${segment.index} (it holds ${items.length} items)`,
        };
      }
      current = items[position];
      where += `[${segment.index}]`;
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) {
        return { found: false, why: `${where} is ${kindOf(current)}, not an object` };
      }
      const record = current as Readonly<Record<string, unknown>>;
      if (!Object.hasOwn(record, segment.name)) {
        return { found: false, why: `${where} has no member ${JSON.stringify(segment.name)}` };
      }
      current = record[segment.name];
      where += /^[A-Za-z_][A-Za-z0-9_]*$/.test(segment.name)
        ? `.${segment.name}`
        : `[${JSON.stringify(segment.name)}]`;
    }
  }
  return { found: true, value: current };
}

/** `a number`, `an array`, `null`...: for messages about what a JSON value turned out to be. */
export function kindOf(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
