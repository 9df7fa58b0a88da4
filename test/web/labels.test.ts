import { describe, expect, it } from 'vitest';
import type { StatusKind } from '../../src/web/api/types.js';
import {
  labelFor,
  OUTCOME_LABELS,
  STATUS_LABELS,
  TASK_LABELS,
} from '../../src/web/model/labels.js';

describe('labels', () => {
  it('give every state a symbol and a word, so none is told by colour alone', () => {
    for (const label of [
      ...Object.values(STATUS_LABELS),
      ...Object.values(TASK_LABELS),
      ...Object.values(OUTCOME_LABELS),
    ]) {
      expect(label.symbol).not.toBe('');
      expect(label.text).toMatch(/^[A-Z][a-z ]+$/);
    }
    const words = Object.values(TASK_LABELS).map((label) => label.text);
    expect(new Set(words).size).toBe(words.length);
  });

  it('name a state this dashboard does not know in words instead of failing', () => {
    expect(labelFor(STATUS_LABELS, 'paused_by_ops' as StatusKind)).toEqual({
      symbol: '•',
      text: 'Paused by ops',
      tone: 'neutral',
    });
    expect(labelFor(STATUS_LABELS, 'blocked').text).toBe('Blocked');
  });
});
