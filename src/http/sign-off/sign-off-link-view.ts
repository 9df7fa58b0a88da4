import type { SignOffLink } from '../../application/ports.js';
import { millisBetween, type Instant, type StartedJourney } from '../../domain/index.js';

/**
 * What an operator sees of an issued link (`GET /v1/journeys/{clientId}/sign-off-links`):
 * everything but the token, which is a bearer credential shown once, when it is issued.
 */

export const SIGN_OFF_LINK_STATUSES = ['open', 'used', 'expired', 'revoked', 'stale'] as const;
/**
 * `used`: a decision was recorded with it; `revoked`: an operator withdrew it; `expired`: its
 * time ran out; `stale`: the journey left the stage visit it was issued for; else `open`.
 * Judged in this order, the order the link's page refuses in.
 */
export type SignOffLinkStatus = (typeof SIGN_OFF_LINK_STATUSES)[number];

export interface SignOffLinkView {
  readonly linkId: string;
  readonly journeyId: string;
  readonly clientId: string;
  readonly stage: SignOffLink['stage'];
  readonly stageEnteredAt: Instant;
  readonly criterion: string;
  readonly approverName: string | null;
  readonly note: string | null;
  readonly status: SignOffLinkStatus;
  readonly decision: SignOffLink['decision'];
  readonly usedAt: Instant | null;
  readonly issuedBy: string;
  readonly issuedAt: Instant;
  readonly expiresAt: Instant;
  readonly revokedBy: string | null;
  readonly revokedAt: Instant | null;
  readonly revokeReason: string | null;
}

/** The link's status for a journey as it is now (null: the journey is gone). */
export function signOffLinkStatus(
  link: SignOffLink,
  journey: Pick<StartedJourney, 'stage' | 'stageEnteredAt'> | null,
  now: Instant,
): SignOffLinkStatus {
  if (link.usedAt !== null) {
    return 'used';
  }
  if (link.revocation !== null) {
    return 'revoked';
  }
  if (millisBetween(link.expiresAt, now) >= 0) {
    return 'expired';
  }
  const sameVisit =
    journey !== null &&
    journey.stage === link.stage &&
    journey.stageEnteredAt === link.stageEnteredAt;
  return sameVisit ? 'open' : 'stale';
}

export function signOffLinkView(
  link: SignOffLink,
  journey: Pick<StartedJourney, 'stage' | 'stageEnteredAt'> | null,
  now: Instant,
): SignOffLinkView {
  return {
    linkId: link.linkId,
    journeyId: link.journeyId,
    clientId: link.clientId,
    stage: link.stage,
    stageEnteredAt: link.stageEnteredAt,
    criterion: link.criterionId,
    approverName: link.approverName,
    note: link.note,
    status: signOffLinkStatus(link, journey, now),
    decision: link.decision,
    usedAt: link.usedAt,
    issuedBy: link.issuedBy,
    issuedAt: link.issuedAt,
    expiresAt: link.expiresAt,
    revokedBy: link.revocation?.revokedBy ?? null,
    revokedAt: link.revocation?.revokedAt ?? null,
    revokeReason: link.revocation?.reason ?? null,
  };
}
