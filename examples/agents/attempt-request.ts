import type { Message } from '@a2a-js/sdk';
import { isJsonObject, type JsonObject } from './json.js';

/**
 * What the orchestrator asks for, read from its message (docs/agents.md "What an agent
 * receives"): a data part `{intent, workId, taskId, attempt, input}`, with the same ids and
 * `skillId`, `clientId` in the message metadata.
 */
export interface AttemptRequest {
  readonly intent: string;
  readonly input: JsonObject;
  readonly workId?: string;
  readonly taskId?: string;
  readonly attempt?: number;
  readonly clientId?: string;
}

export function readAttemptRequest(message: Message): AttemptRequest | { readonly error: string } {
  const part = message.parts.find((candidate) => candidate.content?.$case === 'data');
  const data: unknown = part?.content?.$case === 'data' ? part.content.value : undefined;
  if (!isJsonObject(data)) {
    return { error: 'expected a data part {intent, workId, taskId, attempt, input}' };
  }
  const metadata: Readonly<Record<string, unknown>> = message.metadata ?? {};
  const intent = text(data['intent']) ?? text(metadata['skillId']);
  if (intent === undefined) {
    return { error: 'the data part names no intent' };
  }
  const input = isJsonObject(data['input']) ? data['input'] : {};
  const workId = text(data['workId']) ?? text(metadata['workId']);
  const taskId = text(data['taskId']) ?? text(metadata['taskId']);
  const attempt = data['attempt'] ?? metadata['attempt'];
  const clientId = text(metadata['clientId']) ?? text(input['clientId']);
  return {
    intent,
    input,
    ...(workId === undefined ? {} : { workId }),
    ...(taskId === undefined ? {} : { taskId }),
    ...(typeof attempt === 'number' ? { attempt } : {}),
    ...(clientId === undefined ? {} : { clientId }),
  };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
