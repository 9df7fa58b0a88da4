import { setTimeout as sleep } from 'node:timers/promises';
import { TaskState, type Message } from '@a2a-js/sdk';
import {
  AgentEvent,
  type AgentExecutor,
  type ExecutionEventBus,
  type RequestContext,
} from '@a2a-js/sdk/server';
import {
  agentMessage,
  dataPart,
  outputArtifact,
  statusUpdate,
  task,
  textPart,
  type TaskIds,
} from './a2a-builders.js';
import { readAttemptRequest, type AttemptRequest } from './attempt-request.js';
import type { Action, BehaviourControl } from './behaviour-control.js';
import { skillOf, type ExampleAgentId, type Skill, type SkillResult } from './catalog.js';
import type { Counters } from './counters.js';

/**
 * One example agent's work: read the attempt, record it, answer as the test chose. Every
 * answer goes through the SDK's event bus (task first, then updates), and a cancel of a task in
 * progress ends it CANCELED (A2A.md "Hosting an agent").
 */

export interface ExecutorDeps {
  readonly agentId: ExampleAgentId;
  readonly control: BehaviourControl;
  readonly counters: Counters;
  readonly now: () => Date;
  /** When the agents started: the standard `heldSince` is counted back from it. */
  readonly startedAt: Date;
}

interface Live {
  readonly intent: string;
  readonly contextId: string;
  /** Present while our own loop runs the task: aborting it makes the loop end CANCELED. */
  readonly stop?: AbortController;
}

export class ExampleExecutor implements AgentExecutor {
  readonly #deps: ExecutorDeps;
  /** Tasks not yet ended: working (slow, hang) or waiting for input. */
  readonly #live = new Map<string, Live>();

  constructor(deps: ExecutorDeps) {
    this.#deps = deps;
  }

  execute = async (context: RequestContext, bus: ExecutionEventBus): Promise<void> => {
    const ids: TaskIds = { taskId: context.taskId, contextId: context.contextId };
    const message = context.userMessage;
    const request = readAttemptRequest(message);
    const publish = this.#publisher(ids, message, bus);
    if ('error' in request) {
      this.#record(ids, message, { intent: '', input: {} });
      publish(TaskState.TASK_STATE_REJECTED, request.error);
      bus.finished();
      return;
    }
    this.#record(ids, message, request);
    const skill = skillOf(this.#deps.agentId, request.intent);
    if (skill === undefined) {
      publish(
        TaskState.TASK_STATE_REJECTED,
        `agent ${this.#deps.agentId} does not serve intent "${request.intent}"`,
      );
      bus.finished();
      return;
    }
    const action = this.#deps.control.next(this.#deps.agentId, request.intent, request.clientId);
    await this.#answer(action, { ids, request, skill, bus, publish });
    if (action.kind !== 'input-required') {
      bus.finished(); // an interrupted task keeps its bus, so a cancel can still reach it
    }
  };

  cancelTask = (taskId: string, bus: ExecutionEventBus): Promise<void> => {
    const live = this.#live.get(taskId);
    this.#deps.counters.recordCancel({
      agentId: this.#deps.agentId,
      agentTaskId: taskId,
      ...(live === undefined ? {} : { intent: live.intent }),
    });
    if (live?.stop !== undefined) {
      live.stop.abort();
    } else if (live !== undefined) {
      // Waiting for input, so no loop of ours is running: end it here.
      this.#live.delete(taskId);
      const ids = { taskId, contextId: live.contextId };
      bus.publish(
        AgentEvent.statusUpdate(
          statusUpdate(ids, TaskState.TASK_STATE_CANCELED, this.#at(), 'cancelled'),
        ),
      );
    }
    return Promise.resolve();
  };

  /** Ends every task still working, so no timer of ours outlives the server. */
  stopAll(): void {
    for (const live of this.#live.values()) {
      live.stop?.abort();
    }
  }

