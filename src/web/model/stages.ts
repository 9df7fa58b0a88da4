import type { Stage } from '../api/types.js';

/** Where a promotion from `stage` leads: the next stage, or completion from production. */
export function promotionTarget(stage: Stage): 'pilot' | 'production' | 'completed' | null {
  switch (stage) {
    case 'sandbox':
      return 'pilot';
    case 'pilot':
      return 'production';
    case 'production':
      return 'completed';
    default:
      return null;
  }
}

/** Where a rollback from `stage` leads: the previous stage (the sandbox has none). */
export function rollbackTarget(stage: Stage): 'sandbox' | 'pilot' | null {
  switch (stage) {
    case 'pilot':
      return 'sandbox';
    case 'production':
      return 'pilot';
    default:
      return null;
  }
}
