import type { Behaviour } from './behaviour.js';
import { EXAMPLE_AGENTS, isExampleAgentId, skillOf, type MetricReading } from './catalog.js';

/**
 * The knobs a test turns while the agents run: a behaviour per agent and intent (optionally for
 * one client only), and the reading a metric intent reports. A client-specific setting wins
 * over an intent-wide one; with neither, an intent succeeds with its standard output.
 */

export interface Scope {
  /** Only messages for this client (from the message metadata, else `input.clientId`). */
  readonly clientId?: string;
}

/** What to do with one message: a `fail` with a count has been counted down already. */
export type Action =
  Exclude<Behaviour, { kind: 'fail' }> | { readonly kind: 'fail'; readonly message: string };

interface Rule {
  readonly behaviour: Behaviour;
  /** Failures still to give, for `fail` with `times`. */
  failuresLeft: number;
}

export class BehaviourControl {
  readonly #rules = new Map<string, Rule>();
  readonly #readings = new Map<string, MetricReading>();

  /** From now on, `agentId` answers `intent` this way (a `fail` count starts afresh). */
  set(agentId: string, intent: string, behaviour: Behaviour, scope: Scope = {}): void {
    requireSkill(agentId, intent);
    const failuresLeft = behaviour.kind === 'fail' ? (behaviour.times ?? Infinity) : 0;
    this.#rules.set(key(agentId, intent, scope.clientId), { behaviour, failuresLeft });
  }

  /** From now on, the metric intent reports this reading. */
  setMetric(agentId: string, intent: string, reading: MetricReading, scope: Scope = {}): void {
    if (requireSkill(agentId, intent) !== 'metric') {
      throw new Error(`${agentId}/${intent} is not a metric intent`);
    }
    this.#readings.set(key(agentId, intent, scope.clientId), reading);
  }

  /** Back to the standard answers. */
  reset(): void {
    this.#rules.clear();
    this.#readings.clear();
  }

  /** Decides how to answer one message, counting down a `fail` rule. */
  next(agentId: string, intent: string, clientId: string | undefined): Action {
    const rule =
      this.#rules.get(key(agentId, intent, clientId)) ??
      this.#rules.get(key(agentId, intent, undefined));
    if (rule === undefined) {
      return { kind: 'succeed' };
    }
    const behaviour = rule.behaviour;
    if (behaviour.kind !== 'fail') {
      return behaviour;
    }
    if (rule.failuresLeft <= 0) {
      return { kind: 'succeed' };
    }
    rule.failuresLeft -= 1;
    return { kind: 'fail', message: behaviour.message ?? `${intent} failed (as the test asked)` };
  }

  /** The reading a test chose, if any. */
  reading(
    agentId: string,
    intent: string,
    clientId: string | undefined,
  ): MetricReading | undefined {
    return (
      this.#readings.get(key(agentId, intent, clientId)) ??
      this.#readings.get(key(agentId, intent, undefined))
    );
  }
}

function key(agentId: string, intent: string, clientId: string | undefined): string {
  return JSON.stringify([agentId, intent, clientId ?? null]);
}

/** A typo in a test should fail loudly, not configure an agent that is never asked. */
function requireSkill(agentId: string, intent: string): 'task' | 'metric' {
  if (!isExampleAgentId(agentId)) {
    throw new Error(
      `no example agent "${agentId}" (agents: ${Object.keys(EXAMPLE_AGENTS).join(', ')})`,
    );
  }
  const skill = skillOf(agentId, intent);
  if (skill === undefined) {
    throw new Error(`example agent ${agentId} does not serve intent "${intent}"`);
  }
  return skill.kind;
}
