import {
  Role,
  type Artifact,
  type Message,
  type Part,
  type Task,
  type TaskState,
  type TaskStatusUpdateEvent,
} from '@a2a-js/sdk';
import type { Json } from './json.js';

/**
 * The SDK's types are generated from protobuf and every field is required, so the few shapes
 * an agent publishes are built here once (A2A.md "Hosting an agent").
 */

export function dataPart(value: Json): Part {
  return {
    content: { $case: 'data', value },
    metadata: undefined,
    filename: '',
    mediaType: 'application/json',
  };
}

export function textPart(text: string): Part {
  return {
    content: { $case: 'text', value: text },
    metadata: undefined,
    filename: '',
    mediaType: 'text/plain',
  };
}

export function agentMessage(ids: TaskIds, parts: Part[], messageId: string): Message {
  return {
    messageId,
    contextId: ids.contextId,
    taskId: ids.taskId,
    role: Role.ROLE_AGENT,
    parts,
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
}

export function outputArtifact(parts: Part[]): Artifact {
  return {
    artifactId: 'output',
    name: 'output',
    description: '',
    parts,
    metadata: undefined,
    extensions: [],
  };
}

export interface TaskIds {
  readonly taskId: string;
  readonly contextId: string;
}

export interface TaskShape {
  readonly state: TaskState;
  readonly at: string;
  /** Said in the status message: why it failed, what it needs. */
  readonly says?: string;
  readonly artifacts?: Artifact[];
  readonly history: Message[];
  readonly metadata: Record<string, unknown>;
}

export function task(ids: TaskIds, shape: TaskShape): Task {
  return {
    id: ids.taskId,
    contextId: ids.contextId,
    status: {
      state: shape.state,
      message:
        shape.says === undefined
          ? undefined
          : agentMessage(ids, [textPart(shape.says)], `${ids.taskId}:status`),
      timestamp: shape.at,
    },
    artifacts: shape.artifacts ?? [],
    history: shape.history,
    metadata: shape.metadata,
  };
}

export function statusUpdate(
  ids: TaskIds,
  state: TaskState,
  at: string,
  says?: string,
): TaskStatusUpdateEvent {
  return {
    taskId: ids.taskId,
    contextId: ids.contextId,
    status: {
      state,
      message:
        says === undefined
          ? undefined
          : agentMessage(ids, [textPart(says)], `${ids.taskId}:${state}`),
      timestamp: at,
    },
    metadata: undefined,
  };
}
