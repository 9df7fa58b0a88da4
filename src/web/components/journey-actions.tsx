import { useState } from 'preact/hooks';
import { pauseJourney, resumeJourney } from '../api/control-endpoints.js';
import type { Readiness } from '../api/control-types.js';
import {
  cancelJourney,
  decideApproval,
  promote,
  retryFailedTasks,
  rollBack,
} from '../api/endpoints.js';
import type { CriterionResult, Journey } from '../api/types.js';
import { useSession } from '../app/session.js';
import { useAction } from '../app/use-action.js';
import { mayDecideApproval } from '../model/readiness.js';
import { roleAllows } from '../model/roles.js';
import { promotionTarget, rollbackTarget } from '../model/stages.js';
import { ActionDialog } from './action-dialog.js';
import { ActionOutcomeView } from './action-outcome.js';
import {
  overrideFreezeDialog,
  pauseDialog,
  reasonDialog,
  resumeDialog,
  type DialogSpec,
} from './journey-dialogs.js';

/**
 * What an operator (or admin) may do to the journey now. Shown only to those roles; the API
 * still decides, and a refusal is shown with its reason. The viewer role never sees this.
 */
export function JourneyActions({
  journey,
  readiness,
  onChanged,
}: {
  journey: Journey;
  /** When known, approval buttons follow each criterion's policy (who may decide). */
  readiness: Readiness | null;
  onChanged: () => void;
}) {
  const { api, caller } = useSession();
  const runner = useAction(onChanged);
  const [dialog, setDialog] = useState<DialogSpec | null>(null);
  const { clientId } = journey;
  const { busy, outcome, run } = runner;

  const rollingBack = journey.status === 'rolling_back';
  const promoteTo = journey.active && !rollingBack ? promotionTarget(journey.currentStage) : null;
  const rollbackTo = journey.active && !rollingBack ? rollbackTarget(journey.currentStage) : null;
  const failedUnit =
    journey.currentUnitOfWork?.status === 'failed' ? journey.currentUnitOfWork : null;
  const approvals = pendingApprovals(journey).filter((result) =>
    mayDecideApproval(readiness, result.criterionId, caller.role),
  );
  const promoted = (target: string) =>
    target === 'completed' ? 'Journey completed.' : `Promoted to ${target}.`;
  const frozen =
    outcome?.kind === 'refused' && outcome.problem.code === 'FREEZE_IN_FORCE' && promoteTo !== null;

  const approve = (result: CriterionResult): DialogSpec => ({
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
            onClick={() => void run('Promote', promoted(promoteTo), () => promote(api, clientId))}
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
        <button
          type="button"
          disabled={busy !== null}
          onClick={() =>
            setDialog(
              journey.paused === null
                ? pauseDialog(
                    clientId,
                    (reason) =>
                      void run('Pause', 'Journey paused.', () =>
                        pauseJourney(api, clientId, reason),
                      ),
                  )
                : resumeDialog(
                    clientId,
                    (reason) =>
                      void run('Resume', 'Journey resumed.', () =>
                        resumeJourney(api, clientId, reason),
                      ),
                  ),
            )
          }
        >
          {journey.paused === null ? 'Pause journey…' : 'Resume journey…'}
        </button>
        {rollbackTo === null ? null : (
          <button
            type="button"
            disabled={busy !== null}
            onClick={() =>
              setDialog(
                reasonDialog(
                  `Roll back to ${rollbackTo}`,
                  'Why roll back?',
                  'Roll back',
                  (reason) =>
                    void run('Roll back', `Rolling back to ${rollbackTo}.`, () =>
                      rollBack(api, clientId, reason),
                    ),
                ),
              )
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
            setDialog(
              reasonDialog(
                `Cancel the journey of ${clientId}`,
                'Why cancel?',
                'Cancel journey',
                (reason) =>
                  void run('Cancel', 'Journey cancelled.', () =>
                    cancelJourney(api, clientId, reason),
                  ),
              ),
            )
          }
        >
          Cancel journey…
        </button>
      </div>
      <ActionOutcomeView runner={runner}>
        {frozen && roleAllows(caller.role, 'admin') ? (
          <button
            type="button"
            class="danger"
            disabled={busy !== null}
            onClick={() =>
              setDialog(
                overrideFreezeDialog(
                  promoteTo,
                  (reason) =>
                    void run('Override freeze', `${promoted(promoteTo)} (freeze overridden)`, () =>
                      promote(api, clientId, { reason }),
                    ),
                ),
              )
            }
          >
            Override freeze…
          </button>
        ) : frozen ? (
          <p class="hint">An admin may promote through the freeze, giving a reason.</p>
        ) : null}
      </ActionOutcomeView>
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
