import { z } from 'zod';
import { SIGN_OFF_LINK_STATUSES } from '../sign-off/sign-off-link-view.js';
import { WorkingStageSchema } from './domain.js';
import { Instant, list, named } from './registry.js';
import { Reason, Slug } from './requests.js';

/** Listing and revoking sign-off links (docs/evidence.md); issuing is in evidence.ts. */

export const SignOffLinkParams = z.strictObject({
  clientId: Slug.describe("The client's id"),
  linkId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{22}$/, 'must be a sign-off link id (22 characters of base64url)')
    .describe('The id the link was issued with (`linkId`)'),
});

export const RevokeSignOffLinkQuery = z.strictObject({ reason: Reason.optional() });

export const IssuedSignOffLinkSchema = named(
  'IssuedSignOffLink',
  z.object({
    linkId: z.string(),
    journeyId: z.string(),
    clientId: z.string(),
    stage: WorkingStageSchema,
    stageEnteredAt: Instant.describe('The stage visit the link belongs to'),
    criterion: z.string(),
    approverName: z.string().nullable(),
    note: z.string().nullable(),
    status: z
      .enum(SIGN_OFF_LINK_STATUSES)
      .describe(
        'used, revoked, expired, stale (the journey left the stage visit), else open; in this order',
      ),
    decision: z.enum(['approved', 'rejected']).nullable(),
    usedAt: Instant.nullable(),
    issuedBy: z.string(),
    issuedAt: Instant,
    expiresAt: Instant,
    revokedBy: z.string().nullable(),
    revokedAt: Instant.nullable(),
    revokeReason: z.string().nullable(),
  }),
  'An issued sign-off link, without its token (shown once, when issued)',
);

export const SignOffLinkListSchema = named(
  'SignOffLinkList',
  z.object({ items: list(IssuedSignOffLinkSchema).describe('Oldest first') }),
);
