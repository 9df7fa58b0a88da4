import type { OpenSignOffLink } from '../api/control-types.js';
import { formatTime } from '../model/format.js';
import { timeLeft } from '../model/readiness.js';

/**
 * The sign-off links of a criterion that are issued, unused and unexpired. Their URLs are not
 * shown again (the API gives a URL only when it issues it). Revoking a link will get its button
 * here, per link, once the API has `DELETE /v1/journeys/{clientId}/sign-off-links/{linkId}`.
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
