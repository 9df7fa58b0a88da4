import { decideJourney, DomainError } from '../../domain/index.js';
import type { WorkItem } from '../ports.js';
import { Changes, retryOnConflict, type Cause } from './changes.js';
import type { EngineContext } from './context.js';
import { runApprovalReminder, runInconclusiveDeadline } from './criterion-timers.js';
import { evaluateAutomatically } from './gate.js';
import { parkIfPaused } from './pause-hold.js';
import { runReaction } from './reactions.js';
import { runTaskAttempt } from './task-attempt.js';
import { parsePayload, PAYLOADS, type VisitPayload } from './work-items.js';

/**
 * Runs one claimed work item to its end: the item is completed (or re-dated) in the commit
 * that carries its effect. Throws only for what should be tried again later (a database or
 * network hiccup); the worker then releases the item with a backoff.
 */
export async function handleWorkItem(
  ctx: EngineContext,
  item: WorkItem,
  signal: AbortSignal,
): Promise<void> {
  switch (item.kind) {
    case 'task_attempt': {
      const payload = parsePayload(PAYLOADS.task_attempt, item);
      return payload instanceof Error
        ? drop(ctx, item, payload)
        : runTaskAttempt(ctx, item, payload, signal);
    }
    case 'reaction': {
      const payload = parsePayload(PAYLOADS.reaction, item);
      if (payload instanceof Error) {
        return drop(ctx, item, payload);
      }
      if (!RUN_WHILE_PAUSED.has(payload.event.type) && (await parkIfPaused(ctx, item))) {
        return;
      }
      return runReaction(ctx, item, payload);
    }
    case 'recheck': {
      const payload = parsePayload(PAYLOADS.visit, item);
      if (payload instanceof Error) {
        return drop(ctx, item, payload);
      }
      if (await parkIfPaused(ctx, item)) {
        return;
      }
      await evaluateAutomatically(
        ctx,
        payload.journeyId,
        'recheck',
        causeOf(payload),
        item,
        payload,
      );
      return;
    }
    case 'deadline': {
      const payload = parsePayload(PAYLOADS.visit, item);
      if (payload instanceof Error) {
        return drop(ctx, item, payload);
      }
      // A paused journey is late on purpose: its deadline is checked once it is resumed.
      if (await parkIfPaused(ctx, item)) {
        return;
      }
      return flagOverdue(ctx, item, payload);
    }
    case 'approval_reminder':
    case 'inconclusive_deadline': {
      const payload = parsePayload(PAYLOADS.wait, item);
      if (payload instanceof Error) {
        return drop(ctx, item, payload);
      }
      // Like every timer, held while the journey is paused and run once it is resumed.
      if (await parkIfPaused(ctx, item)) {
        return;
      }
      return item.kind === 'approval_reminder'
        ? runApprovalReminder(ctx, item, payload)
        : runInconclusiveDeadline(ctx, item, payload);
    }
    case 'prune':
      return drop(ctx, item, new Error('prune items are run by the retention job, not the engine'));
  }
}

/**
 * Reactions that run while the journey is paused: lifting the pause itself, and telling agents
 * to stop work that was cancelled (nothing new starts either way).
 */
const RUN_WHILE_PAUSED: ReadonlySet<string> = new Set([
  'JourneyResumed',
  'JourneyCancelled',
  'UnitOfWorkCancelled',
]);

/** A stage visit's deadline passed: raise the alert if its transition is still unfinished. */
async function flagOverdue(ctx: EngineContext, item: WorkItem, visit: VisitPayload): Promise<void> {
  await retryOnConflict(ctx, async () => {
    const loaded = await ctx.journeys.load(visit.journeyId);
    const changes = new Changes(ctx, causeOf(visit), ctx.clock.now());
    const decision = decideJourney(
      {
        type: 'flagOverdue',
        stage: visit.stage,
        enteredAt: visit.enteredAt,
        deadline: ctx.settings.transitionDeadline,
        at: changes.at,
      },
      loaded.state,
    );
    if (!(decision instanceof DomainError)) {
      changes.journey(visit.journeyId, loaded, decision);
      if (decision.length > 0) {
        ctx.log.warn('stage transition overdue', {
          journeyId: visit.journeyId,
          stage: visit.stage,
        });
      }
    }
    await changes.commit(item);
  });
}

function causeOf(payload: { readonly correlationId: string }): Cause {
  return { causedBy: 'system', correlationId: payload.correlationId, causationId: null };
}

async function drop(ctx: EngineContext, item: WorkItem, error: Error): Promise<void> {
  ctx.log.warn(error.message, { itemId: item.id, kind: item.kind });
  await ctx.store.complete(item.id, item.leaseOwner);
}
