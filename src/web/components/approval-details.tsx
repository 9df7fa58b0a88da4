import type { ApprovalReadiness } from '../api/control-types.js';
import { formatTime } from '../model/format.js';
import { approvalNeeds } from '../model/readiness.js';
import { OpenSignOffLinks } from './open-sign-off-links.js';

/** An approval criterion's policy (who may decide, how many), its decisions and open links. */
export function ApprovalDetails({ approval, now }: { approval: ApprovalReadiness; now: number }) {
  return (
    <div class="approval-details">
      <p class="approval-needs">{approvalNeeds(approval)}</p>
      {approval.decisions.length === 0 ? null : (
        <ul class="approval-decisions" aria-label="Decisions">
          {approval.decisions.map((decision) => (
            <li key={`${decision.approverId}-${decision.at}`}>
              {decision.decision === 'approved' ? 'Approved' : 'Rejected'} by {decision.approverId}{' '}
              ({decision.role}), {formatTime(decision.at)}
              {decision.comment === undefined ? '' : `: “${decision.comment}”`}
              {decision.expired ? ' (expired)' : decision.counts ? '' : ' (does not count)'}
            </li>
          ))}
        </ul>
      )}
      <OpenSignOffLinks links={approval.openSignOffLinks} now={now} />
    </div>
  );
}
