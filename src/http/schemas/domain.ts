import { z } from 'zod';
import {
  COMPARATORS,
  JOURNEY_STATUS_KINDS,
  OUTCOMES,
  Stage,
  TASK_STATUSES,
  UNIT_OF_WORK_STATUSES,
  WORKING_STAGES,
} from '../../domain/index.js';
import { Instant, list, named } from './registry.js';

/** Schemas of the domain's values as the API returns them (responses only). */

export const StageSchema = z.enum(Stage);
export const WorkingStageSchema = z.enum(WORKING_STAGES);
export const StatusKindSchema = z.enum(JOURNEY_STATUS_KINDS);
export const TaskStatusSchema = z.enum(TASK_STATUSES);
export const UnitStatusSchema = z.enum(UNIT_OF_WORK_STATUSES);
export const WorkPurposeSchema = z.enum(['setup', 'rollback']);

const MetricValue = z.union([z.number(), z.boolean()]);

export const CriterionResultSchema = named(
  'CriterionResult',
  z.object({
    criterionId: z.string(),
    description: z.string(),
    source: z.enum(['http', 'agent', 'prometheus', 'approval']),
    outcome: z.enum(OUTCOMES),
    reason: z.string().describe('Why, in words: "0.78 is not > 0.8", "1 of 2 approvals"'),
    evaluatedAt: Instant,
    observed: MetricValue.nullable().optional(),
    observedAt: Instant.optional(),
    comparator: z.enum(COMPARATORS).optional(),
    threshold: MetricValue.optional(),
    error: z.string().optional(),
    holdingSince: Instant.nullable().optional(),
    windowRemaining: z.number().optional().describe('Milliseconds the condition must still hold'),
    approvedBy: list(z.string()).optional(),
    rejectedBy: list(z.string()).optional(),
    resolution: z
      .object({
        decision: z.enum(['accept', 'reject']),
        reason: z.string(),
        decidedBy: z.string(),
        at: Instant,
      })
      .optional()
      .describe(
        'A person decided this inconclusive reading: accepted (passed) or rejected (failed)',
      ),
  }),
  'The evidence for one exit criterion at one evaluation',
);

export const ApprovalDecisionSchema = named(
  'ApprovalDecision',
  z.object({
    criterionId: z.string(),
    approverId: z.string().describe("The approving token's name"),
    role: z.string(),
    decision: z.enum(['approved', 'rejected']),
    at: Instant,
    comment: z.string().optional(),
  }),
);

const BlockedReasonSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('setup_failed'),
    workId: z.string(),
    failedTaskIds: list(z.string()),
  }),
  z.object({ kind: z.literal('rollback_failed'), workId: z.string(), error: z.string() }),
  z.object({
    kind: z.literal('criterion'),
    criterionId: z.string(),
    outcome: z.enum(['failed', 'inconclusive']),
    reason: z.string(),
  }),
]);

export const JourneyStatusSchema = named(
  'JourneyStatus',
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('not_started') }),
    z.object({ kind: z.literal('setting_up'), stage: WorkingStageSchema, workId: z.string() }),
    z.object({ kind: z.literal('validating'), stage: WorkingStageSchema }),
    z.object({
      kind: z.literal('ready_to_promote'),
      stage: WorkingStageSchema,
      to: z.enum([...WORKING_STAGES, 'completed']),
    }),
    z.object({
      kind: z.literal('blocked'),
      stage: z.enum([...WORKING_STAGES, 'rollback']),
      reasons: list(BlockedReasonSchema),
      summary: z.string(),
    }),
    z.object({
      kind: z.literal('rolling_back'),
      from: WorkingStageSchema,
      to: WorkingStageSchema,
      workId: z.string(),
    }),
    z.object({ kind: z.literal('completed'), at: Instant }),
    z.object({ kind: z.literal('cancelled'), at: Instant }),
  ]),
  "The journey's status with what it depends on",
);

export const RollbackSchema = named(
  'RollbackInProgress',
  z.object({
    fromStage: WorkingStageSchema,
    toStage: WorkingStageSchema,
    reason: z.string(),
    initiatedBy: z.string(),
    workId: z.string(),
    snapshotId: z.string().nullable(),
    status: z.enum(['running', 'failed']),
    error: z.string().nullable(),
  }),
);

export const TaskFailureSchema = named(
  'TaskFailure',
  z.object({
    message: z.string(),
    code: z.string().optional(),
    retryable: z.boolean(),
    retryAfter: z.number().optional().describe('Milliseconds the agent asked us to wait'),
  }),
);

export const RetryPolicySchema = z
  .object({
    maxRetries: z.number(),
    initialInterval: z.number(),
    backoffCoefficient: z.number(),
    maxInterval: z.number(),
    jitter: z.number(),
  })
  .describe('Retry policy; intervals in milliseconds');
