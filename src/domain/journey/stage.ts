/**
 * The stages of a journey. `rollback` is transient (the journey is being reverted) and
 * `completed` / `cancelled` are terminal: nothing changes a journey in a terminal stage.
 */
export const Stage = {
  sandbox: 'sandbox',
  pilot: 'pilot',
  production: 'production',
  rollback: 'rollback',
  completed: 'completed',
  cancelled: 'cancelled',
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];

/** The stages a journey works in, in order. Each has a setup unit of work and exit criteria. */
export const WORKING_STAGES = ['sandbox', 'pilot', 'production'] as const;
export type WorkingStage = (typeof WORKING_STAGES)[number];

export const ALL_STAGES: readonly Stage[] = Object.values(Stage);

export function isStage(value: string): value is Stage {
  return (ALL_STAGES as readonly string[]).includes(value);
}

export function isWorkingStage(value: string): value is WorkingStage {
  return (WORKING_STAGES as readonly string[]).includes(value);
}

export function isTerminalStage(stage: Stage): boolean {
  return stage === 'completed' || stage === 'cancelled';
}

/** The stage a promotion from `stage` leads to; production leads to completion. */
export function nextStage(stage: WorkingStage): WorkingStage | 'completed' {
  const index = WORKING_STAGES.indexOf(stage);
  return WORKING_STAGES[index + 1] ?? 'completed';
}

/** The stage a rollback from `stage` returns to, or `undefined` for the first stage. */
export function previousStage(stage: WorkingStage): WorkingStage | undefined {
  const index = WORKING_STAGES.indexOf(stage);
  return index > 0 ? WORKING_STAGES[index - 1] : undefined;
}
