/**
 * The domain of journey orchestration: pure, no I/O, no clock, no randomness.
 *
 * Glossary (docs/glossary.md has the full list):
 * - Journey: one client's way from sandbox through pilot to production; one active per client.
 * - Stage: sandbox | pilot | production, plus rollback (transient), completed and cancelled (terminal).
 * - Unit of work: the DAG of tasks a stage runs for its setup or its rollback.
 * - Task: one action, sent to an agent by id or discovered by intent; retried by its RetryPolicy.
 * - Exit criterion: what must hold before a promotion; its result is passed, failed or inconclusive.
 * - Snapshot: the outputs of the setup of the stage being rolled back, kept for the rollback tasks.
 *
 * Each aggregate is a decider: `decide(command, state)` returns events or a DomainError, and
 * `evolve(state, event)` folds an event into the state.
 */
export { DomainError, ERROR_CATALOG, domainError, isDomainError } from './errors.js';
export type { Decision, DomainErrorCode, DomainErrorDetails } from './errors.js';
export * from './ids.js';
export * from './time.js';
export type { JsonObject, JsonPrimitive, JsonValue } from './json.js';
export {
  DEFAULT_RETRY_POLICY,
  nextAttemptAt,
  retryDelay,
  validateRetryPolicy,
} from './retry-policy.js';
export type { RetryPolicy } from './retry-policy.js';

// Journey
export {
  ALL_STAGES,
  Stage,
  WORKING_STAGES,
  isStage,
  isTerminalStage,
  isWorkingStage,
  nextStage,
  previousStage,
} from './journey/stage.js';
export type { WorkingStage } from './journey/stage.js';
export type { JourneyCommand, JourneyCommandType } from './journey/commands.js';
export { EVALUATION_TRIGGERS, JOURNEY_EVENT_TYPES } from './journey/events.js';
export type * from './journey/events.js';
export { evolveJourney, initialJourneyState } from './journey/state.js';
export type {
  JourneyState,
  RollbackInProgress,
  StageSetup,
  StageTransition,
  StartedJourney,
} from './journey/state.js';
export { checkApprovalCriterion, decideJourney } from './journey/decide.js';
export { checkControls, checkSoak } from './journey/controls.js';
export { findWait, inconclusiveDeadlineAt, nextReminderAt, waitKindOf } from './journey/waits.js';
export type { CriterionWait } from './journey/waits.js';
export type {
  ActiveFreeze,
  FreezeOverride,
  FreezeScope,
  JourneyPause,
  PromotionControls,
  PromotionStop,
} from './journey/controls.js';
export { JOURNEY_STATUS_KINDS, describeReason, journeyStatus } from './journey/status.js';
export type { BlockedReason, JourneyStatus, JourneyStatusKind } from './journey/status.js';

// Unit of work
export type { TaskDefinition } from './unit-of-work/task.js';
export { ancestorsOf, dependentsOf, findCycles, validateDag } from './unit-of-work/dag.js';
export type { DagNode, DagProblem } from './unit-of-work/dag.js';
export type * from './unit-of-work/commands.js';
export { UNIT_OF_WORK_EVENT_TYPES, WorkPurpose } from './unit-of-work/events.js';
export type * from './unit-of-work/events.js';
export {
  TASK_STATUSES,
  UNIT_OF_WORK_STATUSES,
  evolveUnitOfWork,
  initialUnitOfWorkState,
} from './unit-of-work/state.js';
export type {
  TaskExecution,
  TaskState,
  TaskStatus,
  UnitOfWork,
  UnitOfWorkState,
  UnitOfWorkStatus,
} from './unit-of-work/state.js';
export { decideUnitOfWork } from './unit-of-work/decide.js';
export {
  blockedTasks,
  failedTasks,
  findTask,
  isTaskReady,
  nextAttemptNumber,
  nextWakeAt,
  readyTasks,
  runningAttempts,
  settledOutcome,
  unmetDependencies,
} from './unit-of-work/progress.js';
export { parseReferences, validateTemplateReferences } from './unit-of-work/input-template.js';
export { resolveInput } from './unit-of-work/input-resolve.js';
export type { TemplateContext } from './unit-of-work/input-resolve.js';

// Exit criteria
export { COMPARATORS, ON_DEADLINE, OUTCOMES } from './exit-criteria/criterion.js';
export type * from './exit-criteria/criterion.js';
export { compare, describeComparison } from './exit-criteria/comparator.js';
export { evaluateApproval } from './exit-criteria/approval.js';
export { applyResolution, latestResolution, readInconclusive } from './exit-criteria/resolution.js';
export {
  evaluateExitCriteria,
  failingResults,
  summarizeEvaluation,
} from './exit-criteria/evaluate.js';
export type { ExitCriteriaInput, OutcomeCounts } from './exit-criteria/evaluate.js';
