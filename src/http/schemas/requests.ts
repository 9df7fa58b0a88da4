import { z } from 'zod';
import { SLUG_RULE } from '../../domain/index.js';
import { StageSchema, StatusKindSchema, WorkingStageSchema } from './domain.js';
import { named } from './registry.js';

/**
 * What the API accepts: path parameters, query strings and bodies. Objects are strict (an
 * unknown field is an error, not silently dropped) and every string is bounded.
 */

/** The domain's slug rule (`isSlug`): client ids, playbook names, criterion ids. */
const SLUG = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const Slug = z.string().max(128, { abort: true }).regex(SLUG, SLUG_RULE);

export const ClientIdParams = z.strictObject({
  clientId: Slug.describe("The client's id"),
});

export const WorkIdParams = z.strictObject({
  workId: z
    .string()
    .max(128, { abort: true })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be a unit of work id (letters, digits, . _ : -)')
    .describe("The unit of work's id"),
});

export const Reason = z
  .string()
  .trim()
  .min(1)
  .max(1_000)
  .describe('Why, in words; kept in the audit trail');

export const StartJourneyBody = named(
  'StartJourneyRequest',
  z.strictObject({
    clientId: Slug.describe('The client to start a journey for'),
    playbook: Slug.optional().describe("The playbook's name; the server's default when absent"),
  }),
);

export const PromotionBody = named(
  'PromotionRequest',
  z
    .strictObject({
      to: StageSchema.optional().describe(
        'The next stage (or `completed`, from production); the next one when absent',
      ),
      reason: Reason.optional(),
      overrideFreeze: z
        .strictObject({ reason: Reason })
        .optional()
        .describe(
          'Admin only: promote although a freeze window is in force; recorded on the promotion',
        ),
    })
    .nullish()
    .describe('Optional: no body promotes to the next stage'),
);

export const RollbackBody = named(
  'RollbackRequest',
  z.strictObject({
    reason: Reason,
    to: WorkingStageSchema.optional().describe('Must be the previous stage when given'),
  }),
);

export const CancelBody = named('CancelRequest', z.strictObject({ reason: Reason }));

export const PauseBody = named('PauseRequest', z.strictObject({ reason: Reason }));

/** Resuming needs no words; a reason, when given, is kept. */
export const ResumeBody = named(
  'ResumeRequest',
  z.strictObject({ reason: Reason.optional() }).nullish(),
);

export const ApprovalBody = named(
  'ApprovalRequest',
  z.strictObject({
    criterion: Slug.describe('An approval criterion of the current stage'),
    comment: z.string().max(2_000).optional(),
    decision: z.enum(['approved', 'rejected']).optional().describe('@default approved'),
    stage: WorkingStageSchema.optional().describe(
      'The stage the approver looked at: refused if the journey has moved on',
    ),
  }),
);

export const RevokeApprovalQuery = z.strictObject({
  reason: Reason.optional(),
});

export const CriterionParams = z.strictObject({
  clientId: Slug.describe("The client's id"),
  criterion: Slug.describe('An exit criterion of the current stage'),
});

export const InconclusiveDecisionBody = named(
  'InconclusiveDecisionRequest',
  z.strictObject({
    decision: z
      .enum(['accept', 'reject'])
      .describe('accept: counts as passed; reject: counts as failed (this stage visit)'),
    reason: Reason,
  }),
);

/** No body (or `{}`): a request without a body arrives as null. */
export const RetryBody = z.strictObject({}).nullish();

export const Limit = z
  .string()
  .regex(/^[1-9][0-9]{0,2}$/, 'must be a whole number from 1 to 500')
  .refine((value) => Number(value) <= 500, 'must be a whole number from 1 to 500')
  .describe('Page size, 1 to 500 (default 50)');

export const JourneyListQuery = z.strictObject({
  stage: StageSchema.optional(),
  status: StatusKindSchema.optional(),
  active: z.enum(['true', 'false']).optional(),
  clientId: Slug.optional(),
  limit: Limit.optional(),
  cursor: z
    .string()
    .max(512)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a nextCursor this API returned')
    .optional(),
});
