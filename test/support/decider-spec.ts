import { expect } from 'vitest';
import { DomainError, type Decision, type DomainErrorCode } from '../../src/domain/errors.js';

/**
 * Given-events / when-command / then-events for any decider:
 * `given(e1, e2).when(command).thenEvents([...])` or `.thenError('CODE')`.
 * Every `then` also checks that the state survives a JSON round trip, as the store will do.
 */
export function deciderSpec<C, E, S>(decider: {
  decide: (command: C, state: S) => Decision<E>;
  evolve: (state: S, event: E) => S;
  initialState: S;
}) {
  const fold = (...events: E[]): S => events.reduce(decider.evolve, decider.initialState);

  const given = (...events: E[]) => ({
    when(command: C) {
      const state = fold(...events);
      expect(JSON.parse(JSON.stringify(state))).toEqual(state);
      const decision = decider.decide(command, state);
      return {
        decision,
        thenEvents(expected: readonly E[]): readonly E[] {
          if (decision instanceof DomainError) {
            throw new Error(`expected events, got ${decision.code}: ${decision.message}`);
          }
          expect(decision).toEqual(expected);
          return decision;
        },
        thenError(code: DomainErrorCode): DomainError {
          if (!(decision instanceof DomainError)) {
            throw new Error(`expected ${code}, got events ${JSON.stringify(decision)}`);
          }
          expect(decision.code).toBe(code);
          return decision;
        },
      };
    },
  });

  return { given, fold };
}
