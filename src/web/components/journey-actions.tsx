import { useState } from 'preact/hooks';
import { toProblem } from '../api/client.js';
import {
  cancelJourney,
  decideApproval,
  promote,
  retryFailedTasks,
  rollBack,
} from '../api/endpoints.js';
import type { CriterionResult, Journey, Problem } from '../api/types.js';
import { useSession } from '../app/session.js';
import { promotionTarget, rollbackTarget } from '../model/stages.js';
import { ActionDialog, type ActionDialogProps } from './action-dialog.js';
import { ProblemView } from './problem-view.js';

type Outcome =
  | { readonly kind: 'done'; readonly text: string }
  | { readonly kind: 'refused'; readonly action: string; readonly problem: Problem };

type Dialog = Omit<ActionDialogProps, 'onClose'>;

/**
 * What an operator (or admin) may do to the journey now. Shown only to those roles; the API
 * still decides, and a refusal is shown with its reason. The viewer role never sees this.
 */
export function JourneyActions({
  journey,
  onChanged,
}: {
  journey: Journey;
  onChanged: () => void;
}) {
  const { api } = useSession();
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const { clientId } = journey;

  const run = async (action: string, done: string, call: () => Promise<unknown>) => {
    setBusy(action);
    setOutcome(null);
    try {
      await call();
      setOutcome({ kind: 'done', text: done });
    } catch (error) {
      setOutcome({ kind: 'refused', action, problem: toProblem(error) });
    } finally {
      setBusy(null);
      onChanged();
    }
  };

  const rollingBack = journey.status === 'rolling_back';
  const promoteTo = journey.active && !rollingBack ? promotionTarget(journey.currentStage) : null;
  const rollbackTo = journey.active && !rollingBack ? rollbackTarget(journey.currentStage) : null;
  const failedUnit =
    journey.currentUnitOfWork?.status === 'failed' ? journey.currentUnitOfWork : null;
  const approvals = pendingApprovals(journey);

  const approve = (result: CriterionResult): Dialog => ({
    title: `Decide on “${result.description}”`,
    prompt: 'Comment',
    required: false,
    choices: (['approved', 'rejected'] as const).map((decision) => ({
      label: decision === 'approved' ? 'Approve' : 'Reject',
      run: (comment: string) =>
        void run(
          'Approve',
          `${decision === 'approved' ? 'Approved' : 'Rejected'} “${result.description}”.`,
          () =>
            decideApproval(api, clientId, {
              criterion: result.criterionId,
              decision,
              stage: journey.currentStage,
              ...(comment === '' ? {} : { comment }),
            }),
        ),
    })),
  });

  if (!journey.active) {
    return null;
  }
  return (
    <section class="actions" aria-labelledby="actions-heading">
      <h2 id="actions-heading">Actions</h2>
      <div class="action-buttons">
        {approvals.map((result) => (
          <button
            key={result.criterionId}
            type="button"
            disabled={busy !== null}
            onClick={() => setDialog(approve(result))}
          >
            Approve “{result.description}”…
          </button>
        ))}
        {promoteTo === null ? null : (
          <button
            type="button"
            class="primary"
            disabled={busy !== null}
            onClick={() =>
              void run(
                'Promote',
                promoteTo === 'completed' ? 'Journey completed.' : `Promoted to ${promoteTo}.`,
                () => promote(api, clientId),
              )
            }
          >
            {promoteTo === 'completed' ? 'Complete journey' : `Promote to ${promoteTo}`}
          </button>
        )}
        {failedUnit === null ? null : (
          <button
            type="button"
            disabled={busy !== null}
            onClick={() =>
              void run('Retry', 'The failed tasks run again.', () =>
                retryFailedTasks(api, failedUnit.workId),
              )
            }
          >
            Retry failed tasks
          </button>
        )}
        {rollbackTo === null ? null : (
          <button
            type="button"
            disabled={busy !== null}
            onClick={() =>
              setDialog({
                title: `Roll back to ${rollbackTo}`,
                prompt: 'Why roll back?',
                required: true,
                choices: [
                  {
                    label: 'Roll back',
                    run: (reason) =>
                      void run('Roll back', `Rolling back to ${rollbackTo}.`, () =>
                        rollBack(api, clientId, reason),
                      ),
                  },
                ],
              })
            }
          >
            Roll back to {rollbackTo}…
          </button>
        )}
        <button
          type="button"
          class="danger"
          disabled={busy !== null}
          onClick={() =>
            setDialog({
              title: `Cancel the journey of ${clientId}`,
              prompt: 'Why cancel?',
              required: true,
              choices: [
                {
                  label: 'Cancel journey',
                  run: (reason) =>
                    void run('Cancel', 'Journey cancelled.', () =>
                      cancelJourney(api, clientId, reason),
                    ),
                },
              ],
            })
          }
        >
          Cancel journey…
        </button>
      </div>
      <div class="action-outcome" aria-live="polite">
        {busy === null ? null : <p class="notice">{busy}…</p>}
        {outcome?.kind === 'done' ? <p class="notice success">{outcome.text}</p> : null}
        {outcome?.kind === 'refused' ? (
          <>
            <p class="notice">{outcome.action} was refused:</p>
            <ProblemView problem={outcome.problem} />
          </>
        ) : null}
      </div>
      {dialog === null ? null : <ActionDialog {...dialog} onClose={() => setDialog(null)} />}
    </section>
  );
}

/** The approval criteria of the latest evaluation that have not passed yet. */
function pendingApprovals(journey: Journey): readonly CriterionResult[] {
  const evaluation = journey.exitCriteria;
  if (evaluation === null || evaluation.stage !== journey.currentStage) {
    return [];
  }
  return evaluation.results.filter((r) => r.source === 'approval' && r.outcome !== 'passed');
}
