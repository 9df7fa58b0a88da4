import type { ExitCriterion } from '../domain/exit-criteria/criterion.js';
import type { WorkingStage } from '../domain/journey/stage.js';
import type { Millis } from '../domain/time.js';
import type { TaskDefinition } from '../domain/unit-of-work/task.js';
import type { FreezeWindow } from './freeze-window.js';

/**
 * A playbook once loaded: every default applied, durations in milliseconds, ids branded, and the
 * whole object frozen. It is what the orchestrator runs; the YAML format is in docs/playbooks.md.
 */
export const PLAYBOOK_API_VERSION = 'journey-orchestrator/v1';
export const PLAYBOOK_KIND = 'Playbook';

export interface Playbook {
  readonly apiVersion: typeof PLAYBOOK_API_VERSION;
  /** A slug naming the playbook, e.g. `default`. */
  readonly name: string;
  /** Increases with each change, so a journey records exactly which playbook it follows. */
  readonly version: number;
  readonly description?: string;
  /** The agent registry: agent id -> where its A2A endpoint lives. */
  readonly agents: Readonly<Record<string, AgentEndpoint>>;
  readonly stages: { readonly [S in WorkingStage]: StagePlaybook };
  /** Freeze windows of this playbook's journeys: no promotion starts in one. @default none */
  readonly freezes: readonly FreezeWindow[];
}

export interface AgentEndpoint {
  /** Base URL of the agent (absolute http or https); its card is read from there. */
  readonly url: string;
  readonly description?: string;
}

/** What happens in one stage: the work, the gate, and how it reacts. */
export interface StagePlaybook {
  /** Runs when the journey enters the stage. */
  readonly setup: UnitOfWorkPlan;
  /** Runs when the journey is rolled back out of this stage (undoes `setup`). @default no tasks */
  readonly rollback: UnitOfWorkPlan;
  /** Must all pass to leave the stage; for production, to complete the journey. */
  readonly exitCriteria: readonly ExitCriterion[];
  /** Promote (production: complete) as soon as setup is done and every criterion passed. @default false */
  readonly autoPromote: boolean;
  /** How often criteria that have not passed yet are evaluated again. @default 5m */
  readonly recheckInterval: Millis;
  /** Roll back to the previous stage automatically when setup fails (pilot and production). @default false */
  readonly rollbackOnFailure: boolean;
  /** The least time a journey stays in the stage before it may be promoted (0: none). @default 0 */
  readonly soakTime: Millis;
}

export interface UnitOfWorkPlan {
  readonly tasks: readonly TaskDefinition[];
}

/** Every task of a playbook and every criterion, counted (for summaries). */
export function countPlaybook(playbook: Playbook): { tasks: number; criteria: number } {
  let tasks = 0;
  let criteria = 0;
  for (const stage of Object.values(playbook.stages)) {
    tasks += stage.setup.tasks.length + stage.rollback.tasks.length;
    criteria += stage.exitCriteria.length;
  }
  return { tasks, criteria };
}
