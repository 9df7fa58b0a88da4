import { TaskState, type Part, type Task } from '@a2a-js/sdk';
import type { PollResult } from '../../application/agents.js';
import type { JsonObject, JsonValue } from '../../domain/index.js';
import { A2AFailureCode, failed } from './failure-codes.js';

/**
 * What an agent's task says about our attempt (A2A.md "Outcomes", docs/agents.md "Contract").
 * Pure: the same task always maps to the same result, and nothing an agent sends makes it throw.
 */
export function outcomeOf(task: Task, agentId: string): PollResult {
  const about = `agent ${agentId} task ${task.id}`;
  const status = task.status;
  if (status === undefined) {
    return failed(A2AFailureCode.badReply, `${about} has no status`);
  }
  const reason = statusText(task);
  const because = reason === '' ? '' : `: ${reason}`;
  switch (status.state) {
    case TaskState.TASK_STATE_UNSPECIFIED:
    case TaskState.TASK_STATE_SUBMITTED:
    case TaskState.TASK_STATE_WORKING:
      return { status: 'running' };
    case TaskState.TASK_STATE_COMPLETED:
      return outputOf(task, about);
    case TaskState.TASK_STATE_FAILED:
      return failed(
        A2AFailureCode.agentFailed,
        `${about} failed${because || ' (no reason given)'}`,
      );
    case TaskState.TASK_STATE_REJECTED:
      return failed(A2AFailureCode.agentRejected, `${about} was rejected${because}`);
    case TaskState.TASK_STATE_CANCELED:
      return failed(A2AFailureCode.agentCanceled, `${about} was canceled${because}`);
    case TaskState.TASK_STATE_INPUT_REQUIRED:
      return failed(
        A2AFailureCode.needsAttention,
        `${about} needs input, which the orchestrator cannot give${because}`,
      );
    case TaskState.TASK_STATE_AUTH_REQUIRED:
      return failed(
        A2AFailureCode.needsAttention,
        `${about} needs authentication, which the orchestrator cannot give${because}`,
      );
    default:
      return failed(
        A2AFailureCode.badReply,
        `${about} is in an unknown state (${String(status.state)})`,
      );
  }
}

/**
 * The output is the `data` of the first data part among the artifacts, and must be a JSON
 * object. A task that completes with no artifacts at all did its work for its side effects:
 * its output is `{}`. Artifacts without a data part (text, files) break the contract.
 */
function outputOf(task: Task, about: string): PollResult {
  const artifacts = task.artifacts;
  if (artifacts.length === 0) {
    return { status: 'succeeded', output: {} };
  }
  const parts = artifacts.flatMap((artifact) => artifact.parts);
  const data = parts.find((part) => part.content?.$case === 'data');
  if (data?.content?.$case !== 'data') {
    const kinds = [...new Set(parts.map(partKind))].join(', ') || 'no parts';
    return failed(
      A2AFailureCode.badReply,
      `${about} completed without a data part in its artifacts (found ${kinds}); the output must be a JSON object in a data part`,
    );
  }
  const value: unknown = data.content.value;
  if (!isJsonObject(value)) {
    return failed(
      A2AFailureCode.badReply,
      `${about} completed with ${describeJson(value)} as output; the output must be a JSON object`,
    );
  }
  return { status: 'succeeded', output: value };
}

/** The words of the status message: where agents say why they failed. */
function statusText(task: Task): string {
  const parts = task.status?.message?.parts ?? [];
  const text = parts
    .map((part) => (part.content?.$case === 'text' ? part.content.value.trim() : ''))
    .filter((line) => line !== '')
    .join(' ');
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

function partKind(part: Part): string {
  return part.content?.$case ?? 'an empty part';
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && isJson(value);
}

/** Decoded from JSON, so only non-finite numbers or odd prototypes could slip through. */
function isJson(value: unknown): value is JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      if (value === null) {
        return true;
      }
      return Array.isArray(value)
        ? value.every(isJson)
        : Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every(isJson);
    default:
      return false;
  }
}

function describeJson(value: unknown): string {
  if (value === null || value === undefined) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  return `a ${typeof value}`;
}
