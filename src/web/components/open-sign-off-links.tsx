import type { OpenSignOffLink } from '../api/control-types.js';
import { formatTime } from '../model/format.js';
import { timeLeft } from '../model/readiness.js';

/**
 * The sign-off links of a criterion that are issued, unused and unexpired. Their URLs are not
 * shown again (the API gives a URL only when it issues it). Every link of the journey, with
 * "Revoke…" on the open ones, is in the page's Sign-off links section (sign-off-links-panel.tsx):
 * one place to revoke, which also holds the links of earlier stage visits.
 */
export function OpenSignOffLinks({
  links,
  now,
}: {
  links: readonly OpenSignOffLink[];
  now: number;
}) {
  if (links.length === 0) {
    return null;
  }
  return (
    <ul class="sign-off-links" aria-label="Open sign-off links">
      {links.map((link) => (
        <li key={link.linkId} data-link-id={link.linkId}>
          Sign-off link{link.approverName === null ? '' : ` for ${link.approverName}`}, issued by{' '}
          {link.issuedBy}, expires {timeLeft(link.expiresAt, now)} ({formatTime(link.expiresAt)})
        </li>
      ))}
    </ul>
  );
}
