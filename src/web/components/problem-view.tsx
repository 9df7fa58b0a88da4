import type { Problem } from '../api/types.js';
import { labelFor, OUTCOME_LABELS } from '../model/labels.js';

/** A refusal as the API explained it: title, detail and, for a gate, the failing criteria. */
export function ProblemView({ problem }: { problem: Problem }) {
  const failing = (problem.results ?? []).filter((r) => r.outcome !== 'passed');
  return (
    <div class="problem" role="alert">
      <p class="problem-title">
        <span aria-hidden="true">✗</span> {problem.title}
        <span class="problem-code"> ({problem.code})</span>
      </p>
      {problem.detail === '' ? null : <p class="problem-detail">{problem.detail}</p>}
      {failing.length === 0 ? null : (
        <ul class="problem-results">
          {failing.map((result) => (
            <li key={result.criterionId}>
              {labelFor(OUTCOME_LABELS, result.outcome).text}: <strong>{result.description}</strong>{' '}
              — {result.reason}
            </li>
          ))}
        </ul>
      )}
      {(problem.errors ?? []).length === 0 ? null : (
        <ul class="problem-results">
          {(problem.errors ?? []).map((error) => (
            <li key={error.path}>
              {error.path}: {error.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
