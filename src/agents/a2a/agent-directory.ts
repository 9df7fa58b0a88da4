import type { AgentCard } from '@a2a-js/sdk';
import { Client, DefaultAgentCardResolver, JsonRpcTransportFactory } from '@a2a-js/sdk/client';
import { toError } from '../../application/errors.js';
import type { Clock } from '../../application/ports.js';
import { readCard, type UsableCard } from './agent-card.js';
import { boundedFetch, repeatable } from './bounded-fetch.js';
import { classify, describeProblem } from './call-problem.js';
import { A2AFailureCode } from './failure-codes.js';

/**
 * The agent registry with each agent's card and client: the CapabilityDiscovery role of
 * DESIGN.md section 4. Cards are fetched on first use and again once they are older than the
 * TTL; a failed fetch is not kept, so the next call tries again.
 */

/** One agent of the registry: the playbook's `agents` map holds exactly these. */
export interface AgentRegistryEntry {
  /** Base URL; the card is read from `/.well-known/agent-card.json` under it. */
  readonly url: string;
}
export type AgentRegistry = Readonly<Record<string, AgentRegistryEntry>>;

export interface ConnectedAgent {
  readonly agentId: string;
  readonly card: UsableCard;
  readonly client: Client;
}

/** A lookup that may fail with a reason a person can act on, and the code to record. */
export type Found<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: A2AFailureCode; readonly message: string };

export interface AgentDirectoryOptions {
  readonly clock: Clock;
  readonly requestTimeoutMs: number;
  readonly cardTtlMs: number;
  /** Aborted when the gateway closes: every request in flight stops then. */
  readonly lifetime: AbortSignal;
}

interface CacheEntry {
  readonly fetchedAt: number;
  readonly connecting: Promise<Found<ConnectedAgent>>;
}

export class AgentDirectory {
  readonly #registry: AgentRegistry;
  readonly #options: AgentDirectoryOptions;
  readonly #cache = new Map<string, CacheEntry>();

  constructor(registry: AgentRegistry, options: AgentDirectoryOptions) {
    this.#registry = registry;
    this.#options = options;
  }

  /** The agent a task goes to: the one it names, or the only one whose card lists the intent. */
  async resolve(task: {
    readonly agentId?: string;
    readonly intent: string;
  }): Promise<Found<ConnectedAgent>> {
    if (task.agentId !== undefined) {
      const agent = await this.connect(task.agentId);
      if (agent.ok && !agent.value.card.skills.includes(task.intent)) {
        return notOffered(agent.value, task.intent);
      }
      return agent;
    }
    const all = await Promise.all(Object.keys(this.#registry).map((id) => this.connect(id)));
    const offering = all.flatMap((agent) =>
      agent.ok && agent.value.card.skills.includes(task.intent) ? [agent] : [],
    );
    const [only, ...more] = offering;
    if (only !== undefined && more.length === 0) {
      return only;
    }
    if (only !== undefined) {
      const ids = offering.map((agent) => agent.value.agentId).join(', ');
      return {
        ok: false,
        code: A2AFailureCode.agentAmbiguous,
        message: `several agents offer intent "${task.intent}" (${ids}); the task must name one`,
      };
    }
    // An agent we could not ask might be the one: that is worth another try, not a verdict.
    const unreachable = all.find((agent) => !agent.ok);
    if (unreachable !== undefined && !unreachable.ok) {
      return {
        ok: false,
        code: unreachable.code,
        message: `no reachable agent offers intent "${task.intent}", and ${unreachable.message}`,
      };
    }
    return {
      ok: false,
      code: A2AFailureCode.capabilityMissing,
      message: `no agent offers intent "${task.intent}" (agents: ${Object.keys(this.#registry).join(', ') || 'none'})`,
    };
  }

  /** The named agent with a fresh enough card and a client for it. */
  connect(agentId: string): Promise<Found<ConnectedAgent>> {
    const entry = Object.hasOwn(this.#registry, agentId) ? this.#registry[agentId] : undefined;
    if (entry === undefined) {
      return Promise.resolve({
        ok: false,
        code: A2AFailureCode.unknownAgent,
        message: `agent "${agentId}" is not in the agent registry (known: ${Object.keys(this.#registry).join(', ') || 'none'})`,
      });
    }
    const now = Date.parse(this.#options.clock.now());
    const cached = this.#cache.get(agentId);
    if (cached !== undefined && now - cached.fetchedAt < this.#options.cardTtlMs) {
      return cached.connecting;
    }
    // Nothing here should throw, but check() and dispatch() must not, whatever the SDK does.
    const connecting = this.#fetchCard(agentId, entry.url).catch(
      (thrown: unknown): Found<ConnectedAgent> => ({
        ok: false,
        code: A2AFailureCode.badCard,
        message: `agent ${agentId} could not be set up from ${entry.url}: ${toError(thrown).message}`,
      }),
    );
    const fresh = { fetchedAt: now, connecting };
    this.#cache.set(agentId, fresh);
    void connecting.then((found) => {
      if (!found.ok && this.#cache.get(agentId) === fresh) {
        this.#cache.delete(agentId);
      }
    });
    return connecting;
  }

  /** Forgets every card, so nothing is kept after the gateway closes. */
  clear(): void {
    this.#cache.clear();
  }

  async #fetchCard(agentId: string, url: string): Promise<Found<ConnectedAgent>> {
    const { requestTimeoutMs, lifetime } = this.#options;
    const fetchImpl = boundedFetch(requestTimeoutMs, lifetime);
    let raw: AgentCard;
    try {
      raw = await repeatable(() => new DefaultAgentCardResolver({ fetchImpl }).resolve(url));
    } catch (thrown) {
      const problem = classify(thrown);
      if (problem.kind === 'transport' || (problem.kind === 'http' && problem.status >= 500)) {
        return { ok: false, ...describeProblem(problem, agentId, `fetching its card from ${url}`) };
      }
      return {
        ok: false,
        code: A2AFailureCode.badCard,
        message: `agent ${agentId} has no usable card at ${url}: ${problem.message}`,
      };
    }
    const read = readCard(raw);
    if (!read.ok) {
      return {
        ok: false,
        code: A2AFailureCode.badCard,
        message: `agent ${agentId} has no usable card at ${url}: ${read.why}`,
      };
    }
    // Built on supportedInterfaces[0] directly: the factory would pick by its own preferences.
    const transport = await new JsonRpcTransportFactory({ fetchImpl }).create(
      read.card.endpoint,
      raw,
    );
    return { ok: true, value: { agentId, card: read.card, client: new Client(transport, raw) } };
  }
}

function notOffered(agent: ConnectedAgent, intent: string): Found<ConnectedAgent> {
  return {
    ok: false,
    code: A2AFailureCode.capabilityMissing,
    message: `agent ${agent.agentId} does not offer intent "${intent}" (its card lists: ${agent.card.skills.join(', ') || 'no skills'})`,
  };
}
