import { z } from 'zod';
import { addMillis, Stage, type Instant, type JsonValue } from '../../domain/index.js';
import type { DomainEvent, NewWorkItem, WorkItem } from '../ports.js';

/**
 * The work items the engine queues, one builder and one payload schema per kind. Keys make an
 * enqueue idempotent: the same attempt, reaction or timer is queued once however often the
 * commit that causes it is decided again.
 *
 * Payloads come back from the database, which another release may have written: they are
 * parsed, and one that does not parse is reported and dropped rather than retried forever.
 */

const causeFields = { correlationId: z.string() };

const taskAttemptPayload = z.object({
  workId: z.string(),
  taskId: z.string(),
  attempt: z.number().int().positive(),
  ...causeFields,
});
export type TaskAttemptPayload = z.infer<typeof taskAttemptPayload>;

const reactionPayload = z.object({
  eventId: z.string(),
  streamId: z.string(),
  // The event was validated when it was decided; its shape is the domain's union.
  event: z.custom<DomainEvent>(
    (value) => typeof value === 'object' && value !== null && 'type' in value,
  ),
  ...causeFields,
});
export type ReactionPayload = z.infer<typeof reactionPayload>;

/** A stage visit: timers and re-checks belong to one and lapse when the journey moves on. */
const visitPayload = z.object({
  journeyId: z.string(),
  stage: z.enum(Stage),
  enteredAt: z.string(),
  ...causeFields,
});
export type VisitPayload = z.infer<typeof visitPayload>;

/** One criterion's wait in a stage visit (domain/journey/waits.ts): its timers lapse with it. */
const waitPayload = z.object({
  ...visitPayload.shape,
  criterionId: z.string(),
  /** When the wait began: a later wait of the same criterion has timers of its own. */
  since: z.string(),
  /** Approval reminders: which one (1, 2, ...). */
  reminder: z.number().int().positive().optional(),
});
export type WaitPayload = z.infer<typeof waitPayload>;

export const PAYLOADS = {
  task_attempt: taskAttemptPayload,
  reaction: reactionPayload,
  visit: visitPayload,
  wait: waitPayload,
} as const;

export function parsePayload<T>(schema: z.ZodType<T>, item: WorkItem): T | Error {
  const parsed = schema.safeParse(item.payload);
  return parsed.success
    ? parsed.data
    : new Error(
        `work item ${item.id} (${item.kind}) has a malformed payload: ${z.prettifyError(parsed.error)}`,
      );
}

export function taskAttemptItem(
  journeyId: string,
  payload: TaskAttemptPayload,
  dueAt: Instant,
): NewWorkItem {
  return {
    kind: 'task_attempt',
    key: `task:${payload.workId}:${payload.taskId}:${payload.attempt}`,
    journeyId,
    payload: payload,
    dueAt,
  };
}

export function reactionItem(
  journeyId: string,
  payload: ReactionPayload,
  dueAt: Instant,
): NewWorkItem {
  return {
    kind: 'reaction',
    key: `reaction:${payload.eventId}`,
    journeyId,
    payload: payload as unknown as JsonValue,
    dueAt,
  };
}

/** One re-check chain per stage visit: the key stays while the chain runs (it is re-dated). */
export function recheckItem(payload: VisitPayload, dueAt: Instant): NewWorkItem {
  return {
    kind: 'recheck',
    key: `recheck:${payload.journeyId}:${payload.enteredAt}`,
    journeyId: payload.journeyId,
    payload: payload,
    dueAt,
  };
}

export function deadlineItem(payload: VisitPayload, deadline: number): NewWorkItem {
  return {
    kind: 'deadline',
    key: `deadline:${payload.journeyId}:${payload.enteredAt}`,
    journeyId: payload.journeyId,
    payload: payload,
    dueAt: addMillis(payload.enteredAt, deadline),
  };
}

/** The `reminder`th reminder of one approval wait; the key names the wait and the number. */
export function approvalReminderItem(
  payload: WaitPayload & { readonly reminder: number },
  dueAt: Instant,
): NewWorkItem {
  return {
    kind: 'approval_reminder',
    key: `reminder:${payload.journeyId}:${payload.enteredAt}:${payload.criterionId}:${payload.since}:${payload.reminder}`,
    journeyId: payload.journeyId,
    payload: payload,
    dueAt,
  };
}

/** The deadline of one inconclusive wait. */
export function inconclusiveDeadlineItem(payload: WaitPayload, dueAt: Instant): NewWorkItem {
  const { reminder: _reminder, ...fields } = payload;
  return {
    kind: 'inconclusive_deadline',
    key: `inconclusive-deadline:${payload.journeyId}:${payload.enteredAt}:${payload.criterionId}:${payload.since}`,
    journeyId: payload.journeyId,
    payload: fields,
    dueAt,
  };
}
