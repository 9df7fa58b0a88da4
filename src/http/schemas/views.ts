import { z } from 'zod';
import {
  ApprovalDecisionSchema,
  CriterionResultSchema,
  JourneyStatusSchema,
  RetryPolicySchema,
  RollbackSchema,
  StageSchema,
  StatusKindSchema,
  TaskFailureSchema,
  TaskStatusSchema,
  UnitStatusSchema,
  WorkingStageSchema,
  WorkPurposeSchema,
} from './domain.js';
import { Instant, list, named } from './registry.js';

/** The API's response bodies: src/application/queries' views, described for OpenAPI. */

export const TaskAttemptSchema = named(
  'TaskAttempt',
  z.object({
    attempt: z.number().int(),
    status: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
    startedAt: Instant.nullable(),
    finishedAt: Instant.nullable(),
    agentId: z.string().nullable(),
    agentTaskId: z.string().nullable(),
    output: z.unknown().describe('What the agent returned (JSON); null unless it succeeded'),
    error: TaskFailureSchema.nullable(),
    willRetry: z.boolean(),
    nextAttemptAt: Instant.nullable(),
  }),
);

export const TaskSchema = named(
  'Task',
  z.object({
    taskId: z.string(),
    name: z.string(),
    intent: z.string(),
    agentId: z.string().nullable(),
    dependsOn: list(z.string()),
    input: z.unknown().describe('The input as the playbook defines it (references unresolved)'),
    timeoutMs: z.number(),
    retry: RetryPolicySchema,
    status: TaskStatusSchema,
    attemptCount: z.number().int(),
    output: z.unknown().describe("The latest success's output (JSON), else null"),
    error: TaskFailureSchema.nullable(),
    nextAttemptAt: Instant.nullable(),
    attempts: list(TaskAttemptSchema),
  }),
);

export const UnitOfWorkSchema = named(
  'UnitOfWork',
  z.object({
    workId: z.string(),
    journeyId: z.string(),
    clientId: z.string(),
    stage: WorkingStageSchema,
    purpose: WorkPurposeSchema,
    status: UnitStatusSchema,
    createdAt: Instant,
    startedAt: Instant.nullable(),
    endedAt: Instant.nullable(),
    cancelReason: z.string().nullable(),
    failedTaskIds: list(z.string()),
    blockedTaskIds: list(z.string()),
    tasks: list(TaskSchema),
    updatedAt: Instant,
    version: z.number().int(),
  }),
);

export const ExitCriteriaSchema = named(
  'ExitCriteriaEvaluation',
  z.object({
    stage: WorkingStageSchema,
    evaluatedAt: Instant,
    allPassed: z.boolean(),
    results: list(CriterionResultSchema),
  }),
);

const StageTransitionSchema = named(
  'StageTransition',
  z.object({
    kind: z.enum([
      'promotion',
      'completion',
      'rollback_started',
      'rollback_completed',
      'cancellation',
    ]),
    fromStage: StageSchema,
    toStage: StageSchema,
    transitionedAt: Instant,
    reason: z.string(),
    by: z.string(),
    exitCriteriaResults: list(CriterionResultSchema),
    workId: z.string().nullable(),
  }),
);

const journeyFields = {
  journeyId: z.string(),
  clientId: z.string(),
  playbook: z.object({ name: z.string(), version: z.number() }),
  currentStage: StageSchema,
  status: StatusKindSchema,
  statusDetail: JourneyStatusSchema,
  active: z.boolean(),
  startedAt: Instant,
  stageEnteredAt: Instant,
  endedAt: Instant.nullable(),
  updatedAt: Instant,
  overdueSince: Instant.nullable(),
  paused: z
    .object({ pausedBy: z.string(), reason: z.string(), at: Instant })
    .nullable()
    .describe('Who paused the journey, when and why; null unless paused'),
  stageHistory: list(StageTransitionSchema),
  exitCriteria: ExitCriteriaSchema.nullable().describe(
    'The latest evaluation of the current stage visit',
  ),
  approvals: list(ApprovalDecisionSchema),
  rollback: RollbackSchema.nullable(),
  currentWorkId: z.string().nullable(),
  version: z.number().int(),
};

export const JourneySummarySchema = named('JourneySummary', z.object(journeyFields));

export const JourneySchema = named(
  'Journey',
  z.object({ ...journeyFields, currentUnitOfWork: UnitOfWorkSchema.nullable() }),
);

export const JourneyPageSchema = named(
  'JourneyPage',
  z.object({ items: list(JourneySummarySchema), nextCursor: z.string().nullable() }),
);

export const EventSchema = named(
  'Event',
  z.object({
    position: z.string(),
    eventId: z.string(),
    streamId: z.string(),
    streamType: z.enum(['journey', 'unit-of-work']),
    version: z.number().int(),
    type: z.string(),
    occurredAt: Instant,
    recordedAt: Instant,
    metadata: z.object({
      causedBy: z.string(),
      correlationId: z.string(),
      causationId: z.string().nullable(),
    }),
    data: z.unknown().describe('The event itself: its `type` and fields'),
  }),
);

export const EventListSchema = named(
  'EventList',
  z.object({ journeyId: z.string(), clientId: z.string(), items: list(EventSchema) }),
);

const Rate = z
  .number()
  .nullable()
  .describe('A fraction from 0 to 1; null when nothing was counted');
const Durations = z.object({
  count: z.number().int(),
  medianMs: z.number().nullable(),
  p90Ms: z.number().nullable(),
});
const Counts = (keys: z.ZodEnum) => z.record(keys, z.number().int());

export const SuccessMetricsSchema = named(
  'SuccessMetrics',
  z.object({
    generatedAt: Instant,
    journeys: z.object({
      total: z.number().int(),
      active: z.number().int(),
      byStage: Counts(StageSchema),
      byStatus: Counts(StatusKindSchema),
    }),
    timeToProduction: Durations,
    timeToCompletion: Durations,
    rollbacks: z.object({
      count: z.number().int(),
      promotions: z.number().int(),
      rate: Rate,
      journeysRolledBack: z.number().int(),
      journeyRate: Rate,
    }),
    exitCriteria: z.object({
      evaluations: z.number().int(),
      passed: z.number().int(),
      passRate: Rate,
      byTrigger: z.record(
        z.string(),
        z.object({ evaluations: z.number().int(), passed: z.number().int() }),
      ),
      results: z.object({
        passed: z.number().int(),
        failed: z.number().int(),
        inconclusive: z.number().int(),
      }),
      byCriterion: list(
        z.object({
          criterionId: z.string(),
          source: z.string(),
          passed: z.number().int(),
          failed: z.number().int(),
          inconclusive: z.number().int(),
        }),
      ),
    }),
  }),
);
