import type { TaskFailure } from '../../domain/index.js';

/**
 * The `TaskFailure.code`s the A2A gateway records. They are stable: the engine, the audit trail
 * and people's alert rules match on them. Whether a failure may be retried is decided here, once,
 * per code (docs/agents.md has the table).
 */
export const A2AFailureCode = {
  /** The agent finished the task in FAILED. Retryable: the agent may succeed next time. */
  agentFailed: 'AGENT_FAILED',
  /** The agent refused the task (REJECTED). Not retryable: it would refuse again. */
  agentRejected: 'AGENT_REJECTED',
  /** The task ended CANCELED at the agent. Not retryable: someone decided to stop it. */
  agentCanceled: 'AGENT_CANCELED',
  /** INPUT_REQUIRED / AUTH_REQUIRED: the agent wants a person; the engine is non-interactive. */
  needsAttention: 'AGENT_NEEDS_ATTENTION',
  /** No connection could be made (refused, no route, bad host). Retryable. */
  agentUnreachable: 'AGENT_UNREACHABLE',
  /** The agent broke while serving us: HTTP 5xx or JSON-RPC -32603. Retryable. */
  agentError: 'AGENT_ERROR',
  /** The agent refused the request itself (a JSON-RPC contract or version error). Not retryable. */
  protocolError: 'AGENT_PROTOCOL_ERROR',
  /** The reply broke the contract in docs/agents.md (shape, state, output). Not retryable. */
  badReply: 'BAD_REPLY',
  /** The agent card could not be used (not a card, no JSON-RPC interface). Not retryable. */
  badCard: 'BAD_AGENT_CARD',
  /** The named agent does not list the intent among its skills, or no agent does. */
  capabilityMissing: 'CAPABILITY_MISSING',
  /** Several agents list the intent and the task names none of them. */
  agentAmbiguous: 'AGENT_AMBIGUOUS',
  /** The task names an agent id the registry does not hold. */
  unknownAgent: 'UNKNOWN_AGENT',
  /** The agent answered TaskNotFound for a task it had accepted: it lost its state. Retryable. */
  lostTask: 'AGENT_LOST_TASK',
  /** The agent did not answer one request within `requestTimeoutMs`. Retryable. */
  timeout: 'TIMEOUT',
} as const;
export type A2AFailureCode = (typeof A2AFailureCode)[keyof typeof A2AFailureCode];

const RETRYABLE: ReadonlySet<A2AFailureCode> = new Set([
  A2AFailureCode.agentFailed,
  A2AFailureCode.agentUnreachable,
  A2AFailureCode.agentError,
  A2AFailureCode.lostTask,
  A2AFailureCode.timeout,
]);

/** A frozen failure whose `retryable` follows from its code. */
export function failure(code: A2AFailureCode, message: string): TaskFailure {
  return Object.freeze({ code, message, retryable: RETRYABLE.has(code) });
}

/** The same failure as an attempt outcome. */
export function failed(
  code: A2AFailureCode,
  message: string,
): { readonly status: 'failed'; readonly failure: TaskFailure } {
  return Object.freeze({ status: 'failed', failure: failure(code, message) });
}
