import type { Requester } from '../../application/engine/orchestrator.js';
import type { PlaybookCatalog } from '../../application/playbook-catalog.js';
import type { Clock, JourneyRecord, SignOffLink } from '../../application/ports.js';
import {
  addMillis,
  domainError,
  isDomainError,
  millisBetween,
  type ApprovalCriterion,
  type Millis,
} from '../../domain/index.js';
import { HttpProblem } from '../problem.js';
import type { ApiOrchestrator, ApiStore } from '../routes/context.js';
import { signOffCriterion } from './playbook-lookup.js';
import { signOffLinkView, type SignOffLinkView } from './sign-off-link-view.js';
import { newLinkId, parseSignOffToken, signatureMatches, signOffToken } from './sign-off-token.js';

/**
 * Client sign-off without an account: an operator issues a link for one approval criterion of
 * one stage visit; the client opens it and decides once. The decision is recorded through the
 * orchestrator's approve use case, as role `client`, approver `client:<name>` (or the link id).
 */

/** Why a link is refused; each has its page and status (sign-off-page.ts). */
export type SignOffRefusal =
  /** Malformed, unknown, or its signature does not match: forged or tampered. */
  | { readonly kind: 'invalid'; readonly why: 'malformed' | 'unknown' | 'bad_signature' }
  | { readonly kind: 'expired'; readonly link: SignOffLink }
  | { readonly kind: 'used'; readonly link: SignOffLink }
  /** An operator withdrew it before it was used. */
  | { readonly kind: 'revoked'; readonly link: SignOffLink }
  /** The journey left the stage visit the link was issued in (or ended). */
  | { readonly kind: 'moved_on'; readonly link: SignOffLink; readonly stage: string };

export type OpenedLink =
  | {
      readonly ok: true;
      readonly link: SignOffLink;
      readonly journey: JourneyRecord;
      readonly criterion: ApprovalCriterion;
    }
  | { readonly ok: false; readonly refusal: SignOffRefusal };

export interface IssuedLink {
  readonly linkId: string;
  readonly token: string;
  readonly link: SignOffLink;
}

export interface SignOffsOptions {
  readonly store: ApiStore;
  readonly orchestrator: ApiOrchestrator;
  readonly clock: Clock;
  readonly secret: () => Promise<Buffer>;
  readonly playbooks: () => Promise<PlaybookCatalog>;
}

export class SignOffs {
  readonly #options: SignOffsOptions;

  constructor(options: SignOffsOptions) {
    this.#options = options;
  }