  async #answer(action: Action, job: Job): Promise<void> {
    const { ids, request, publish } = job;
    switch (action.kind) {
      case 'succeed': {
        const result = this.#result(job);
        if (result.ok) {
          publish(TaskState.TASK_STATE_COMPLETED, undefined, [
            outputArtifact([dataPart(result.output)]),
          ]);
        } else {
          publish(TaskState.TASK_STATE_REJECTED, result.why);
        }
        return;
      }
      case 'fail':
        publish(TaskState.TASK_STATE_FAILED, action.message);
        return;
      case 'reject':
        publish(
          TaskState.TASK_STATE_REJECTED,
          action.message ?? `${request.intent} refused (as the test asked)`,
        );
        return;
      case 'input-required':
        this.#live.set(ids.taskId, { intent: request.intent, contextId: ids.contextId });
        publish(TaskState.TASK_STATE_INPUT_REQUIRED, 'a person must confirm this change first');
        return;
      case 'garbage':
        this.#garbage(action.variant ?? 'text', job);
        return;
      case 'hang':
      case 'slow':
        await this.#work(action.kind === 'slow' ? action.delayMs : undefined, job);
        return;
    }
  }

  /** WORKING until done (after `delayMs`) or cancelled; `undefined` waits for the cancel only. */
  async #work(delayMs: number | undefined, job: Job): Promise<void> {
    const { ids, request, bus, publish } = job;
    const stop = new AbortController();
    this.#live.set(ids.taskId, { intent: request.intent, contextId: ids.contextId, stop });
    publish(TaskState.TASK_STATE_WORKING);
    try {
      await (delayMs === undefined
        ? untilAborted(stop.signal)
        : sleep(delayMs, undefined, { signal: stop.signal }));
    } catch {
      // The sleep was aborted: the cancel below says so.
    } finally {
      this.#live.delete(ids.taskId);
    }
    if (stop.signal.aborted) {
      bus.publish(
        AgentEvent.statusUpdate(
          statusUpdate(ids, TaskState.TASK_STATE_CANCELED, this.#at(), 'cancelled'),
        ),
      );
      return;
    }
    const result = this.#result(job);
    if (!result.ok) {
      bus.publish(
        AgentEvent.statusUpdate(
          statusUpdate(ids, TaskState.TASK_STATE_REJECTED, this.#at(), result.why),
        ),
      );
      return;
    }
    bus.publish(
      AgentEvent.artifactUpdate({
        taskId: ids.taskId,
        contextId: ids.contextId,
        artifact: outputArtifact([dataPart(result.output)]),
        append: false,
        lastChunk: true,
        metadata: undefined,
      }),
    );
    bus.publish(
      AgentEvent.statusUpdate(statusUpdate(ids, TaskState.TASK_STATE_COMPLETED, this.#at())),
    );
  }

  #garbage(variant: 'text' | 'not-an-object' | 'message', job: Job): void {
    const { ids, request, bus, publish } = job;
    switch (variant) {
      case 'text':
        publish(TaskState.TASK_STATE_COMPLETED, undefined, [
          outputArtifact([textPart(`${request.intent}: done`)]),
        ]);
        return;
      case 'not-an-object':
        publish(TaskState.TASK_STATE_COMPLETED, undefined, [
          outputArtifact([dataPart(['not', 'an', 'object'])]),
        ]);
        return;
      case 'message':
        bus.publish(
          AgentEvent.message(
            agentMessage(
              { taskId: '', contextId: ids.contextId },
              [textPart('done')],
              `${ids.taskId}:reply`,
            ),
          ),
        );
        return;
    }
  }

  /** The intent's output: a task's from its input, a metric's as chosen or standard. */
  #result({ request, skill }: Job): SkillResult {
    if (skill.kind === 'task') {
      return skill.run(request.input);
    }
    const reading =
      this.#deps.control.reading(this.#deps.agentId, request.intent, request.clientId) ??
      skill.standard(this.#deps.startedAt);
    return {
      ok: true,
      output: {
        value: reading.value,
        ...(reading.heldSince === undefined ? {} : { heldSince: reading.heldSince }),
      },
    };
  }

  #record(
    ids: TaskIds,
    message: Message,
    request: Pick<AttemptRequest, 'intent'> & Partial<AttemptRequest>,
  ): void {
    this.#deps.counters.recordMessage({
      agentId: this.#deps.agentId,
      intent: request.intent,
      messageId: message.messageId,
      agentTaskId: ids.taskId,
      ...(request.workId === undefined ? {} : { workId: request.workId }),
      ...(request.taskId === undefined ? {} : { taskId: request.taskId }),
      ...(request.attempt === undefined ? {} : { attempt: request.attempt }),
      ...(request.clientId === undefined ? {} : { clientId: request.clientId }),
    });
  }

  /**
   * Publishes the whole task as the first event. Our message metadata is copied onto it so the
   * orchestrator can find the attempt again by its ids (docs/agents.md).
   */
  #publisher(ids: TaskIds, message: Message, bus: ExecutionEventBus): Publish {
    return (state, says, artifacts) => {
      bus.publish(
        AgentEvent.task(
          task(ids, {
            state,
            at: this.#at(),
            history: [message],
            metadata: { ...(message.metadata ?? {}) },
            ...(says === undefined ? {} : { says }),
            ...(artifacts === undefined ? {} : { artifacts }),
          }),
        ),
      );
    };
  }

  #at(): string {
    return this.#deps.now().toISOString();
  }
}

type Publish = (
  state: TaskState,
  says?: string,
  artifacts?: ReturnType<typeof outputArtifact>[],
) => void;

interface Job {
  readonly ids: TaskIds;
  readonly request: AttemptRequest;
  readonly skill: Skill;
  readonly bus: ExecutionEventBus;
  readonly publish: Publish;
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}
