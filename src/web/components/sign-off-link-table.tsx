import type { Readiness, SignOffLink } from '../api/control-types.js';
import { formatTime } from '../model/format.js';
import { labelFor, SIGN_OFF_LINK_LABELS } from '../model/labels.js';
import { criterionName, linkFor, linkOutcome, linkStatusNow } from '../model/sign-off-links.js';
import { LabelBadge } from './label-badge.js';

export interface RevokeButtons {
  readonly may: (link: SignOffLink) => boolean;
  readonly run: (link: SignOffLink) => void;
  readonly disabled: boolean;
}

/**
 * Every sign-off link of the journey, oldest first: for whom and what, its status, who issued
 * it and until when, and what became of it (the decision, or who revoked it and why).
 */
export function SignOffLinkTable({
  links,
  readiness,
  now,
  revoke,
}: {
  links: readonly SignOffLink[];
  /** Names the criteria of the current stage. */
  readiness: Readiness | null;
  now: number;
  /** Which links get a "Revoke…" button and what it does; no column when null. */
  revoke: RevokeButtons | null;
}) {
  return (
    <div class="table-scroll">
      <table class="sign-off-link-table">
        <caption>Links issued for this journey, oldest first (a link is shown only once)</caption>
        <thead>
          <tr>
            <th scope="col">For</th>
            <th scope="col">Criterion</th>
            <th scope="col">Status</th>
            <th scope="col">Issued</th>
            <th scope="col">What became of it</th>
            {revoke === null ? null : <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {links.map((link) => {
            const status = linkStatusNow(link, now);
            const outcome = linkOutcome(link, now);
            return (
              <tr key={link.linkId} data-link-id={link.linkId} data-status={status}>
                <th scope="row">{linkFor(link)}</th>
                <td>
                  {criterionName(link.criterion, readiness)}
                  <p class="hint">
                    in {link.stage}
                    {link.note === null ? '' : ` · note: “${link.note}”`}
                  </p>
                </td>
                <td>
                  <LabelBadge label={labelFor(SIGN_OFF_LINK_LABELS, status)} />
                </td>
                <td>
                  by {link.issuedBy},{' '}
                  <time dateTime={link.issuedAt}>{formatTime(link.issuedAt)}</time>
                  <p class="hint">
                    until <time dateTime={link.expiresAt}>{formatTime(link.expiresAt)}</time>
                  </p>
                </td>
                <td class="sign-off-link-outcome">
                  {outcome.text}
                  {outcome.at === null ? null : (
                    <>
                      , <time dateTime={outcome.at}>{formatTime(outcome.at)}</time>
                    </>
                  )}
                  {outcome.reason === null ? '' : `: “${outcome.reason}”`}
                </td>
                {revoke === null ? null : (
                  <td>
                    {!revoke.may(link) ? null : (
                      <button
                        type="button"
                        disabled={revoke.disabled}
                        // The visible word starts the name; the rest says which link.
                        aria-label={`Revoke the link for ${linkFor(link)}…`}
                        onClick={() => revoke.run(link)}
                      >
                        Revoke…
                      </button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
