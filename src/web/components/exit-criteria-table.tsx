import type { ExitCriteriaEvaluation } from '../api/types.js';
import { observedText, thresholdText } from '../model/criterion-text.js';
import { formatTime, humanize } from '../model/format.js';
import { labelFor, OUTCOME_LABELS } from '../model/labels.js';
import { LabelBadge } from './label-badge.js';

/** One evaluation of a stage's exit criteria: observed value against threshold, per criterion. */
export function ExitCriteriaTable({
  evaluation,
  caption,
}: {
  evaluation: ExitCriteriaEvaluation;
  caption: string;
}) {
  return (
    <div class="table-scroll">
      <table class="criteria" data-all-passed={evaluation.allPassed}>
        <caption>
          {caption} ({humanize(evaluation.stage).toLowerCase()},{' '}
          {formatTime(evaluation.evaluatedAt)}
          ): {evaluation.allPassed ? 'every criterion passed' : 'not every criterion passed'}
        </caption>
        <thead>
          <tr>
            <th scope="col">Criterion</th>
            <th scope="col">Observed</th>
            <th scope="col">Threshold</th>
            <th scope="col">Result</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {evaluation.results.map((result) => (
            <tr
              key={result.criterionId}
              data-criterion-id={result.criterionId}
              data-outcome={result.outcome}
            >
              <th scope="row">{result.description}</th>
              <td>{observedText(result)}</td>
              <td>{thresholdText(result)}</td>
              <td>
                <LabelBadge label={labelFor(OUTCOME_LABELS, result.outcome)} />
              </td>
              <td>{result.error ?? result.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
