import { randomUUID } from 'node:crypto';
import type {
  AgentGateway,
  AgentTaskRef,
  AttemptOutcome,
  DispatchResult,
  PollResult,
  TaskDispatch,
} from '../../application/agents.js';
import type { JsonValue, TaskFailure } from '../../domain/index.js';

/**
 * Agents as functions in this process: for embedding the orchestrator in another program and
 * for tests and benchmarks. A handler gets the task's input and an abort signal (cancellation
 * and the deadline reach it); what it returns is the output, what it throws is a failure.
 *
 * A dispatch waits up to `syncWait` for the handler: quick work completes in the dispatch itself
 * (one commit for start and end); slower work continues in the background and is polled like a
 * remote agent's. Its handle lives in memory only, so after a restart a poll answers
 * AGENT_LOST_TASK and the engine sends the attempt again, as it would to an agent that lost it.
 */

export interface AgentCall {
  readonly input: JsonValue;
  readonly signal: AbortSignal;
  readonly dispatch: TaskDispatch;
}

export type AgentHandler = (call: AgentCall) => JsonValue | Promise<JsonValue>;

/** Throw this from a handler to choose how the failure is recorded. */
export class AgentFailure extends Error {
  override readonly name = 'AgentFailure';
  constructor(
    message: string,
    readonly failure: Omit<TaskFailure, 'message'> = { retryable: true },
  ) {
    super(message);
  }
}

export interface InProcessGatewayOptions {
  /** How long a dispatch waits for its handler before answering `running`. @default 1000 */
  readonly syncWait?: number;
}

interface Running {
  readonly controller: AbortController;
  outcome: AttemptOutcome | undefined;
}

const DEFAULT_AGENT_ID = 'in-process';

export class InProcessAgentGateway implements AgentGateway {
  private readonly handlers = new Map<string, { agentId: string; handler: AgentHandler }[]>();
  private readonly running = new Map<string, Running>();
  private readonly syncWait: number;

  constructor(options: InProcessGatewayOptions = {}) {
    this.syncWait = options.syncWait ?? 1_000;
  }

  /** Serves `intent` with `handler`, as agent `agentId` (a task naming another agent misses it). */
  register(intent: string, handler: AgentHandler, agentId: string = DEFAULT_AGENT_ID): this {
    const list = this.handlers.get(intent) ?? [];
    this.handlers.set(intent, [...list.filter((h) => h.agentId !== agentId), { agentId, handler }]);
    return this;
  }

  check(
    tasks: readonly { readonly agentId?: string; readonly intent: string }[],
  ): Promise<string[]> {
    const problems: string[] = [];
    for (const task of tasks) {
      const found = this.resolve(task);
      if (typeof found === 'string') {
        problems.push(found);
      }
    }
    return Promise.resolve(problems);
  }

  async dispatch(request: TaskDispatch, signal: AbortSignal): Promise<DispatchResult> {
    const found = this.resolve(request);
    if (typeof found === 'string') {
      return {
        status: 'failed',
        agentId: request.agentId ?? DEFAULT_AGENT_ID,
        failure: { message: found, code: 'CAPABILITY_MISSING', retryable: false },
      };
    }
    const agentTaskId = randomUUID();
    const controller = new AbortController();
    const entry: Running = { controller, outcome: undefined };
    this.running.set(agentTaskId, entry);
    const settled = run(found.handler, request, controller.signal).then((outcome) => {
      entry.outcome = outcome;
      return outcome;
    });
    const wait = waitFor(this.syncWait, signal);
    const outcome = await Promise.race([settled, wait.elapsed]);
    wait.cancel();
    if (outcome === undefined) {
      return { status: 'running', agentId: found.agentId, agentTaskId };
    }
    this.running.delete(agentTaskId);
    return { ...outcome, agentId: found.agentId };
  }

  poll(ref: AgentTaskRef): Promise<PollResult> {
    const entry = this.running.get(ref.agentTaskId);
    if (entry === undefined) {
      return Promise.resolve({
        status: 'failed',
        failure: {
          message: `agent ${ref.agentId} has no task ${ref.agentTaskId} (this process restarted since it was sent)`,
          code: 'AGENT_LOST_TASK',
          retryable: true,
        },
      });
    }
    if (entry.outcome === undefined) {
      return Promise.resolve({ status: 'running' });
    }
    this.running.delete(ref.agentTaskId);
    return Promise.resolve(entry.outcome);
  }

  cancel(ref: AgentTaskRef): Promise<void> {
    this.running.get(ref.agentTaskId)?.controller.abort(new Error('cancelled'));
    return Promise.resolve();
  }

  close(): Promise<void> {
    for (const entry of this.running.values()) {
      entry.controller.abort(new Error('gateway closed'));
    }
    this.running.clear();
    return Promise.resolve();
  }

  private resolve(task: {
    readonly agentId?: string;
    readonly intent: string;
  }): { agentId: string; handler: AgentHandler } | string {
    const candidates = this.handlers.get(task.intent) ?? [];
    if (task.agentId !== undefined) {
      return (
        candidates.find((c) => c.agentId === task.agentId) ??
        `agent "${task.agentId}" has no skill "${task.intent}"`
      );
    }
    const [only, ...others] = candidates;
    if (only === undefined) {
      return `no agent offers the skill "${task.intent}"`;
    }
    if (others.length > 0) {
      return `several agents offer the skill "${task.intent}" (${candidates.map((c) => c.agentId).join(', ')}); name one with agentId`;
    }
    return only;
  }
}

async function run(
  handler: AgentHandler,
  dispatch: TaskDispatch,
  signal: AbortSignal,
): Promise<AttemptOutcome> {
  try {
    const output = await handler({ input: dispatch.input, signal, dispatch });
    return { status: 'succeeded', output: output ?? null };
  } catch (thrown) {
    if (thrown instanceof AgentFailure) {
      return { status: 'failed', failure: { message: thrown.message, ...thrown.failure } };
    }
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    return { status: 'failed', failure: { message, code: 'AGENT_FAILED', retryable: true } };
  }
}

/**
 * Resolves `elapsed` with undefined after `ms`, or at once when `signal` aborts. `cancel` drops
 * the timer and the listener: many dispatches share one signal, so none may leave one behind.
 */
function waitFor(
  ms: number,
  signal: AbortSignal,
): { elapsed: Promise<undefined>; cancel: () => void } {
  let done: () => void = () => undefined;
  const elapsed = new Promise<undefined>((resolve) => {
    const timer = setTimeout(finish, ms);
    signal.addEventListener('abort', finish, { once: true });
    function finish(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve(undefined);
    }
    done = finish;
    if (signal.aborted) {
      finish();
    }
  });
  return { elapsed, cancel: () => done() };
}
