import type { CriterionReadiness } from '../api/control-types.js';
import { allowsSignOffLink, ownDecision } from '../model/readiness.js';

export interface CriterionActionHandlers {
  readonly disabled: boolean;
  /** Accept or reject an inconclusive reading (asks for the reason). */
  readonly onDecide: (criterion: CriterionReadiness) => void;
  /** Withdraw the caller's own approval or rejection (asks why). */
  readonly onWithdraw: (criterion: CriterionReadiness, decision: 'approved' | 'rejected') => void;
  /** Issue a client sign-off link for it. */
  readonly onSignOffLink: (criterion: CriterionReadiness) => void;
}

/**
 * The buttons of one criterion for an operator: decide an inconclusive reading (again, once
 * decided); withdraw one's own approval; issue a sign-off link when the policy lets the client
 * decide. None when there is nothing to do.
 */
export function CriterionActions({
  criterion,
  approverId,
  handlers,
}: {
  criterion: CriterionReadiness;
  /** The caller's name, the approver id of their decisions. */
  approverId: string;
  handlers: CriterionActionHandlers;
}) {
  const { disabled } = handlers;
  const name = `“${criterion.description}”`;
  const undecided = criterion.kind === 'metric' && criterion.outcome === 'inconclusive';
  const decided = criterion.kind === 'metric' && criterion.resolution !== undefined;
  const approval = criterion.approval;
  const own = approval === null ? null : ownDecision(approval, approverId);
  const signOff =
    approval !== null && allowsSignOffLink(approval) && criterion.outcome !== 'passed';
  if (!undecided && !decided && own === null && !signOff) {
    return null;
  }
  return (
    <div class="criterion-actions">
      {undecided || decided ? (
        <button type="button" disabled={disabled} onClick={() => handlers.onDecide(criterion)}>
          {decided ? 'Decide again on' : 'Accept or reject'} {name}…
        </button>
      ) : null}
      {own === null ? null : (
        <button
          type="button"
          disabled={disabled}
          onClick={() => handlers.onWithdraw(criterion, own.decision)}
        >
          Withdraw my {own.decision === 'approved' ? 'approval' : 'rejection'} of {name}…
        </button>
      )}
      {signOff ? (
        <button type="button" disabled={disabled} onClick={() => handlers.onSignOffLink(criterion)}>
          Sign-off link for {name}…
        </button>
      ) : null}
    </div>
  );
}
