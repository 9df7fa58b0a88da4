import { Role, type Message, type SendMessageRequest, type Task } from '@a2a-js/sdk';
import type { TaskDispatch } from '../../application/agents.js';

/**
 * One attempt as an A2A message (docs/agents.md "What an agent receives"). A message has no
 * skill selector, so the intent travels in the data part and in `metadata.skillId`; the ids
 * travel in both too, so an agent can read either and we can find the attempt again.
 */
export function attemptRequest(request: TaskDispatch): SendMessageRequest {
  const message: Message = {
    messageId: request.messageId,
    contextId: request.workId,
    taskId: '',
    role: Role.ROLE_USER,
    parts: [
      {
        content: {
          $case: 'data',
          value: {
            intent: request.intent,
            workId: request.workId,
            taskId: request.taskId,
            attempt: request.attempt,
            input: request.input,
          },
        },
        metadata: undefined,
        filename: '',
        mediaType: 'application/json',
      },
    ],
    metadata: {
      skillId: request.intent,
      workId: request.workId,
      taskId: request.taskId,
      attempt: request.attempt,
      journeyId: request.journeyId,
      clientId: request.clientId,
      stage: request.stage,
      deadline: request.deadline,
    },
    extensions: [],
    referenceTaskIds: [],
  };
  return {
    tenant: '',
    message,
    // Never block: long work would hold the connection for minutes (A2A.md "Long-running").
    configuration: {
      acceptedOutputModes: [],
      taskPushNotificationConfig: undefined,
      returnImmediately: true,
    },
    metadata: undefined,
  };
}

/**
 * Whether an agent task is this attempt: its history holds our message (the SDK server keeps
 * the user message there), or its metadata names the same task and attempt (for agents that
 * trim history but copy our metadata, as docs/agents.md asks).
 */
export function isAttempt(task: Task, request: TaskDispatch): boolean {
  if (task.history.some((message) => message.messageId === request.messageId)) {
    return true;
  }
  const metadata = task.metadata ?? {};
  return metadata['taskId'] === request.taskId && Number(metadata['attempt']) === request.attempt;
}
