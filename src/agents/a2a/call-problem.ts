import { A2A_ERROR_CODE, isJsonRpcError } from '@a2a-js/sdk/errors';
import { toError } from '../../application/errors.js';
import { HttpStatusError, TransportError, type TransportFailure } from './bounded-fetch.js';
import { A2AFailureCode } from './failure-codes.js';

/**
 * What went wrong with one call to an agent, sorted by what it means for the attempt. The SDK
 * throws typed errors for JSON-RPC errors, our fetch throws typed errors for the network, and
 * anything else it throws (unparseable JSON, a missing payload, a wrong JSON-RPC id) is the
 * agent's reply not making sense.
 */
export type CallProblem =
  | { readonly kind: 'transport'; readonly transport: TransportFailure; readonly message: string }
  | { readonly kind: 'http'; readonly status: number; readonly message: string }
  | { readonly kind: 'rpc'; readonly code: number; readonly message: string }
  | { readonly kind: 'bad-reply'; readonly message: string };

export function classify(thrown: unknown): CallProblem {
  if (thrown instanceof TransportError) {
    return { kind: 'transport', transport: thrown.kind, message: thrown.message };
  }
  if (thrown instanceof HttpStatusError) {
    return { kind: 'http', status: thrown.status, message: thrown.message };
  }
  if (isJsonRpcError(thrown)) {
    return { kind: 'rpc', code: thrown.envelopeCode, message: thrown.message };
  }
  return { kind: 'bad-reply', message: toError(thrown).message };
}

/** After these the agent cannot have received the request (or will not act on it). */
export function isClearlyNotSent(problem: CallProblem): boolean {
  return problem.kind === 'transport' && problem.transport === 'not-connected';
}

/** Network failures after which nobody knows whether the agent got the request. */
export function isUnclear(problem: CallProblem): boolean {
  return problem.kind === 'transport' && problem.transport !== 'not-connected';
}

/** The failure code and message for a problem, as seen while talking to `agentId`. */
export function describeProblem(
  problem: CallProblem,
  agentId: string,
  doing: string,
): { readonly code: A2AFailureCode; readonly message: string } {
  const about = `agent ${agentId} (${doing})`;
  switch (problem.kind) {
    case 'transport':
      return problem.transport === 'timed-out'
        ? { code: A2AFailureCode.timeout, message: `${about}: ${problem.message}` }
        : {
            code: A2AFailureCode.agentUnreachable,
            message: `${about} is unreachable: ${problem.message}`,
          };
    case 'http':
      return {
        code: problem.status >= 500 ? A2AFailureCode.agentError : A2AFailureCode.protocolError,
        message: `${about} answered ${problem.message}`,
      };
    case 'rpc':
      return {
        code: rpcFailureCode(problem.code),
        message: `${about} answered JSON-RPC error ${problem.code}: ${problem.message}`,
      };
    case 'bad-reply':
      return {
        code: A2AFailureCode.badReply,
        message: `${about} sent a reply that makes no sense: ${problem.message}`,
      };
  }
}

/**
 * A2A.md "Outcomes": an internal error may pass; a contract or version error will not, so it is
 * not retried. TaskNotFound is only expected when asking about a task the agent had accepted.
 */
function rpcFailureCode(code: number): A2AFailureCode {
  switch (code) {
    case A2A_ERROR_CODE.INTERNAL_ERROR:
      return A2AFailureCode.agentError;
    case A2A_ERROR_CODE.TASK_NOT_FOUND:
      return A2AFailureCode.lostTask;
    case A2A_ERROR_CODE.INVALID_AGENT_RESPONSE:
      return A2AFailureCode.badReply;
    default:
      return A2AFailureCode.protocolError;
  }
}
