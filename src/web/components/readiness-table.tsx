import type { ComponentChildren } from 'preact';
import type { CriterionReadiness } from '../api/control-types.js';
import { observedText, resolutionText, thresholdText } from '../model/criterion-text.js';
import { labelFor, OUTCOME_LABELS } from '../model/labels.js';
import { windowText } from '../model/readiness.js';
import { ApprovalDetails } from './approval-details.js';
import { LabelBadge } from './label-badge.js';

/**
 * Each criterion as it stands now: observed against threshold, the time left on its window,
 * who may still approve, and (for operators) the column of what they may do about it.
 */
export function ReadinessTable({
  criteria,
  now,
  actions,
}: {
  criteria: readonly CriterionReadiness[];
  now: number;
  /** The actions cell of a criterion; no column at all when null (a viewer). */
  actions: ((criterion: CriterionReadiness) => ComponentChildren) | null;
}) {
  if (criteria.length === 0) {
    return <p class="empty">No exit criteria in this stage.</p>;
  }
  return (
    <div class="table-scroll">
      <table class="readiness-criteria">
        <caption>Each criterion now (evaluated for this page, not recorded)</caption>
        <thead>
          <tr>
            <th scope="col">Criterion</th>
            <th scope="col">Observed</th>
            <th scope="col">Threshold</th>
            <th scope="col">Result</th>
            <th scope="col">Time left</th>
            <th scope="col">Why, and who decides</th>
            {actions === null ? null : <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {criteria.map((criterion) => (
            <tr
              key={criterion.criterionId}
              data-criterion-id={criterion.criterionId}
              data-outcome={criterion.outcome}
            >
              <th scope="row">{criterion.description}</th>
              <td>
                {observedText(criterion)}
                {criterion.unit === undefined || criterion.kind === 'approval'
                  ? ''
                  : criterion.unit}
              </td>
              <td>{thresholdText(criterion)}</td>
              <td>
                <LabelBadge label={labelFor(OUTCOME_LABELS, criterion.outcome)} />
              </td>
              <td>{criterion.window === null ? '–' : windowText(criterion.window, now)}</td>
              <td>
                <p class="criterion-reason">{criterion.error ?? criterion.reason}</p>
                {resolutionText(criterion) === null ? null : (
                  <p class="criterion-resolution">{resolutionText(criterion)}</p>
                )}
                {criterion.approval === null ? null : (
                  <ApprovalDetails approval={criterion.approval} now={now} />
                )}
              </td>
              {actions === null ? null : <td>{actions(criterion)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
