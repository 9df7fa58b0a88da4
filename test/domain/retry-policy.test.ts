import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  nextAttemptAt,
  retryDelay,
  validateRetryPolicy,
  type RetryPolicy,
} from '../../src/domain/retry-policy.js';
import { millisBetween } from '../../src/domain/time.js';

const T0 = '2026-01-01T00:00:00.000Z';
const exact: RetryPolicy = { ...DEFAULT_RETRY_POLICY, jitter: 0 };

/** Sound policies, as the playbook loader lets through. */
const policies = fc
  .record({
    maxRetries: fc.integer({ min: 0, max: 10 }),
    initialInterval: fc.integer({ min: 0, max: 60_000 }),
    backoffCoefficient: fc.double({ min: 1, max: 10, noNaN: true }),
    extra: fc.integer({ min: 0, max: 600_000 }),
    jitter: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ extra, ...rest }) => ({ ...rest, maxInterval: rest.initialInterval + extra }));
const randoms = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('retry policy: nextAttemptAt', () => {
  it('doubles the delay from the initial interval, up to the cap', () => {
    const policy = { ...exact, maxRetries: 20, maxInterval: 5_000 };
    const delays = [1, 2, 3, 4, 5].map((n) => retryDelay(policy, n, 0.5));
    expect(delays).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
    expect(nextAttemptAt(policy, 2, T0, 0.5)).toBe('2026-01-01T00:00:02.000Z');
  });

  it('is undefined once a round used its maxRetries + 1 attempts', () => {
    expect(nextAttemptAt(exact, 3, T0, 0.5)).toBeDefined();
    expect(nextAttemptAt(exact, 4, T0, 0.5)).toBeUndefined();
    expect(nextAttemptAt({ ...exact, maxRetries: 0 }, 1, T0, 0.5)).toBeUndefined();
  });

  it('spreads the delay by the jitter fraction either way', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, jitter: 0.2 };
    expect(retryDelay(policy, 1, 0)).toBe(800);
    expect(retryDelay(policy, 1, 0.5)).toBe(1_000);
    expect(retryDelay(policy, 1, 0.999_999)).toBe(1_200);
  });

  it('never lets jitter push a delay past the cap', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, jitter: 0.5, maxInterval: 1_000 };
    expect(retryDelay(policy, 1, 0.99)).toBe(1_000);
  });

  it("waits at least the agent's retryAfter, even beyond the cap", () => {
    expect(retryDelay(exact, 1, 0.5, 30_000)).toBe(30_000);
    expect(retryDelay(exact, 1, 0.5, 10 * 60_000)).toBe(10 * 60_000);
    expect(retryDelay(exact, 3, 0.5, 10)).toBe(4_000);
  });

  it('stays at zero for a zero interval however many attempts', () => {
    expect(retryDelay({ ...exact, initialInterval: 0, backoffCoefficient: 10 }, 5_000, 0.5)).toBe(
      0,
    );
  });

  it('keeps every delay between 0 and maxInterval', () => {
    fc.assert(
      fc.property(policies, fc.integer({ min: 1, max: 60 }), randoms, (policy, n, random) => {
        const delay = retryDelay(policy, n, random);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(policy.maxInterval);
        const next = nextAttemptAt(policy, n, T0, random);
        if (n >= policy.maxRetries + 1) {
          expect(next).toBeUndefined();
        } else {
          expect(millisBetween(T0, next!)).toBe(delay);
        }
      }),
    );
  });

  it('never shortens a retryAfter', () => {
    fc.assert(
      fc.property(
        policies,
        fc.integer({ min: 1, max: 60 }),
        randoms,
        fc.nat(),
        (p, n, r, after) => {
          expect(retryDelay(p, n, r, after)).toBeGreaterThanOrEqual(after);
        },
      ),
    );
  });

  it('grows (or holds) from one attempt to the next: exactly without jitter, on average with it', () => {
    const grid = Array.from({ length: 50 }, (_, k) => k / 50);
    const mean = (policy: RetryPolicy, n: number): number =>
      grid.reduce((sum, r) => sum + retryDelay(policy, n, r), 0) / grid.length;
    fc.assert(
      fc.property(policies, fc.integer({ min: 1, max: 40 }), (policy, n) => {
        const still = { ...policy, jitter: 0 };
        expect(retryDelay(still, n + 1, 0.5)).toBeGreaterThanOrEqual(retryDelay(still, n, 0.5));
        expect(mean(policy, n + 1)).toBeGreaterThanOrEqual(mean(policy, n));
      }),
    );
  });
});

describe('retry policy: validateRetryPolicy', () => {
  it('accepts the default policy and every generated sound one', () => {
    expect(validateRetryPolicy(DEFAULT_RETRY_POLICY)).toEqual([]);
    fc.assert(fc.property(policies, (policy) => validateRetryPolicy(policy).length === 0));
  });

  it('lists every problem', () => {
    const problems = validateRetryPolicy({
      maxRetries: -1,
      initialInterval: 10_000,
      backoffCoefficient: 0.5,
      maxInterval: 1_000,
      jitter: 1.5,
    });
    expect(problems).toEqual([
      'maxRetries must be a whole number >= 0 (got -1)',
      'backoffCoefficient must be >= 1 (got 0.5)',
      'jitter must be between 0 and 1 (got 1.5)',
      'initialInterval (10000) must not exceed maxInterval (1000)',
    ]);
  });

  it('refuses negative and fractional numbers', () => {
    const problems = validateRetryPolicy({
      ...DEFAULT_RETRY_POLICY,
      maxRetries: 1.5,
      initialInterval: -1,
      maxInterval: -5,
      jitter: -0.1,
    });
    expect(problems).toHaveLength(5);
  });
});
