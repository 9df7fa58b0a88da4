import type { ComponentChildren } from 'preact';
import type { ActionRunner } from '../app/use-action.js';
import { ProblemView } from './problem-view.js';

/**
 * What became of the latest action, read out by screen readers (a live region): in progress,
 * done, or refused with the API's problem; `children` follow a refusal (e.g. "Override freeze").
 */
export function ActionOutcomeView({
  runner,
  children,
}: {
  runner: ActionRunner;
  children?: ComponentChildren;
}) {
  const { busy, outcome } = runner;
  return (
    <div class="action-outcome" aria-live="polite">
      {busy === null ? null : <p class="notice">{busy}…</p>}
      {outcome?.kind === 'done' ? <p class="notice success">{outcome.text}</p> : null}
      {outcome?.kind === 'refused' ? (
        <>
          <p class="notice">{outcome.action} was refused:</p>
          <ProblemView problem={outcome.problem} />
          {children}
        </>
      ) : null}
    </div>
  );
}
