import { TaskState, type Task } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import type { TaskDispatch } from '../../application/agents.js';
import { isAttempt } from './attempt-message.js';
import { repeatable } from './bounded-fetch.js';
import { classify, type CallProblem } from './call-problem.js';

/**
 * Looks for an attempt the agent may already hold (A2A.md "Idempotency is ours"): the SDK
 * server does not de-duplicate messages, so before sending an attempt again we ask for the
 * tasks of its unit of work (`contextId = workId`) and pick the one carrying our message.
 */
export type AttemptLookup =
  | { readonly kind: 'found'; readonly task: Task }
  | { readonly kind: 'absent' }
  | { readonly kind: 'unknown'; readonly problem: CallProblem };

/** A unit of work holds a few dozen attempts at most; more pages means a misbehaving agent. */
const MAX_PAGES = 10;
const PAGE_SIZE = 100;

export async function findAttempt(
  client: Client,
  request: TaskDispatch,
  signal: AbortSignal,
): Promise<AttemptLookup> {
  let pageToken = '';
  for (let page = 0; page < MAX_PAGES; page += 1) {
    let tasks: readonly Task[];
    let next: string;
    try {
      const reply = await repeatable(() =>
        client.listTasks(
          {
            tenant: '',
            contextId: request.workId,
            status: TaskState.TASK_STATE_UNSPECIFIED,
            pageSize: PAGE_SIZE,
            pageToken,
            statusTimestampAfter: undefined,
            // A finished attempt is answered from this reply, so it must carry the output.
            includeArtifacts: true,
          },
          { signal },
        ),
      );
      tasks = reply.tasks;
      next = reply.nextPageToken;
    } catch (thrown) {
      return { kind: 'unknown', problem: classify(thrown) };
    }
    const task = tasks.find((candidate) => isAttempt(candidate, request));
    if (task !== undefined) {
      return { kind: 'found', task };
    }
    if (next === '') {
      return { kind: 'absent' };
    }
    pageToken = next;
  }
  return {
    kind: 'unknown',
    problem: {
      kind: 'bad-reply',
      message: `more than ${MAX_PAGES * PAGE_SIZE} tasks in context ${request.workId}`,
    },
  };
}
