import type { AgentId, TaskId } from '../ids.js';
import type { JsonValue } from '../json.js';
import type { RetryPolicy } from '../retry-policy.js';
import type { Millis } from '../time.js';

/**
 * A task as a playbook defines it: what to ask of which agent, after which other tasks. `input`
 * may hold `${...}` references to journey fields and upstream outputs (see input-template.ts);
 * they are resolved when the task starts, not when it is defined.
 */
export interface TaskDefinition {
  readonly taskId: TaskId;
  readonly name: string;
  /** The agent to send the task to; when absent an agent is discovered by `intent`. */
  readonly agentId?: AgentId;
  /** What the agent is asked to do: an A2A skill id such as `provision_test_dataset`. */
  readonly intent: string;
  readonly input: JsonValue;
  readonly dependsOn: readonly TaskId[];
  readonly retry: RetryPolicy;
  /** How long one attempt may run before it counts as failed (and may be retried). */
  readonly timeout: Millis;
}
