import type { Message, Task } from '@a2a-js/sdk';
import { A2A_ERROR_CODE } from '@a2a-js/sdk/errors';
import { UnclearDispatchError, type TaskDispatch } from '../../application/agents.js';
import type { ConnectedAgent } from './agent-directory.js';
import { attemptRequest } from './attempt-message.js';
import {
  classify,
  describeProblem,
  isClearlyNotSent,
  isUnclear,
  type CallProblem,
} from './call-problem.js';
import { A2AFailureCode } from './failure-codes.js';
import { findAttempt } from './find-attempt.js';

/**
 * Gets one attempt to its agent at most once, as far as the agent can help: an attempt that may
 * have been sent before is looked up first, and a send whose fate is unclear is looked up
 * before it is sent once more. Ends with the agent's task, a clear failure, or
 * `UnclearDispatchError` when the agent cannot tell us either way.
 */
export type Delivery =
  | { readonly kind: 'task'; readonly task: Task }
  | { readonly kind: 'failed'; readonly code: A2AFailureCode; readonly message: string };

type SendResult = Delivery | { readonly kind: 'unclear'; readonly problem: CallProblem };

export async function deliverAttempt(
  agent: ConnectedAgent,
  request: TaskDispatch,
  signal: AbortSignal,
): Promise<Delivery> {
  const name = `attempt ${request.attempt} of task ${request.taskId} (work ${request.workId})`;
  if (request.mayHaveBeenSent) {
    const earlier = await findAttempt(agent.client, request, signal);
    if (earlier.kind === 'found') {
      return { kind: 'task', task: earlier.task };
    }
    if (earlier.kind === 'unknown') {
      if (isClearlyNotSent(earlier.problem)) {
        return failedWith(earlier.problem, agent, `looking up ${name}`);
      }
      if (mightKnowLater(earlier.problem)) {
        throw unclear(agent, name, earlier.problem);
      }
      // The agent cannot list tasks at all (a contract error): sending is the only way on.
    }
  }
  const first = await send(agent, request, name, signal);
  if (first.kind !== 'unclear') {
    return first;
  }
  if (signal.aborted) {
    throw unclear(agent, name, first.problem);
  }
  const lookup = await findAttempt(agent.client, request, signal);
  if (lookup.kind === 'found') {
    return { kind: 'task', task: lookup.task };
  }
  if (lookup.kind === 'unknown') {
    throw unclear(agent, name, lookup.problem);
  }
  // The agent does not have it: the first send never arrived, so one more is not a duplicate.
  const second = await send(agent, request, name, signal);
  if (second.kind === 'unclear') {
    throw unclear(agent, name, second.problem);
  }
  return second;
}

async function send(
  agent: ConnectedAgent,
  request: TaskDispatch,
  name: string,
  signal: AbortSignal,
): Promise<SendResult> {
  let reply: Message | Task;
  try {
    reply = await agent.client.sendMessage(attemptRequest(request), { signal });
  } catch (thrown) {
    const problem = classify(thrown);
    return isUnclear(problem)
      ? { kind: 'unclear', problem }
      : failedWith(problem, agent, `sending ${name}`);
  }
  const about = `agent ${agent.agentId} (sending ${name})`;
  if ('messageId' in reply) {
    return {
      kind: 'failed',
      code: A2AFailureCode.badReply,
      message: `${about} answered with a message instead of a task`,
    };
  }
  if (typeof reply.id !== 'string' || reply.id === '') {
    return {
      kind: 'failed',
      code: A2AFailureCode.badReply,
      message: `${about} answered with a task without an id`,
    };
  }
  return { kind: 'task', task: reply };
}

/** Failures after which asking again later may tell us more: the agent broke, not refused. */
function mightKnowLater(problem: CallProblem): boolean {
  return (
    isUnclear(problem) ||
    (problem.kind === 'http' && problem.status >= 500) ||
    (problem.kind === 'rpc' && problem.code === A2A_ERROR_CODE.INTERNAL_ERROR)
  );
}

function failedWith(problem: CallProblem, agent: ConnectedAgent, doing: string): Delivery {
  return { kind: 'failed', ...describeProblem(problem, agent.agentId, doing) };
}

function unclear(agent: ConnectedAgent, name: string, problem: CallProblem): UnclearDispatchError {
  return new UnclearDispatchError(
    `cannot tell whether agent ${agent.agentId} received ${name}: ${problem.message}`,
  );
}
