import { useState } from 'preact/hooks';
import { decideInconclusive, withdrawApproval } from '../api/control-endpoints.js';
import type { CriterionReadiness, Readiness } from '../api/control-types.js';
import type { Problem } from '../api/types.js';
import { useSession } from '../app/session.js';
import { useAction } from '../app/use-action.js';
import { counted, formatTime } from '../model/format.js';
import { criterionControls, hasControls } from '../model/readiness.js';
import { roleAllows } from '../model/roles.js';
import { ActionDialog } from './action-dialog.js';
import { ActionOutcomeView } from './action-outcome.js';
import { BlockerList } from './blocker-list.js';
import { CriterionActions } from './criterion-actions.js';
import { reasonDialog, type DialogSpec } from './journey-dialogs.js';
import { LabelBadge } from './label-badge.js';
import { ProblemView } from './problem-view.js';
import { ReadinessTable } from './readiness-table.js';
import { SignOffLinkDialog } from './sign-off-link-dialog.js';

/**
 * "What blocks promotion right now" (GET …/readiness): the blockers with when they lift, each
 * criterion now, and for operators the criterion's controls (decide, withdraw, sign-off link).
 */
export function ReadinessPanel({
  clientId,
  readiness,
  error,
  now,
  onChanged,
}: {
  clientId: string;
  readiness: Readiness | null;
  error: Problem | null;
  now: number;
  onChanged: () => void;
}) {
  const { api, caller } = useSession();
  const runner = useAction(onChanged);
  const [dialog, setDialog] = useState<DialogSpec | null>(null);
  const [signOff, setSignOff] = useState<CriterionReadiness | null>(null);
  const { run } = runner;

  const decide = (criterion: CriterionReadiness) =>
    setDialog({
      title: `Decide on “${criterion.description}”`,
      prompt: 'Why? (what you checked instead)',
      required: true,
      choices: (['accept', 'reject'] as const).map((decision) => ({
        label: decision === 'accept' ? 'Accept (counts as passed)' : 'Reject (counts as failed)',
        run: (reason: string) =>
          void run(
            'Decide',
            `${decision === 'accept' ? 'Accepted' : 'Rejected'} “${criterion.description}”.`,
            () => decideInconclusive(api, clientId, criterion.criterionId, decision, reason),
          ),
      })),
    });
  const withdraw = (criterion: CriterionReadiness, decision: 'approved' | 'rejected') => {
    const what = decision === 'approved' ? 'approval' : 'rejection';
    setDialog(
      reasonDialog(
        `Withdraw your ${what} of “${criterion.description}”`,
        'Why withdraw?',
        `Withdraw ${what}`,
        (reason) =>
          void run('Withdraw', `Withdrew your ${what} of “${criterion.description}”.`, () =>
            withdrawApproval(api, clientId, criterion.criterionId, reason),
          ),
        false,
      ),
    );
  };
  const operator = roleAllows(caller.role, 'operator');
  // The actions column is there only when some criterion has something to do.
  const anyControls =
    operator &&
    (readiness?.criteria ?? []).some((c) => hasControls(criterionControls(c, caller.name)));

  return (
    <section aria-labelledby="readiness-heading" class="readiness">
      <div class="section-head">
        <h2 id="readiness-heading">Readiness</h2>
        {readiness === null ? null : (
          <span class="hint">checked {formatTime(readiness.evaluatedAt)}</span>
        )}
      </div>
      {error === null ? null : <ProblemView problem={error} />}
      {readiness === null ? (
        error === null ? (
          <p class="loading">Checking what blocks the promotion…</p>
        ) : null
      ) : (
        <>
          <p class="readiness-summary" data-ready={readiness.ready}>
            <LabelBadge
              label={
                readiness.ready
                  ? { symbol: '✓', text: 'Ready', tone: 'good' }
                  : { symbol: '⚠', text: 'Not ready', tone: 'bad' }
              }
            />{' '}
            {readiness.blockers.length === 0
              ? readiness.summary
              : counted(readiness.blockers.length, 'thing blocks', 'things block') +
                ' the promotion:'}
          </p>
          {readiness.blockers.length === 0 ? null : (
            <BlockerList blockers={readiness.blockers} now={now} />
          )}
          <ReadinessTable
            criteria={readiness.criteria}
            now={now}
            actions={
              anyControls
                ? (criterion) => (
                    <CriterionActions
                      criterion={criterion}
                      approverId={caller.name}
                      handlers={{
                        disabled: runner.busy !== null,
                        onDecide: decide,
                        onWithdraw: withdraw,
                        onSignOffLink: setSignOff,
                      }}
                    />
                  )
                : null
            }
          />
        </>
      )}
      {operator ? <ActionOutcomeView runner={runner} /> : null}
      {dialog === null ? null : <ActionDialog {...dialog} onClose={() => setDialog(null)} />}
      {signOff === null ? null : (
        <SignOffLinkDialog
          clientId={clientId}
          criterion={signOff}
          onIssued={onChanged}
          onClose={() => setSignOff(null)}
        />
      )}
    </section>
  );
}
