import type { DomainError } from '../../domain/index.js';
import {
  addMillis,
  type Instant,
  type Millis,
  type PromotionControls,
  type StartedJourney,
  type WorkingStage,
} from '../../domain/index.js';
import { activeFreezes } from '../../playbook/freeze-window.js';
import { playbookFor } from '../playbook-catalog.js';
import type { EngineContext } from './context.js';
import { checkGlobalFreezes, FREEZE_UNTIL_REMOVED } from './global-freezes.js';

/**
 * The facts a promotion decision needs about the controls (docs/controls.md): the fleet stop
 * and the global freezes from the database, the playbook's freezes and the stage's soak time.
 * Read for every promotion attempt, so every process on one database sees a change at once.
 */
export async function promotionControls(
  ctx: EngineContext,
  journey: StartedJourney,
  stage: WorkingStage,
  at: Instant,
  overrideFreeze?: { readonly reason: string; readonly overriddenBy: string },
): Promise<PromotionControls> {
  const playbook = playbookFor(ctx.playbooks, journey.playbook);
  const [stop, globals] = await Promise.all([
    ctx.store.findPromotionStop(),
    ctx.store.listGlobalFreezes(),
  ]);
  const playbookWindows = playbook.freezes.map((window) => ({
    window,
    scope: 'playbook' as const,
  }));
  return {
    promotionStop: stop,
    freezes: [
      ...activeFreezes(playbookWindows, at),
      ...checkGlobalFreezes(globals, at, ctx.log).flatMap(({ activeNow }) =>
        activeNow === null ? [] : [activeNow],
      ),
    ],
    soakTime: playbook.stages[stage].soakTime,
    ...(overrideFreeze === undefined ? {} : { overrideFreeze }),
  };
}

/**
 * When an automatic promotion held back by a control should be tried again: at the end of the
 * soak time or of the freezes; for a stop, a pause or an invalid stored freeze (which end when
 * a person says so) after the stage's re-check interval. Undefined for any other refusal.
 */
export function retryHeldPromotionAt(
  refusal: DomainError,
  at: Instant,
  recheckInterval: Millis,
): Instant | undefined {
  switch (refusal.code) {
    case 'SOAK_TIME_NOT_ELAPSED':
      return typeof refusal.details.endsAt === 'string' ? refusal.details.endsAt : undefined;
    case 'FREEZE_IN_FORCE':
      // An invalid stored freeze lifts only when removed: look again like for a stop.
      return refusal.details.until === FREEZE_UNTIL_REMOVED
        ? addMillis(at, recheckInterval)
        : typeof refusal.details.until === 'string'
          ? refusal.details.until
          : undefined;
    case 'PROMOTIONS_PAUSED':
    case 'JOURNEY_PAUSED':
      return addMillis(at, recheckInterval);
    default:
      return undefined;
  }
}
