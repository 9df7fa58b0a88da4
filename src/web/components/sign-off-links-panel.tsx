import { useState } from 'preact/hooks';
import { revokeSignOffLink } from '../api/control-endpoints.js';
import type { Readiness, SignOffLink, SignOffLinkList } from '../api/control-types.js';
import { useSession } from '../app/session.js';
import { useAction } from '../app/use-action.js';
import type { Reloading } from '../app/use-reloading.js';
import { linkFor, mayRevoke } from '../model/sign-off-links.js';
import { ActionDialog } from './action-dialog.js';
import { ActionOutcomeView } from './action-outcome.js';
import { revokeLinkDialog, type DialogSpec } from './journey-dialogs.js';
import { ProblemView } from './problem-view.js';
import { SignOffLinkTable } from './sign-off-link-table.js';

/**
 * The journey's client sign-off links (GET …/sign-off-links), every one with its status, and
 * for operators "Revoke…" on the open ones (DELETE …/sign-off-links/{linkId}). Nothing is
 * shown for a journey no link was issued for.
 */
export function SignOffLinksPanel({
  clientId,
  links,
  readiness,
  now,
  onChanged,
}: {
  clientId: string;
  links: Reloading<SignOffLinkList>;
  readiness: Readiness | null;
  now: number;
  onChanged: () => void;
}) {
  const { api, caller } = useSession();
  const runner = useAction(onChanged);
  const [dialog, setDialog] = useState<DialogSpec | null>(null);
  const items = links.data?.items ?? [];
  if (items.length === 0 && links.error === null && runner.outcome === null) {
    return null;
  }
  const revoke = (link: SignOffLink) =>
    setDialog(
      revokeLinkDialog(
        linkFor(link),
        (reason) =>
          void runner.run('Revoke', `Revoked the sign-off link for ${linkFor(link)}.`, () =>
            revokeSignOffLink(api, clientId, link.linkId, reason),
          ),
      ),
    );
  const revocable = items.some((link) => mayRevoke(link, caller.role, now));
  return (
    <section aria-labelledby="sign-off-links-heading" class="sign-off-links-panel">
      <h2 id="sign-off-links-heading">Sign-off links</h2>
      {links.error === null ? null : <ProblemView problem={links.error} />}
      <SignOffLinkTable
        links={items}
        readiness={readiness}
        now={now}
        revoke={
          revocable
            ? {
                may: (link) => mayRevoke(link, caller.role, now),
                run: revoke,
                disabled: runner.busy !== null,
              }
            : null
        }
      />
      <ActionOutcomeView runner={runner} />
      {dialog === null ? null : <ActionDialog {...dialog} onClose={() => setDialog(null)} />}
    </section>
  );
}
