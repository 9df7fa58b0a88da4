import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/web/api/types.js';
import {
  emptyFreezeForm,
  freezeProblemsOf,
  freezeRequestOf,
} from '../../src/web/model/freeze-form.js';

const problem = (extra: Partial<Problem>): Problem => ({
  type: 'urn:x',
  title: 'The freeze window is not valid',
  status: 422,
  detail: '…',
  code: 'FREEZE_INVALID',
  ...extra,
});

describe('freezeRequestOf', () => {
  it('sends only the chosen kind’s pair, trimmed, without empty fields', () => {
    const values = {
      ...emptyFreezeForm('Europe/Berlin'),
      id: ' year-end ',
      from: '2026-12-20T00:00',
      to: '2027-01-04T00:00',
      schedule: '0 18 * * 5',
      duration: '60h',
    };
    expect(freezeRequestOf(values)).toEqual({
      id: 'year-end',
      from: '2026-12-20T00:00',
      to: '2027-01-04T00:00',
      timezone: 'Europe/Berlin',
    });
    expect(freezeRequestOf({ ...values, kind: 'recurring', reason: 'weekends' })).toEqual({
      id: 'year-end',
      schedule: '0 18 * * 5',
      duration: '60h',
      timezone: 'Europe/Berlin',
      reason: 'weekends',
    });
  });
});

describe('freezeProblemsOf', () => {
  it("puts FREEZE_INVALID's problems at their fields, and the window's own ones apart", () => {
    const spread = freezeProblemsOf(
      problem({
        details: {
          problems: [
            { path: 'timezone', message: '"Mars" is not an IANA time zone' },
            { path: 'to', message: 'must be after from' },
            { path: '', message: 'give from and to' },
            { path: 'weird.key', message: 'unknown' },
            'not a problem',
          ],
        },
      }),
    );
    expect(spread).toEqual({
      byField: { timezone: ['"Mars" is not an IANA time zone'], to: ['must be after from'] },
      general: ['give from and to', 'weird.key: unknown'],
    });
  });

  it("reads a schema refusal's errors (JSON pointers) the same way", () => {
    const spread = freezeProblemsOf(
      problem({
        code: 'VALIDATION_FAILED',
        errors: [{ path: '/id', message: 'must be a freeze id' }],
      }),
    );
    expect(spread).toEqual({ byField: { id: ['must be a freeze id'] }, general: [] });
  });

  it('finds nothing in a refusal without problems', () => {
    expect(freezeProblemsOf(problem({ code: 'FREEZE_EXISTS' }))).toEqual({
      byField: {},
      general: [],
    });
  });
});
