import type { Instant, JsonValue, TaskFailure } from '../domain/index.js';

/**
 * The Agent Protocol Bridge, as the engine sees it: send one task attempt to an agent, wait for
 * it, cancel it. Adapters: A2A over HTTP (src/agents/a2a) and in-process functions
 * (src/agents/in-process). Adapters never throw for what an agent did wrong: a bad reply, a
 * refusal or an unreachable agent is an outcome. They throw only `UnclearDispatchError`, when
 * they cannot tell whether the agent received the attempt.
 */

/** One attempt of one task, everything an agent needs and everything needed to find it again. */
export interface TaskDispatch {
  readonly journeyId: string;
  readonly clientId: string;
  readonly stage: string;
  readonly workId: string;
  readonly taskId: string;
  /** 1, 2, 3... over the task's life: with workId and taskId it identifies the attempt. */
  readonly attempt: number;
  /** The configured agent; when absent the gateway discovers one by intent. */
  readonly agentId?: string;
  readonly intent: string;
  /** Already resolved: no `${...}` references left. */
  readonly input: JsonValue;
  /**
   * Deterministic for the attempt (the same on every re-dispatch), so the agent and our logs
   * agree on which attempt a message is.
   */
  readonly messageId: string;
  /** The attempt fails with a timeout if it has not ended by then. */
  readonly deadline: Instant;
  /**
   * A previous run of this dispatch may have reached the agent before its process died: look
   * the attempt up at the agent before sending it again.
   */
  readonly mayHaveBeenSent: boolean;
}

/** How an attempt ended. `failure.retryable` says whether the retry policy applies. */
export type AttemptOutcome =
  | { readonly status: 'succeeded'; readonly output: JsonValue }
  | { readonly status: 'failed'; readonly failure: TaskFailure };

/** What a dispatch gave: an outcome already, or the agent's handle to wait on. */
export type DispatchResult = (
  AttemptOutcome | { readonly status: 'running'; readonly agentTaskId: string }
) & {
  /** The agent the attempt went to (discovered by intent when the task named none). */
  readonly agentId: string;
};

/** Where an attempt in flight lives at its agent. */
export interface AgentTaskRef {
  readonly agentId: string;
  readonly agentTaskId: string;
}

export type PollResult = AttemptOutcome | { readonly status: 'running' };

export interface AgentGateway {
  dispatch(request: TaskDispatch, signal: AbortSignal): Promise<DispatchResult>;
  /** Asks how an attempt in flight stands. An agent that lost it answers a retryable failure. */
  poll(ref: AgentTaskRef, signal: AbortSignal): Promise<PollResult>;
  /** Asks the agent to stop an attempt; best effort (the attempt may have ended already). */
  cancel(ref: AgentTaskRef): Promise<void>;
  /**
   * Problems with sending these tasks, found before any runs: an unknown agent id, an intent no
   * agent (or several) offers, an agent that does not list the intent. Empty when all is well.
   */
  check(
    tasks: readonly { readonly agentId?: string; readonly intent: string }[],
  ): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * The gateway could not tell whether the agent received the attempt (e.g. the connection broke
 * after sending and the agent could not be asked). The engine tries again later, and says so
 * with `mayHaveBeenSent`, rather than recording a failure that may not have happened.
 */
export class UnclearDispatchError extends Error {
  override readonly name = 'UnclearDispatchError';
}
