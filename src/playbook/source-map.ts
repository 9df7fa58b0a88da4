import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import type { JsonPath } from '../domain/unit-of-work/input-template.js';

export interface SourcePosition {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

/**
 * Where a path of the data sits in the YAML source: the value under the path, or the key itself
 * (`at: 'key'`, for unknown keys). A path that does not exist (a missing key) resolves to the
 * nearest ancestor that does, so "required" points at the mapping that lacks the key.
 * @internal
 */
export function locate(
  document: Document,
  lineCounter: LineCounter,
  path: JsonPath,
  at: 'key' | 'value' = 'value',
): SourcePosition | undefined {
  let node: unknown = document.contents;
  let offset = rangeStart(node);
  for (const [index, segment] of path.entries()) {
    if (isAlias(node)) {
      node = node.resolve(document);
    }
    let next: unknown;
    let keyOffset: number | undefined;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) =>
          (isScalar(item.key) ? String(item.key.value) : String(item.key)) === String(segment),
      );
      keyOffset = rangeStart(pair?.key);
      next = pair?.value ?? undefined;
      if (pair !== undefined && (next === null || next === undefined)) {
        // `key:` with nothing after it: the key is the best place to point at.
        return position(lineCounter, keyOffset ?? offset);
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
    }
    if (next === undefined) {
      return position(lineCounter, offset);
    }
    if (index === path.length - 1 && at === 'key' && keyOffset !== undefined) {
      return position(lineCounter, keyOffset);
    }
    node = next;
    offset = rangeStart(node) ?? offset;
  }
  return position(lineCounter, offset);
}

function rangeStart(node: unknown): number | undefined {
  if (node !== null && typeof node === 'object' && 'range' in node) {
    const range = (node as { range?: readonly number[] | null }).range;
    return range?.[0];
  }
  return undefined;
}

function position(
  lineCounter: LineCounter,
  offset: number | undefined,
): SourcePosition | undefined {
  if (offset === undefined) {
    return undefined;
  }
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}
