import { randomUUID } from 'node:crypto';
import type {
  AgentGateway,
  AgentTaskRef,
  AttemptOutcome,
  DispatchResult,
  TaskDispatch,
} from '../application/agents.js';
import type { MetricReader, ObservationRequest } from '../application/metric-sources.js';
import type { Clock } from '../application/ports.js';
import { addMillis, resolveInput, type Millis, type Observation } from '../domain/index.js';
import { readAgentOutput } from './agent-output.js';
import { cancelAtAgent, untilAborted, waitForOutcome, type Backoff } from './agent-wait.js';
import { startDeadline, type Deadline } from './deadline.js';
import { describeError } from './describe-error.js';
import { observed, unreadable } from './observation.js';

/** The agent never gave an outcome: timed out, stopped, or the gateway broke. */
interface Unanswered {
  readonly status: 'unanswered';
  readonly why: string;
}

export interface AgentMetricReaderOptions {
  readonly clock: Clock;
  readonly agents: AgentGateway;
  /** How often to ask an agent whether it has the value. @default { first: 50, max: 1000 } (ms, doubling) */
  readonly backoff?: Backoff;
}

/**
 * The `agent` source: asks an agent for the value by intent, as a one-attempt task, and waits
 * for the answer (see agent-output.ts for the shape it must have). `${journey.*}` references
 * in the source's input are resolved first; one that does not resolve is an error, never sent.
 */
export class AgentMetricReader implements MetricReader {
  readonly #clock: Clock;
  readonly #agents: AgentGateway;
  readonly #backoff: Backoff;

  constructor(options: AgentMetricReaderOptions) {
    this.#clock = options.clock;
    this.#agents = options.agents;
    this.#backoff = options.backoff ?? { first: 50, max: 1000 };
  }

  async observe(request: ObservationRequest, signal: AbortSignal): Promise<Observation> {
    const { source, context, timeout } = request;
    if (source.type !== 'agent') {
      return unreadable(this.#clock, `the agent reader cannot read source type "${source.type}"`);
    }
    const named =
      source.agentId === undefined
        ? `agent for intent ${source.intent}`
        : `agent ${source.agentId} (intent ${source.intent})`;
    const fail = (why: string): Observation => unreadable(this.#clock, `${named}: ${why}`);
    const { journeyId, clientId, stage, criterionId } = context;
    const input = resolveInput(source.input ?? {}, {
      journey: { journeyId, clientId, stage },
      tasks: {},
    });
    if (!input.ok) {
      return fail(`the input does not resolve: ${input.error}`);
    }
    const dispatch: TaskDispatch = {
      journeyId,
      clientId,
      stage,
      // A criterion reading is not a task of a unit of work; these ids only name it in logs.
      workId: `criterion:${journeyId}:${stage}:${criterionId}`,
      taskId: criterionId,
      attempt: 1,
      ...(source.agentId === undefined ? {} : { agentId: source.agentId }),
      intent: source.intent,
      input: input.value,
      // Every reading is a new question, never a re-send of an earlier one.
      messageId: randomUUID(),
      deadline: addMillis(this.#clock.now(), timeout),
      mayHaveBeenSent: false,
    };
    const deadline = startDeadline(signal, timeout);
    let outcome: AttemptOutcome | Unanswered;
    try {
      outcome = await this.#ask(dispatch, deadline, signal, timeout);
    } finally {
      deadline.release();
    }
    if (outcome.status === 'unanswered') {
      return fail(outcome.why);
    }
    if (outcome.status === 'failed') {
      const { message, code } = outcome.failure;
      return fail(`failed: ${message}${code === undefined ? '' : ` (${code})`}`);
    }
    const reading = readAgentOutput(outcome.output);
    if (!reading.ok) {
      return fail(reading.why);
    }
    return observed(this.#clock, reading.value, reading.heldSince);
  }

  /**
   * Sends the question and waits for the outcome. When the deadline or the caller stops it, or
   * the gateway breaks, it says why, and cancels the agent's task if one was started.
   */
  async #ask(
    dispatch: TaskDispatch,
    deadline: Deadline,
    caller: AbortSignal,
    timeout: Millis,
  ): Promise<AttemptOutcome | Unanswered> {
    const stop = deadline.signal;
    let ref: AgentTaskRef | undefined;
    try {
      stop.throwIfAborted();
      const sent = this.#agents.dispatch(dispatch, stop);
      const result = await untilAborted(sent, stop, (late) => this.#cancelLate(late));
      if (result.status !== 'running') {
        return result;
      }
      ref = { agentId: result.agentId, agentTaskId: result.agentTaskId };
      return await waitForOutcome(this.#agents, ref, stop, this.#backoff);
    } catch (thrown) {
      const why = deadline.timedOut()
        ? `timed out after ${timeout} ms`
        : caller.aborted
          ? `stopped before the agent answered (${describeError(caller.reason)})`
          : `${ref === undefined ? 'could not ask it' : 'lost track of the request'}: ${describeError(thrown)}`;
      return { status: 'unanswered', why: why + (await this.#cancel(ref)) };
    }
  }

  /** Cancels the agent's task, if it has one; the suffix says if that could not be confirmed. */
  async #cancel(ref: AgentTaskRef | undefined): Promise<string> {
    if (ref === undefined) {
      return '';
    }
    const problem = await cancelAtAgent(this.#agents, ref);
    return problem === undefined
      ? ' (cancelled at the agent)'
      : `; cancelling it at the agent failed: ${problem}`;
  }

  /** A dispatch that answered after we gave up would otherwise leave work running at the agent. */
  #cancelLate(late: DispatchResult): void {
    if (late.status === 'running') {
      void cancelAtAgent(this.#agents, late);
    }
  }
}
