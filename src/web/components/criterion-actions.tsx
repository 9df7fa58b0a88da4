import type { CriterionReadiness } from '../api/control-types.js';
import { criterionControls, hasControls } from '../model/readiness.js';

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
  const controls = criterionControls(criterion, approverId);
  if (!hasControls(controls)) {
    return null;
  }
  const { decide, withdraw } = controls;
  return (
    <div class="criterion-actions">
      {decide === null ? null : (
        <button type="button" disabled={disabled} onClick={() => handlers.onDecide(criterion)}>
          {decide === 'again' ? 'Decide again on' : 'Accept or reject'} {name}…
        </button>
      )}
      {withdraw === null ? null : (
        <button
          type="button"
          disabled={disabled}
          onClick={() => handlers.onWithdraw(criterion, withdraw)}
        >
          Withdraw my {withdraw === 'approved' ? 'approval' : 'rejection'} of {name}…
        </button>
      )}
      {controls.signOffLink ? (
        <button type="button" disabled={disabled} onClick={() => handlers.onSignOffLink(criterion)}>
          Sign-off link for {name}…
        </button>
      ) : null}
    </div>
  );
}
