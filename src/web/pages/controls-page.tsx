import { useState } from 'preact/hooks';
import { removeFreeze, resumeTheLine, stopTheLine } from '../api/control-endpoints.js';
import { useControls } from '../app/controls-context.js';
import { useSession } from '../app/session.js';
import { useAction } from '../app/use-action.js';
import { useLive } from '../app/use-live.js';
import { ActionDialog } from '../components/action-dialog.js';
import { ActionOutcomeView } from '../components/action-outcome.js';
import { ControlChanges } from '../components/control-changes.js';
import { FreezeForm } from '../components/freeze-form.js';
import { FreezeTable } from '../components/freeze-table.js';
import { reasonDialog, type DialogSpec } from '../components/journey-dialogs.js';
import { LineControl } from '../components/line-control.js';
import { ProblemView } from '../components/problem-view.js';
import { roleAllows } from '../model/roles.js';

/**
 * The fleet controls (`#/controls`): stop the line, the fleet-wide freezes and the latest
 * changes. Every role reads them; only an admin sees the buttons (the API's rule).
 */
export function ControlsPage() {
  const { api, caller } = useSession();
  const { controls, error, reload } = useControls();
  const runner = useAction(reload);
  const [dialog, setDialog] = useState<DialogSpec | null>(null);
  // Controls are not events; following the stream keeps the header's connection state true.
  useLive(null, { onSync: reload, onEvent: () => undefined });
  const admin = roleAllows(caller.role, 'admin');
  const { run, busy } = runner;

  return (
    <>
      <h1>Controls</h1>
      {error === null ? null : <ProblemView problem={error} />}
      {controls === null ? (
        error === null ? (
          <p class="loading">Loading the controls…</p>
        ) : null
      ) : (
        <>
          <LineControl
            promotions={controls.promotions}
            canChange={admin}
            disabled={busy !== null}
            onStop={() =>
              setDialog(
                reasonDialog(
                  'Stop the line',
                  'Why stop every promotion?',
                  'Stop the line',
                  (reason) =>
                    void run('Stop the line', 'The line is stopped.', () =>
                      stopTheLine(api, reason),
                    ),
                ),
              )
            }
            onResume={() =>
              setDialog(
                reasonDialog(
                  'Resume the line',
                  'Why resume?',
                  'Resume the line',
                  (reason) =>
                    void run('Resume the line', 'The line runs again.', () =>
                      resumeTheLine(api, reason),
                    ),
                  false,
                ),
              )
            }
          />
          {admin ? <ActionOutcomeView runner={runner} /> : null}
          <section aria-labelledby="freezes-heading">
            <h2 id="freezes-heading">Freezes</h2>
            <FreezeTable
              freezes={controls.freezes}
              disabled={busy !== null}
              onRemove={
                admin
                  ? (freezeId) =>
                      setDialog(
                        reasonDialog(
                          `Remove freeze “${freezeId}”`,
                          'Why remove it?',
                          'Remove freeze',
                          (reason) =>
                            void run('Remove freeze', `Removed freeze “${freezeId}”.`, () =>
                              removeFreeze(api, freezeId, reason),
                            ),
                          false,
                        ),
                      )
                  : null
              }
            />
            {admin ? <FreezeForm onAdded={() => reload()} /> : null}
          </section>
          <ControlChanges changes={controls.changes} />
        </>
      )}
      {dialog === null ? null : <ActionDialog {...dialog} onClose={() => setDialog(null)} />}
    </>
  );
}
