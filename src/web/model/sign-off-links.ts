import type { Readiness, SignOffLink, SignOffLinkStatus } from '../api/control-types.js';
import type { Role } from '../api/types.js';
import { humanize } from './format.js';
import { timeLeft } from './readiness.js';
import { roleAllows } from './roles.js';

/** Reading a journey's sign-off links: their status now, what became of them, who may revoke. */

/**
 * The link's status now. The list is read once and then on changes, so an open link may run
 * out while the page is open: past its expiry it is `expired`, as the API would now say.
 */
export function linkStatusNow(link: SignOffLink, now: number): SignOffLinkStatus {
  return link.status === 'open' && Date.parse(link.expiresAt) <= now ? 'expired' : link.status;
}

/** Only an open link is offered for revoking, and only to operators and admins. */
export function mayRevoke(link: SignOffLink, role: Role, now: number): boolean {
  return roleAllows(role, 'operator') && linkStatusNow(link, now) === 'open';
}

/** What became of a link: words, the instant they are about (if any) and a reason (if any). */
export interface LinkOutcome {
  readonly text: string;
  readonly at: string | null;
  readonly reason: string | null;
}

export function linkOutcome(link: SignOffLink, now: number): LinkOutcome {
  const none = { at: null, reason: null };
  switch (linkStatusNow(link, now)) {
    case 'used':
      return {
        ...none,
        text:
          link.decision === null
            ? 'Used, but no decision was recorded'
            : `${link.decision === 'approved' ? 'Approved' : 'Rejected'} by the client`,
        at: link.usedAt,
      };
    case 'revoked':
      return {
        text: `Revoked by ${link.revokedBy ?? '?'}`,
        at: link.revokedAt,
        reason: link.revokeReason,
      };
    case 'expired':
      return { ...none, text: 'Expired', at: link.expiresAt };
    case 'stale':
      return { ...none, text: `Void: the journey left that ${link.stage} visit` };
    case 'open':
      return { ...none, text: `Works until used, expires ${timeLeft(link.expiresAt, now)}` };
  }
}

/** Whom a link is for: the client's name given when it was issued, else "the client". */
export function linkFor(link: SignOffLink): string {
  return link.approverName ?? 'the client';
}

/**
 * The criterion's description where readiness knows it (the current stage's criteria), else
 * its id in words (a link of an earlier stage visit).
 */
export function criterionName(criterionId: string, readiness: Readiness | null): string {
  const known = readiness?.criteria.find((c) => c.criterionId === criterionId);
  return known?.description ?? humanize(criterionId);
}
