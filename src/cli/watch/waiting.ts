import type { JourneyView } from '../client/views.js';

/** Whether a journey still moves by itself, and if not, why. */
export type Pause =
  | { readonly kind: 'moving' }
  /** It waits for a person: `hint` says what they could do. */
  | { readonly kind: 'waiting'; readonly reason: string; readonly hint: string }
  | { readonly kind: 'ended'; readonly reason: string };

/**
 * Reads a journey the way a person waiting at the terminal would: is the engine still at work
 * (setup, gate, rollback), or is it someone's turn now?
 */
export function pauseOf(journey: JourneyView): Pause {
  const status = journey.statusDetail;
  const id = journey.clientId;
  switch (status.kind) {
    case 'completed':
    case 'cancelled':
      return { kind: 'ended', reason: `journey ${status.kind}` };
    case 'ready_to_promote':
      return {
        kind: 'waiting',
        reason: `every exit criterion of ${status.stage} passed`,
        hint: `journey promote ${id}`,
      };
    case 'blocked':
      // An approval newer than the evaluation is about to be judged by the engine.
      return approvalPending(journey)
        ? { kind: 'moving' }
        : { kind: 'waiting', reason: status.summary, hint: hintFor(journey) };
    case 'validating':
      // After a rollback the gate is not judged again by itself (docs/engine.md).
      return journey.exitCriteria === null &&
        journey.stageHistory.at(-1)?.kind === 'rollback_completed' &&
        !approvalPending(journey)
        ? {
            kind: 'waiting',
            reason: `rolled back to ${status.stage}: its exit criteria are judged again after an approval or a promotion`,
            hint: `journey approve ${id} <criterion>, or journey promote ${id}`,
          }
        : { kind: 'moving' };
    default:
      return { kind: 'moving' };
  }
}

function approvalPending(journey: JourneyView): boolean {
  const evaluatedAt = journey.exitCriteria?.evaluatedAt ?? journey.stageEnteredAt;
  return journey.approvals.some((approval) => approval.at > evaluatedAt);
}

function hintFor(journey: JourneyView): string {
  const id = journey.clientId;
  const status = journey.statusDetail;
  if (status.kind !== 'blocked') {
    return '';
  }
  const reason = status.reasons[0];
  switch (reason?.kind) {
    case 'setup_failed':
    case 'rollback_failed':
      return `journey retry ${reason.workId}, or journey cancel ${id} --reason ...`;
    case 'criterion': {
      const approval = journey.exitCriteria?.results.find(
        (r) => r.criterionId === reason.criterionId && r.source === 'approval',
      );
      return approval === undefined
        ? `the gate is judged again every recheck interval; or journey rollback ${id} --reason ...`
        : `journey approve ${id} ${reason.criterionId}`;
    }
    default:
      return `journey status ${id}`;
  }
}
