import { z } from 'zod';
import { BLOCKER_CODES } from '../../application/queries/readiness-blockers.js';
import { ON_DEADLINE } from '../../domain/index.js';
import { CriterionResultSchema, StageSchema, WorkingStageSchema } from './domain.js';
import { Instant, list, named } from './registry.js';

/** Readiness, evidence and sign-off links: requests and responses (docs/evidence.md). */

const SLUG = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export const EvidenceQuery = z.strictObject({
  format: z.enum(['json', 'markdown']).optional().describe('@default json'),
});

/** A duration as in playbooks (`72h`, `30m`, `1d12h`), from 1 minute to 30 days. */
const ExpiresIn = z
  .string()
  .max(32)
  .regex(/^(\d+(ms|s|m|h|d|w))+$/, 'must be a duration such as 72h, 30m or 7d')
  .describe('How long the link works, 1m to 30d (default 72h)');

export const SignOffLinkBody = named(
  'SignOffLinkRequest',
  z.strictObject({
    criterion: z
      .string()
      .max(128, { abort: true })
      .regex(SLUG, 'must be a criterion id')
      .describe('An approval criterion of the current stage whose policy allows role client'),
    expiresIn: ExpiresIn.optional(),
    approverName: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[^\p{Cc}]+$/u, 'must be one line of text')
      .optional()
      .describe('Who the client is; the approver id becomes client:<approverName>'),
    note: z
      .string()
      .trim()
      .min(1)
      .max(1_000)
      .optional()
      .describe('Shown to the client on the page'),
  }),
);

export const SignOffLinkSchema = named(
  'SignOffLink',
  z.object({
    linkId: z.string(),
    url: z.string().describe('Send this to the client; it works once'),
    expiresAt: Instant,
    journeyId: z.string(),
    clientId: z.string(),
    stage: WorkingStageSchema,
    criterion: z.string(),
    approverName: z.string().nullable(),
  }),
);

const BlockerSchema = named(
  'Blocker',
  z.object({
    code: z.enum(BLOCKER_CODES),
    message: z.string(),
    criterionId: z.string().optional(),
    until: Instant.optional().describe('When it lifts by itself, if it does'),
  }),
  'One thing that holds the promotion back',
);

const ApprovalReadinessSchema = z.object({
  policy: z.object({
    roles: list(z.string()),
    minApprovals: z.number().int(),
    requiredApprovers: list(z.string()),
    expiresAfterMs: z.number().nullable(),
  }),
  approvedBy: list(z.string()),
  rejectedBy: list(z.string()),
  approvalsNeeded: z.number().int(),
  missingApprovers: list(z.string()),
  decisions: list(
    z.object({
      approverId: z.string(),
      role: z.string(),
      decision: z.enum(['approved', 'rejected']),
      at: Instant,
      comment: z.string().optional(),
      counts: z.boolean(),
      expired: z.boolean(),
      expiresAt: Instant.nullable(),
    }),
  ),
  reminder: z
    .object({
      remindAfterMs: z.number().int(),
      remindEveryMs: z.number().int().nullable(),
      pendingSince: Instant.nullable(),
      remindersSent: z.number().int(),
      nextReminderAt: Instant.nullable(),
    })
    .nullable(),
  openSignOffLinks: list(
    z.object({
      linkId: z.string(),
      approverName: z.string().nullable(),
      issuedBy: z.string(),
      expiresAt: Instant,
    }),
  ),
});

export const ReadinessSchema = named(
  'Readiness',
  z.object({
    journeyId: z.string(),
    clientId: z.string(),
    stage: StageSchema,
    stageEnteredAt: Instant,
    nextStage: z.union([WorkingStageSchema, z.literal('completed')]).nullable(),
    evaluatedAt: Instant,
    ready: z.boolean(),
    summary: z.string(),
    setup: z
      .object({
        workId: z.string(),
        status: z.enum(['running', 'completed', 'failed']),
        failedTaskIds: list(z.string()),
        done: z.boolean(),
      })
      .nullable(),
    criteria: list(
      CriterionResultSchema.and(
        z.object({
          kind: z.enum(['metric', 'approval']),
          unit: z.string().optional(),
          window: z
            .object({
              windowMs: z.number(),
              holdingSince: Instant.nullable(),
              remainingMs: z.number(),
              passesAt: Instant.nullable(),
            })
            .nullable(),
          approval: ApprovalReadinessSchema.nullable(),
          inconclusiveDeadline: z
            .object({
              deadlineMs: z.number().int(),
              onDeadline: z.enum(ON_DEADLINE),
              inconclusiveSince: Instant.nullable(),
              at: Instant.nullable(),
              escalatedAt: Instant.nullable(),
            })
            .nullable(),
        }),
      ),
    ),
    blockers: list(BlockerSchema),
  }),
  'What blocks promotion right now',
);

const EvidenceRecordSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('evaluation'),
    at: Instant,
    trigger: z.string(),
    by: z.string(),
    allPassed: z.boolean(),
    results: list(CriterionResultSchema),
  }),
  z.object({
    kind: z.literal('approval'),
    at: Instant,
    decision: z.enum(['approved', 'rejected', 'revoked']),
    criterionId: z.string(),
    approverId: z.string(),
    role: z.string().nullable(),
    by: z.string(),
    comment: z.string().nullable(),
  }),
  z.object({
    kind: z.literal('inconclusive_resolved'),
    at: Instant,
    criterionId: z.string(),
    decision: z.enum(['accept', 'reject']),
    reason: z.string(),
    by: z.string(),
    inconclusiveReason: z.string(),
  }),
  z.object({
    kind: z.literal('inconclusive_escalated'),
    at: Instant,
    criterionId: z.string(),
    inconclusiveSince: Instant,
    deadline: Instant,
    inconclusiveReason: z.string(),
  }),
  z.object({
    kind: z.enum(['promotion', 'completion']),
    at: Instant,
    fromStage: WorkingStageSchema,
    toStage: z.union([WorkingStageSchema, z.literal('completed')]),
    by: z.string(),
    reason: z.string(),
    results: list(CriterionResultSchema),
  }),
  z.object({
    kind: z.enum(['rollback_initiated', 'rollback_completed', 'rollback_failed']),
    at: Instant,
    fromStage: StageSchema,
    toStage: StageSchema,
    by: z.string(),
    reason: z.string(),
  }),
  z.object({
    kind: z.literal('cancellation'),
    at: Instant,
    fromStage: StageSchema,
    by: z.string(),
    reason: z.string(),
  }),
]);

export const EvidenceSchema = named(
  'Evidence',
  z.object({
    journeyId: z.string(),
    clientId: z.string(),
    playbook: z.object({ name: z.string(), version: z.number() }),
    startedAt: Instant,
    startedBy: z.string(),
    currentStage: StageSchema,
    generatedAt: Instant,
    visits: list(
      z.object({
        stage: StageSchema,
        visit: z.number().int(),
        enteredAt: Instant,
        leftAt: Instant.nullable(),
        records: list(EvidenceRecordSchema),
      }),
    ),
  }),
  'Every gate evaluation and decision of the journey, by stage visit',
);
