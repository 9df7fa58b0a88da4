import type { Task } from '@a2a-js/sdk';
import { A2A_ERROR_CODE } from '@a2a-js/sdk/errors';
import {
  UnclearDispatchError,
  type AgentGateway,
  type AgentTaskRef,
  type DispatchResult,
  type PollResult,
  type TaskDispatch,
} from '../../application/agents.js';
import type { Clock } from '../../application/ports.js';
import { AgentDirectory, type AgentRegistry, type ConnectedAgent } from './agent-directory.js';
import { repeatable } from './bounded-fetch.js';
import { classify, describeProblem } from './call-problem.js';
import { A2AFailureCode, failed } from './failure-codes.js';
import { deliverAttempt } from './send-attempt.js';
import { outcomeOf } from './task-outcome.js';

/**
 * The Agent Protocol Bridge over A2A v1.0 (DESIGN.md section 4, docs/agents.md): sends each
 * attempt without blocking, answers `running` with the agent's task id, and maps the agent's
 * task states to outcomes when polled. What an agent does wrong is an outcome, never a throw.
 */

export interface A2AGatewayOptions {
  /** Reads the time for card expiry. @default the system clock */
  readonly clock?: Clock;
  /** The longest any one HTTP request to an agent may take. @default 10_000 */
  readonly requestTimeoutMs?: number;
  /** How long a fetched agent card is used before it is fetched again. @default 300_000 */
  readonly cardTtlMs?: number;
}

const systemClock: Clock = { now: () => new Date().toISOString() };

export class A2AAgentGateway implements AgentGateway {
  readonly #directory: AgentDirectory;
  readonly #lifetime = new AbortController();

  constructor(registry: AgentRegistry, options: A2AGatewayOptions = {}) {
    this.#directory = new AgentDirectory(registry, {
      clock: options.clock ?? systemClock,
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      cardTtlMs: options.cardTtlMs ?? 300_000,
      lifetime: this.#lifetime.signal,
    });
  }

  async check(
    tasks: readonly { readonly agentId?: string; readonly intent: string }[],
  ): Promise<string[]> {
    const found = await Promise.all(tasks.map((task) => this.#directory.resolve(task)));
    return [...new Set(found.flatMap((agent) => (agent.ok ? [] : [agent.message])))];
  }

  async dispatch(request: TaskDispatch, signal: AbortSignal): Promise<DispatchResult> {
    const found = await untilAborted(this.#directory.resolve(request), signal);
    if (found === undefined) {
      // Nothing was sent; saying "unclear" makes the engine come back rather than burn a retry.
      throw new UnclearDispatchError(`dispatch of task ${request.taskId} stopped before sending`);
    }
    if (!found.ok) {
      // No agent was chosen, so there is none to name: '' stands for "none".
      return { ...failed(found.code, found.message), agentId: request.agentId ?? '' };
    }
    const agent = found.value;
    const delivery = await deliverAttempt(agent, request, signal);
    if (delivery.kind === 'failed') {
      return { ...failed(delivery.code, delivery.message), agentId: agent.agentId };
    }
    const outcome = await this.#settle(agent, delivery.task);
    return outcome.status === 'running'
      ? { status: 'running', agentTaskId: delivery.task.id, agentId: agent.agentId }
      : { ...outcome, agentId: agent.agentId };
  }

  async poll(ref: AgentTaskRef, signal: AbortSignal): Promise<PollResult> {
    const found = await untilAborted(this.#directory.connect(ref.agentId), signal);
    if (found === undefined) {
      return { status: 'running' }; // stopped by the caller: we learned nothing new
    }
    if (!found.ok) {
      return failed(found.code, found.message);
    }
    const agent = found.value;
    let task: Task;
    try {
      task = await repeatable(() =>
        agent.client.getTask({ tenant: '', id: ref.agentTaskId, historyLength: 0 }, { signal }),
      );
    } catch (thrown) {
      const problem = classify(thrown);
      if (problem.kind === 'transport' && problem.transport === 'aborted') {
        return { status: 'running' };
      }
      if (problem.kind === 'rpc' && problem.code === A2A_ERROR_CODE.TASK_NOT_FOUND) {
        return failed(
          A2AFailureCode.lostTask,
          `agent ${ref.agentId} no longer knows task ${ref.agentTaskId} (it may have restarted): ${problem.message}`,
        );
      }
      const { code, message } = describeProblem(
        problem,
        ref.agentId,
        `asking about task ${ref.agentTaskId}`,
      );
      return failed(code, message);
    }
    if (task.id !== ref.agentTaskId) {
      return failed(
        A2AFailureCode.badReply,
        `agent ${ref.agentId} answered about task "${String(task.id)}" when asked about ${ref.agentTaskId}`,
      );
    }
    return this.#settle(agent, task);
  }

  async cancel(ref: AgentTaskRef): Promise<void> {
    try {
      const found = await this.#directory.connect(ref.agentId);
      if (found.ok) {
        await found.value.client.cancelTask(
          { tenant: '', id: ref.agentTaskId, metadata: undefined },
          { signal: this.#lifetime.signal },
        );
      }
    } catch {
      // Best effort by contract: the task may have ended already (-32002) or the agent is gone,
      // and the caller has nothing to do about either.
    }
  }

  close(): Promise<void> {
    this.#lifetime.abort(new Error('the A2A gateway closed'));
    this.#directory.clear();
    return Promise.resolve();
  }

  /**
   * The outcome of a task the agent returned. A task waiting for a person would sit at the
   * agent forever, since we never answer: it is cancelled on the way out.
   */
  async #settle(agent: ConnectedAgent, task: Task): Promise<PollResult> {
    const outcome = outcomeOf(task, agent.agentId);
    if (outcome.status === 'failed' && outcome.failure.code === A2AFailureCode.needsAttention) {
      await this.cancel({ agentId: agent.agentId, agentTaskId: task.id });
    }
    return outcome;
  }
}

/** Resolves with `undefined` as soon as `signal` aborts; the work itself carries on, bounded. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) {
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const stop = (): void => resolve(undefined);
    signal.addEventListener('abort', stop, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', stop);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', stop);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
