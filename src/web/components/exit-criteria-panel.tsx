import { useState } from 'preact/hooks';
import { toProblem } from '../api/client.js';
import { checkExitCriteria } from '../api/endpoints.js';
import type { ExitCriteriaEvaluation, Journey, Problem } from '../api/types.js';
import { useSession } from '../app/session.js';
import { ExitCriteriaTable } from './exit-criteria-table.js';
import { ProblemView } from './problem-view.js';

/**
 * The current stage's exit criteria: the latest recorded evaluation, and on request one made
 * now (GET …/exit-criteria, which records nothing, so any role may ask).
 */
export function ExitCriteriaPanel({ journey }: { journey: Journey }) {
  const { api } = useSession();
  const [checked, setChecked] = useState<ExitCriteriaEvaluation | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const check = async () => {
    setBusy(true);
    setProblem(null);
    try {
      setChecked(await checkExitCriteria(api, journey.clientId));
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="criteria-heading" class="exit-criteria">
      <div class="section-head">
        <h2 id="criteria-heading">Exit criteria</h2>
        {journey.active ? (
          <button type="button" disabled={busy} onClick={() => void check()}>
            {busy ? 'Checking…' : 'Check now'}
          </button>
        ) : null}
      </div>
      {journey.exitCriteria === null ? (
        <p class="empty">Not evaluated yet in this stage (it is once its setup completes).</p>
      ) : (
        <ExitCriteriaTable evaluation={journey.exitCriteria} caption="Latest recorded evaluation" />
      )}
      {checked === null ? null : (
        <ExitCriteriaTable evaluation={checked} caption="Checked just now, not recorded" />
      )}
      {problem === null ? null : <ProblemView problem={problem} />}
    </section>
  );
}
