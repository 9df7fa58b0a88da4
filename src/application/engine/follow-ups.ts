import {
  addMillis,
  findWait,
  inconclusiveDeadlineAt,
  isWorkingStage,
  unmetDependencies,
  type ExitCriterion,
  type Instant,
  type JourneyEvent,
  type JourneyState,
  type StartedJourney,
  type UnitOfWorkEvent,
  type UnitOfWorkState,
} from '../../domain/index.js';
import type { PlaybookCatalog } from '../playbook-catalog.js';
import type { NewEvent, NewWorkItem } from '../ports.js';
import type { Cause } from './changes.js';
import {
  approvalReminderItem,
  deadlineItem,
  inconclusiveDeadlineItem,
  reactionItem,
  taskAttemptItem,
} from './work-items.js';

/**
 * The work that events make necessary (DESIGN.md section 2), queued in the commit that appends
 * them: that is what makes every reaction durable. Computed from the events and the state after
 * them, so deciding a commit again (after a conflict) queues the same items under the same keys.
 */

/** Journey events the engine reacts to; the others are facts for people and the audit trail. */
const JOURNEY_REACTIONS: ReadonlySet<JourneyEvent['type']> = new Set([
  'JourneyStarted',
  'StagePromoted',
  'StageSetupCompleted',
  'StageSetupFailed',
  'ApprovalGranted',
  // A withdrawn rejection may be what held the gate: it is judged again.
  'ApprovalRevoked',
  // A person decided an inconclusive criterion: the gate is judged again with the decision.
  'InconclusiveResolved',
  'RollbackInitiated',
  'SnapshotTaken',
  // The work a pause parked becomes due again (docs/controls.md).
  'JourneyResumed',
  'JourneyCancelled',
]);

/** Events that start a stage visit, whose transition has a deadline. */
const VISIT_STARTS: ReadonlySet<JourneyEvent['type']> = new Set([
  'JourneyStarted',
  'StagePromoted',
  'RollbackInitiated',
]);

const UNIT_REACTIONS: ReadonlySet<UnitOfWorkEvent['type']> = new Set([
  'UnitOfWorkCompleted',
  'UnitOfWorkFailed',
  'UnitOfWorkCancelled',
]);

export function journeyFollowUps(
  journeyId: string,
  events: readonly NewEvent<JourneyEvent>[],
  cause: Cause,
  now: Instant,
  transitionDeadline: number,
): NewWorkItem[] {
  const items: NewWorkItem[] = [];
  for (const { eventId, event } of events) {
    if (JOURNEY_REACTIONS.has(event.type)) {
      items.push(
        reactionItem(
          journeyId,
          { eventId, streamId: journeyId, event, correlationId: cause.correlationId },
          now,
        ),
      );
    }
    if (VISIT_STARTS.has(event.type)) {
      const stage =
        event.type === 'JourneyStarted'
          ? event.stage
          : event.type === 'StagePromoted'
            ? event.toStage
            : 'rollback';
      items.push(
        deadlineItem(
          { journeyId, stage, enteredAt: event.at, correlationId: cause.correlationId },
          transitionDeadline,
        ),
      );
    }
  }
  return items;
}

/**
 * The timers of criteria's waits (criterion-timers.ts): a wait that began in this commit queues
 * its first reminder or its inconclusive deadline; a reminder queues the next one (remindEvery).
 */
export function criterionTimerFollowUps(
  playbooks: PlaybookCatalog,
  journeyId: string,
  before: JourneyState,
  after: JourneyState,
  events: readonly NewEvent<JourneyEvent>[],
  cause: Cause,
): NewWorkItem[] {
  if (after.status !== 'started' || (after.waits ?? []).length === 0) {
    return [];
  }
  const criteria = criteriaOf(playbooks, after);
  const visit = {
    journeyId,
    stage: after.stage,
    enteredAt: after.stageEnteredAt,
    correlationId: cause.correlationId,
  };
  const items: NewWorkItem[] = [];
  for (const wait of after.waits ?? []) {
    const criterion = criteria.find((c) => c.id === wait.criterionId);
    const isNew =
      before.status !== 'started' ||
      before.stageEnteredAt !== after.stageEnteredAt ||
      findWait(before.waits, wait.criterionId, wait.kind)?.since !== wait.since;
    const payload = { ...visit, criterionId: wait.criterionId, since: wait.since };
    if (wait.kind === 'approval' && criterion?.kind === 'approval' && criterion.reminder) {
      const { reminder } = criterion;
      if (isNew) {
        items.push(
          approvalReminderItem({ ...payload, reminder: 1 }, addMillis(wait.since, reminder.after)),
        );
      }
      for (const { event } of events) {
        if (
          event.type === 'ApprovalReminderDue' &&
          event.criterionId === wait.criterionId &&
          event.pendingSince === wait.since &&
          reminder.every !== undefined
        ) {
          items.push(
            approvalReminderItem(
              { ...payload, reminder: event.reminder + 1 },
              addMillis(event.at, reminder.every),
            ),
          );
        }
      }
    }
    if (
      wait.kind === 'inconclusive' &&
      isNew &&
      criterion?.kind === 'metric' &&
      criterion.inconclusiveDeadline
    ) {
      items.push(
        inconclusiveDeadlineItem(
          payload,
          inconclusiveDeadlineAt(wait, criterion.inconclusiveDeadline),
        ),
      );
    }
  }
  return items;
}

/** The current stage's criteria in the journey's playbook (none if it is not loaded). */
export function criteriaOf(
  playbooks: PlaybookCatalog,
  journey: StartedJourney,
): readonly ExitCriterion[] {
  const playbook = playbooks.find(journey.playbook.name);
  return playbook !== undefined && isWorkingStage(journey.stage)
    ? playbook.stages[journey.stage].exitCriteria
    : [];
}

export function unitFollowUps(
  after: UnitOfWorkState,
  events: readonly NewEvent<UnitOfWorkEvent>[],
  cause: Cause,
  now: Instant,
): NewWorkItem[] {
  if (after.status === 'none') {
    return [];
  }
  const items: NewWorkItem[] = [];
  for (const { eventId, event } of events) {
    if (UNIT_REACTIONS.has(event.type)) {
      items.push(
        reactionItem(
          after.journeyId,
          { eventId, streamId: after.workId, event, correlationId: cause.correlationId },
          now,
        ),
      );
    }
  }
  if (after.status !== 'running') {
    return items;
  }
  // Every task that may start, now or at its retry time; keys make repeats harmless.
  for (const task of after.tasks) {
    const { execution } = task;
    const dueAt =
      execution.status === 'pending' && unmetDependencies(after, task).length === 0
        ? now
        : execution.status === 'waiting_retry'
          ? execution.nextAttemptAt
          : undefined;
    if (dueAt !== undefined) {
      items.push(
        taskAttemptItem(
          after.journeyId,
          {
            workId: after.workId,
            taskId: task.taskId,
            attempt: task.attempts + 1,
            correlationId: cause.correlationId,
          },
          dueAt,
        ),
      );
    }
  }
  return items;
}
