import {
  decideJourney,
  DomainError,
  findWait,
  inconclusiveDeadlineAt,
  nextReminderAt,
  type ExitCriterion,
  type StartedJourney,
} from '../../domain/index.js';
import type { WorkItem } from '../ports.js';
import { Changes, retryOnConflict, type Cause } from './changes.js';
import type { EngineContext } from './context.js';
import { criteriaOf } from './follow-ups.js';
import type { WaitPayload } from './work-items.js';

/**
 * The timers of a criterion's wait (docs/controls.md): an approval pending for `remindAfter`
 * (then every `remindEvery`) records ApprovalReminderDue; an inconclusive criterion undecided
 * for `inconclusiveDeadline` is escalated or decided as `system`. A wait begins at the first
 * evaluation of the stage visit that finds it (domain/journey/waits.ts), so its first timer is
 * queued in the commit that records that evaluation, and each reminder queues the next one
 * (follow-ups.ts).
 */

/** A reminder timer fired: remind if the approval is still pending in the same wait. */
export async function runApprovalReminder(
  ctx: EngineContext,
  item: WorkItem,
  payload: WaitPayload,
): Promise<void> {
  await runTimer(ctx, item, payload, (journey, criterion, at) => {
    const wait = findWait(journey.waits, payload.criterionId, 'approval');
    const reminder = payload.reminder ?? 1;
    if (
      criterion.kind !== 'approval' ||
      criterion.reminder === undefined ||
      wait?.since !== payload.since ||
      (wait.reminders ?? 0) !== reminder - 1
    ) {
      return [];
    }
    // The playbook may have been edited since the timer was queued: its setting now counts.
    const dueAt = nextReminderAt(wait, criterion.reminder);
    if (dueAt !== null && dueAt > at) {
      return dueAt;
    }
    return decideJourney(
      {
        type: 'remindApproval',
        enteredAt: payload.enteredAt,
        criterion,
        since: payload.since,
        reminder,
        at,
      },
      journey,
    );
  });
}

/** An inconclusive deadline fired: escalate or decide if nobody has. */
export async function runInconclusiveDeadline(
  ctx: EngineContext,
  item: WorkItem,
  payload: WaitPayload,
): Promise<void> {
  await runTimer(ctx, item, payload, (journey, criterion, at) => {
    const wait = findWait(journey.waits, payload.criterionId, 'inconclusive');
    if (
      criterion.kind !== 'metric' ||
      criterion.inconclusiveDeadline === undefined ||
      wait?.since !== payload.since
    ) {
      return [];
    }
    const dueAt = inconclusiveDeadlineAt(wait, criterion.inconclusiveDeadline);
    if (dueAt > at) {
      return dueAt;
    }
    return decideJourney(
      {
        type: 'lapseInconclusive',
        enteredAt: payload.enteredAt,
        criterion,
        since: payload.since,
        at,
      },
      journey,
    );
  });
}

/**
 * Loads the journey and the criterion, and commits what `decide` answers: events (none when the
 * wait is over or the timer already ran), or a later time to run again at.
 */
async function runTimer(
  ctx: EngineContext,
  item: WorkItem,
  payload: WaitPayload,
  decide: (
    journey: StartedJourney,
    criterion: ExitCriterion,
    at: string,
  ) => ReturnType<typeof decideJourney> | string,
): Promise<void> {
  await retryOnConflict(ctx, async () => {
    const loaded = await ctx.journeys.load(payload.journeyId);
    const journey = loaded.state;
    const cause: Cause = {
      causedBy: 'system',
      correlationId: payload.correlationId,
      causationId: null,
    };
    const changes = new Changes(ctx, cause, ctx.clock.now());
    const criterion =
      journey.status === 'started' && journey.stageEnteredAt === payload.enteredAt
        ? criteriaOf(ctx.playbooks, journey).find((c) => c.id === payload.criterionId)
        : undefined;
    const decision =
      journey.status === 'started' && criterion !== undefined
        ? decide(journey, criterion, changes.at)
        : [];
    if (typeof decision === 'string') {
      await ctx.store.release(item.id, item.leaseOwner, decision);
      return;
    }
    if (!(decision instanceof DomainError)) {
      changes.journey(payload.journeyId, loaded, decision);
    }
    await changes.commit(item);
  });
}
