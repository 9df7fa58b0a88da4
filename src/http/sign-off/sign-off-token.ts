import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SignOffLink } from '../../application/ports.js';

/**
 * A sign-off link's token: `v1.<linkId>.<signature>`. The link id is 128 random bits
 * (base64url); the signature is HMAC-SHA256, keyed with the server's sign-off secret, over the
 * link's whole scope (journey, stage visit, criterion, approver name, expiry), so a token is
 * worthless without the secret even to someone who can read the links table.
 */

const VERSION = 'v1';
const TOKEN = /^v1\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/** A new unguessable link id. */
export function newLinkId(): string {
  return randomBytes(16).toString('base64url');
}

/** What the signature covers: everything that scopes the link. */
type SignedScope = Pick<
  SignOffLink,
  'linkId' | 'journeyId' | 'stage' | 'stageEnteredAt' | 'criterionId' | 'approverName' | 'expiresAt'
>;

function signature(secret: Buffer, link: SignedScope): Buffer {
  const message = [
    'journey-orchestrator sign-off',
    VERSION,
    link.linkId,
    link.journeyId,
    link.stage,
    link.stageEnteredAt,
    link.criterionId,
    link.approverName ?? '',
    link.expiresAt,
  ].join('\n');
  return createHmac('sha256', secret).update(message).digest();
}

export function signOffToken(secret: Buffer, link: SignedScope): string {
  return `${VERSION}.${link.linkId}.${signature(secret, link).toString('base64url')}`;
}

/** The link id a token names, or null when it is not a token's shape (nothing is looked up). */
export function parseSignOffToken(
  token: string,
): { readonly linkId: string; readonly signature: string } | null {
  const match = TOKEN.exec(token);
  return match?.[1] === undefined || match[2] === undefined
    ? null
    : { linkId: match[1], signature: match[2] };
}

/** True when the token's signature is the one of this stored link (constant time). */
export function signatureMatches(secret: Buffer, link: SignedScope, given: string): boolean {
  const expected = signature(secret, link);
  const actual = Buffer.from(given, 'base64url');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
