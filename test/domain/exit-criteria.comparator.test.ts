import { describe, expect, it } from 'vitest';
import {
  checkComparison,
  compare,
  describeComparison,
} from '../../src/domain/exit-criteria/comparator.js';
import type { Comparator } from '../../src/domain/exit-criteria/criterion.js';

describe('compare', () => {
  // [comparator, below the threshold, at it, above it] for threshold 80.
  const table: readonly [Comparator, boolean, boolean, boolean][] = [
    ['gt', false, false, true],
    ['gte', false, true, true],
    ['lt', true, false, false],
    ['lte', true, true, false],
    ['eq', false, true, false],
  ];

  it.each(table)('%s: below, at and above the threshold', (comparator, below, at, above) => {
    expect(compare(79.9, comparator, 80)).toBe(below);
    expect(compare(80, comparator, 80)).toBe(at);
    expect(compare(80.1, comparator, 80)).toBe(above);
  });

  it('eq compares booleans', () => {
    expect(compare(true, 'eq', true)).toBe(true);
    expect(compare(false, 'eq', false)).toBe(true);
    expect(compare(true, 'eq', false)).toBe(false);
    expect(compare(false, 'eq', true)).toBe(false);
  });

  it('never passes on a type mismatch', () => {
    expect(compare(true, 'gt', 0)).toBe(false);
    expect(compare(1, 'eq', true)).toBe(false);
    expect(compare(true, 'eq', 1)).toBe(false);
    expect(compare(5, 'gte', true)).toBe(false);
  });

  it('never passes on NaN or Infinity', () => {
    expect(compare(Number.NaN, 'lt', 80)).toBe(false);
    expect(compare(Number.POSITIVE_INFINITY, 'gt', 80)).toBe(false);
    expect(compare(Number.NEGATIVE_INFINITY, 'lt', 80)).toBe(false);
  });
});

describe('checkComparison', () => {
  it('tells a breach from a mismatch', () => {
    expect(checkComparison(78, 'gt', 80)).toEqual({ status: 'breached' });
    expect(checkComparison(81, 'gt', 80)).toEqual({ status: 'holds' });
  });

  it('names what it expected and what it got', () => {
    expect(checkComparison(true, 'gt', 80)).toEqual({
      status: 'invalid',
      problem: 'expected a number, got true',
    });
    expect(checkComparison(3, 'eq', true)).toEqual({
      status: 'invalid',
      problem: 'expected a boolean, got 3',
    });
    expect(checkComparison(Number.NaN, 'lte', 1)).toEqual({
      status: 'invalid',
      problem: 'expected a finite number, got NaN',
    });
    expect(checkComparison(3, 'gt', true)).toEqual({
      status: 'invalid',
      problem: 'the threshold must be a finite number for >, got true',
    });
  });
});

describe('describeComparison', () => {
  it('gives the symbol people read', () => {
    expect(describeComparison('gt')).toBe('>');
    expect(describeComparison('gte')).toBe('>=');
    expect(describeComparison('lt')).toBe('<');
    expect(describeComparison('lte')).toBe('<=');
    expect(describeComparison('eq')).toBe('=');
  });
});