  /** Issues a link for a criterion of the client's current stage visit. */
  async issue(
    clientId: string,
    request: {
      readonly criterionId: string;
      readonly expiresIn: Millis;
      readonly approverName?: string;
      readonly note?: string;
    },
    by: Requester,
  ): Promise<IssuedLink> {
    const { store, clock } = this.#options;
    const journey = (await this.#journeyOf(clientId)).state;
    const criterion = signOffCriterion(
      await this.#options.playbooks(),
      journey,
      request.criterionId,
    );
    const now = clock.now();
    const link: SignOffLink = {
      linkId: newLinkId(),
      journeyId: journey.journeyId,
      clientId: journey.clientId,
      // signOffCriterion refused every stage but a working one.
      stage: journey.stage as SignOffLink['stage'],
      stageEnteredAt: journey.stageEnteredAt,
      criterionId: criterion.id,
      approverName: request.approverName ?? null,
      note: request.note ?? null,
      issuedBy: by.actor,
      issuedAt: now,
      expiresAt: addMillis(now, request.expiresIn),
      usedAt: null,
      decision: null,
      revocation: null,
    };
    await store.saveSignOffLink(link);
    // Read back: the store normalises instants, and the signature must cover what it returns.
    const saved = (await store.findSignOffLink(link.linkId)) ?? link;
    const token = signOffToken(await this.#options.secret(), saved);
    return { linkId: saved.linkId, token, link: saved };
  }

  /** Checks a token: shape, signature, expiry, use, and that the journey is still there. */
  async open(token: string): Promise<OpenedLink> {
    const { store, clock } = this.#options;
    const parsed = parseSignOffToken(token);
    if (parsed === null) {
      return refused({ kind: 'invalid', why: 'malformed' });
    }
    const link = await store.findSignOffLink(parsed.linkId);
    if (link === null) {
      return refused({ kind: 'invalid', why: 'unknown' });
    }
    if (!signatureMatches(await this.#options.secret(), link, parsed.signature)) {
      return refused({ kind: 'invalid', why: 'bad_signature' });
    }
    if (link.usedAt !== null) {
      return refused({ kind: 'used', link });
    }
    if (link.revocation !== null) {
      return refused({ kind: 'revoked', link });
    }
    if (millisBetween(link.expiresAt, clock.now()) >= 0) {
      return refused({ kind: 'expired', link });
    }
    const journey = await store.findJourney(link.journeyId);
    if (
      journey === null ||
      journey.state.stage !== link.stage ||
      journey.state.stageEnteredAt !== link.stageEnteredAt
    ) {
      return refused({ kind: 'moved_on', link, stage: journey?.state.stage ?? 'gone' });
    }
    try {
      const catalog = await this.#options.playbooks();
      const criterion = signOffCriterion(catalog, journey.state, link.criterionId);
      return { ok: true, link, journey, criterion };
    } catch (error) {
      if (isDomainError(error)) {
        // The playbook changed under the link: it no longer names a criterion the client decides.
        return refused({ kind: 'moved_on', link, stage: journey.state.stage });
      }
      throw error;
    }
  }

  /** The links issued for the client's journey (active, else latest), oldest first. */
  async list(clientId: string): Promise<SignOffLinkView[]> {
    const { store, clock } = this.#options;
    const record = await this.#journeyOf(clientId);
    const links = await store.listSignOffLinks(record.journeyId);
    const now = clock.now();
    return links.map((link) => signOffLinkView(link, record.state, now));
  }

  /**
   * Withdraws a link that is neither used nor revoked (an expired or stale one too, for the
   * record): one conditional UPDATE, so of a revocation and the client's use exactly one wins.
   */
  async revoke(
    clientId: string,
    linkId: string,
    request: { readonly reason?: string },
    by: Requester,
  ): Promise<SignOffLinkView> {
    const { store, clock } = this.#options;
    const record = await this.#journeyOf(clientId);
    const link = await store.findSignOffLink(linkId);
    if (link === null || link.journeyId !== record.journeyId) {
      throw new HttpProblem(
        'SIGN_OFF_LINK_NOT_FOUND',
        `The journey of ${clientId} has no sign-off link ${linkId}.`,
        {},
        { details: { clientId, linkId } },
      );
    }
    const revokedAt = clock.now();
    const revoked = await store.revokeSignOffLink(linkId, {
      revokedBy: by.actor,
      revokedAt,
      reason: request.reason ?? null,
    });
    const after = (await store.findSignOffLink(linkId)) ?? link;
    if (!revoked) {
      throw after.revocation === null
        ? new HttpProblem(
            'SIGN_OFF_LINK_USED',
            `Sign-off link ${linkId} was used${after.usedAt === null ? '' : ` at ${after.usedAt}`} (${after.decision ?? 'no decision'}): it cannot be revoked.`,
            {},
            { details: { linkId, usedAt: after.usedAt, decision: after.decision } },
          )
        : new HttpProblem(
            'SIGN_OFF_LINK_REVOKED',
            `Sign-off link ${linkId} was revoked already by ${after.revocation.revokedBy} at ${after.revocation.revokedAt}.`,
            {},
            { details: { linkId, ...after.revocation } },
          );
    }
    return signOffLinkView(after, record.state, clock.now());
  }

  async #journeyOf(clientId: string): Promise<JourneyRecord> {
    const record = await this.#options.store.findJourneyByClientId(clientId);
    if (record === null) {
      throw domainError('JOURNEY_NOT_STARTED', `Client ${clientId} has no journey.`, { clientId });
    }
    return record;
  }

  /**
   * Records the client's decision. The link is marked used first, so of two submissions exactly
   * one is recorded; if recording fails, the use is undone and the error thrown.
   */
  async decide(
    opened: Extract<OpenedLink, { ok: true }>,
    decision: { readonly decision: 'approved' | 'rejected'; readonly comment?: string },
    correlationId: string,
  ): Promise<
    | { readonly ok: true; readonly approverId: string }
    | { readonly ok: false; readonly refusal: SignOffRefusal }
  > {
    const { store, clock, orchestrator } = this.#options;
    const { link } = opened;
    const usedAt = clock.now();
    if (!(await store.useSignOffLink(link.linkId, usedAt, decision.decision))) {
      // Used or revoked since it was opened: the one conditional UPDATE let the other win.
      const again = (await store.findSignOffLink(link.linkId)) ?? link;
      return refused({ kind: again.revocation === null ? 'used' : 'revoked', link: again });
    }
    const approverId = `client:${link.approverName ?? link.linkId}`;
    try {
      await orchestrator.approve(
        link.clientId,
        {
          criterionId: link.criterionId,
          role: 'client',
          decision: decision.decision,
          ...(decision.comment === undefined ? {} : { comment: decision.comment }),
          expectedStage: link.stage,
        },
        { actor: approverId, correlationId },
      );
    } catch (error) {
      await store.releaseSignOffLink(link.linkId, usedAt);
      if (isDomainError(error) && error.code === 'STAGE_MISMATCH') {
        return refused({
          kind: 'moved_on',
          link,
          stage: typeof error.details.stage === 'string' ? error.details.stage : '',
        });
      }
      throw error;
    }
    return { ok: true, approverId };
  }
}

function refused(refusal: SignOffRefusal): {
  readonly ok: false;
  readonly refusal: SignOffRefusal;
} {
  return { ok: false, refusal };
}
