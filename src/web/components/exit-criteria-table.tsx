import type {
  Comparator,
  CriterionResult,
  ExitCriteriaEvaluation,
  MetricValue,
} from '../api/types.js';
import { formatTime, humanize } from '../model/format.js';
import { labelFor, OUTCOME_LABELS } from '../model/labels.js';
import { LabelBadge } from './label-badge.js';

const COMPARATOR_TEXT: Readonly<Record<Comparator, string>> = {
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  eq: '=',
};

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
              <td>{observed(result)}</td>
              <td>{threshold(result)}</td>
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

function observed(result: CriterionResult): string {
  if (result.source === 'approval') {
    const approved = result.approvedBy ?? [];
    return approved.length === 0 ? 'no approval' : `approved by ${approved.join(', ')}`;
  }
  return result.observed === undefined || result.observed === null ? '–' : value(result.observed);
}

function threshold(result: CriterionResult): string {
  if (result.threshold === undefined || result.comparator === undefined) {
    return result.source === 'approval' ? 'approval' : '–';
  }
  return `${COMPARATOR_TEXT[result.comparator]} ${value(result.threshold)}`;
}

function value(metric: MetricValue): string {
  return typeof metric === 'boolean' ? (metric ? 'yes' : 'no') : String(metric);
}
