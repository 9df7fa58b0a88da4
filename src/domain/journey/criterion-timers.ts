import { evaluateApproval } from '../exit-criteria/approval.js';
import { latestResolution } from '../exit-criteria/resolution.js';
import { formatDuration } from '../time.js';
import type { JourneyCommand } from './commands.js';
import type { JourneyEvent } from './events.js';
import { isWorkingStage, type WorkingStage } from './stage.js';
import type { StartedJourney } from './state.js';
import { findWait, inconclusiveDeadlineAt, waitKindOf, type CriterionWait } from './waits.js';

type Command<T extends JourneyCommand['type']> = Extract<JourneyCommand, { type: T }>;

/**
 * The two timers a criterion's wait runs (docs/controls.md): approval reminders and the
 * deadline of an undecided inconclusive criterion. A timer belongs to one wait of one stage
 * visit; when that wait has ended, or what it would record is already recorded, it records
 * nothing (timers run at least once, so a repeat must change nothing). Never a refusal: a timer
 * that no longer applies is not an error.
 */

export function remindApproval(
  command: Command<'remindApproval'>,
  state: StartedJourney,
): JourneyEvent[] {
  const { criterion } = command;
  const stage = visitStage(state, command.enteredAt);
  const wait = ongoingWait(state, criterion.id, 'approval', command.since);
  if (stage === undefined || wait === undefined || criterion.reminder === undefined) {
    return [];
  }
  // Only the next reminder of the wait: a repeat (or a stale timer) records nothing.
  if ((wait.reminders ?? 0) !== command.reminder - 1) {
    return [];
  }
  // The approvals as they stand now: one granted since the last evaluation ends the wait.
  const result = evaluateApproval(criterion, state.approvals, command.at);
  if (waitKindOf(result) !== 'approval') {
    return [];
  }
  const approvedBy = result.approvedBy ?? [];
  const { policy } = criterion;
  return [
    {
      type: 'ApprovalReminderDue',
      stage,
      criterionId: criterion.id,
      pendingSince: wait.since,
      approvalsNeeded: Math.max(0, policy.minApprovals - approvedBy.length),
      missingApprovers: policy.requiredApprovers.filter((id) => !approvedBy.includes(id)),
      allowedRoles: policy.roles,
      reminder: command.reminder,
      at: command.at,
    },
  ];
}

export function lapseInconclusive(
  command: Command<'lapseInconclusive'>,
  state: StartedJourney,
): JourneyEvent[] {
  const { criterion } = command;
  const policy = criterion.inconclusiveDeadline;
  const stage = visitStage(state, command.enteredAt);
  const wait = ongoingWait(state, criterion.id, 'inconclusive', command.since);
  if (stage === undefined || wait === undefined || policy === undefined) {
    return [];
  }
  // A person's decision (or this deadline's own, or its escalation) came first: it stands.
  if (
    wait.escalatedAt !== undefined ||
    latestResolution(state.resolutions ?? [], criterion.id) !== undefined
  ) {
    return [];
  }
  const result = state.lastEvaluation?.results.find((r) => r.criterionId === criterion.id);
  if (result?.outcome !== 'inconclusive') {
    return [];
  }
  const deadline = inconclusiveDeadlineAt(wait, policy);
  if (policy.onDeadline === 'escalate') {
    return [
      {
        type: 'InconclusiveEscalated',
        stage,
        criterionId: criterion.id,
        inconclusiveSince: wait.since,
        inconclusiveReason: result.reason,
        deadline,
        at: command.at,
      },
    ];
  }
  return [
    {
      type: 'InconclusiveResolved',
      stage,
      criterionId: criterion.id,
      decision: policy.onDeadline,
      reason: `nobody decided within the inconclusiveDeadline of ${formatDuration(policy.after)} (inconclusive since ${wait.since}): the playbook's default onDeadline: ${policy.onDeadline}`,
      decidedBy: 'system',
      inconclusiveReason: result.reason,
      at: command.at,
    },
  ];
}

/** The working stage of the visit that began at `enteredAt`, if the journey is still in it. */
function visitStage(state: StartedJourney, enteredAt: string): WorkingStage | undefined {
  return state.stageEnteredAt === enteredAt && isWorkingStage(state.stage) && state.endedAt === null
    ? state.stage
    : undefined;
}

function ongoingWait(
  state: StartedJourney,
  criterionId: string,
  kind: CriterionWait['kind'],
  since: string,
): CriterionWait | undefined {
  const wait = findWait(state.waits, criterionId, kind);
  return wait?.since === since ? wait : undefined;
}
