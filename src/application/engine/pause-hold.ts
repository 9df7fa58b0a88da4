import { PARKED_UNTIL, type WorkItem } from '../ports.js';
import type { EngineContext } from './context.js';

/**
 * A paused journey's work waits (docs/controls.md): a claimed item of a paused journey is
 * released to `PARKED_UNTIL`, and the JourneyResumed reaction makes the parked items due again.
 * A rollback in progress is not held: undoing is what a pause is often for.
 *
 * A resume can commit, and its reaction wake the parked items, between our read of the pause
 * and our release: so after parking we read again, and wake the journey's items ourselves when
 * the pause is gone. Either we see the resume, or its reaction runs after our release.
 */
export async function parkIfPaused(ctx: EngineContext, item: WorkItem): Promise<boolean> {
  const journeyId = item.journeyId;
  if (journeyId === null || !(await isHeld(ctx, journeyId))) {
    return false;
  }
  await ctx.store.release(item.id, item.leaseOwner, PARKED_UNTIL, 'journey paused');
  if (!(await isHeld(ctx, journeyId))) {
    await ctx.store.wakeParkedWork(journeyId, ctx.clock.now());
    ctx.workQueued();
  }
  return true;
}

async function isHeld(ctx: EngineContext, journeyId: string): Promise<boolean> {
  const record = await ctx.store.findJourney(journeyId);
  return record !== null && (record.state.pause ?? null) !== null && record.stage !== 'rollback';
}
