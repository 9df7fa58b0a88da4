/**
 * Expected refusals are values: `decide()` returns a `DomainError` instead of throwing. Each code
 * is stable (clients match on it) and listed once in `ERROR_CATALOG` with its meaning and the HTTP
 * status it maps to, so the API and the CLI never hard-code one.
 */
export const ERROR_CATALOG = {
  // Journey lifecycle
  JOURNEY_ACTIVE: { status: 409, title: 'The client already has an active journey' },
  JOURNEY_ALREADY_STARTED: { status: 409, title: 'The journey has already started' },
  JOURNEY_NOT_STARTED: { status: 404, title: 'The journey does not exist' },
  JOURNEY_TERMINAL: { status: 409, title: 'The journey has ended and can no longer change' },
  STAGE_SKIP: { status: 409, title: 'Stages must be passed in order; none can be skipped' },
  STAGE_MISMATCH: {
    status: 409,
    title: 'The command was meant for another stage than the current one',
  },
  PROMOTION_INVALID: { status: 409, title: 'A promotion can only go to the next stage' },
  ROLLBACK_IN_PROGRESS: {
    status: 409,
    title: 'The journey is rolling back; wait for it or cancel the journey',
  },
  SETUP_NOT_COMPLETED: {
    status: 409,
    title: "The current stage's setup unit of work has not completed",
  },
  EXIT_CRITERIA_NOT_MET: {
    status: 422,
    title: 'Not every exit criterion of the current stage passed',
  },
  ROLLBACK_NOT_ALLOWED: { status: 409, title: 'A rollback is not allowed from the current stage' },
  ROLLBACK_TARGET_INVALID: {
    status: 409,
    title: 'A rollback can only return to the immediately previous stage',
  },
  NOT_IN_ROLLBACK: { status: 409, title: 'The journey is not rolling back' },
  ROLLBACK_NOT_FAILED: {
    status: 409,
    title: 'The rollback has not failed, so there is nothing to retry',
  },
  WORK_MISMATCH: {
    status: 409,
    title: 'The unit of work is not the one the journey is waiting for',
  },
  APPROVER_NOT_ALLOWED: { status: 403, title: "The approver's role may not decide this criterion" },
  APPROVAL_NOT_FOUND: { status: 404, title: 'There is no such approval decision to revoke' },
  NOT_AN_APPROVAL_CRITERION: { status: 422, title: 'The criterion is not decided by approval' },
  UNKNOWN_CRITERION: { status: 404, title: 'The current stage has no such exit criterion' },
  // Inconclusive gates decided by people (docs/controls.md)
  CRITERION_NOT_INCONCLUSIVE: {
    status: 409,
    title: 'The exit criterion is not inconclusive now, so there is nothing to decide',
  },
  GATE_NOT_WAITING: {
    status: 409,
    title: "The journey is not waiting on its current stage's gate",
  },
  // Controls: pause, stop the line, freezes, soak time (docs/controls.md)
  JOURNEY_PAUSED: { status: 409, title: 'The journey is paused; resume it first' },
  JOURNEY_ALREADY_PAUSED: { status: 409, title: 'The journey is already paused' },
  JOURNEY_NOT_PAUSED: { status: 409, title: 'The journey is not paused' },
  PROMOTIONS_PAUSED: { status: 409, title: 'Promotions are stopped fleet-wide' },
  PROMOTIONS_ALREADY_PAUSED: { status: 409, title: 'Promotions are already stopped fleet-wide' },
  PROMOTIONS_NOT_PAUSED: { status: 409, title: 'Promotions are not stopped' },
  FREEZE_IN_FORCE: { status: 409, title: 'A freeze window is in force: no promotion starts' },
  FREEZE_OVERRIDE_NOT_ALLOWED: { status: 403, title: 'Only an admin may override a freeze' },
  FREEZE_EXISTS: { status: 409, title: 'A global freeze with this id already exists' },
  FREEZE_NOT_FOUND: { status: 404, title: 'There is no global freeze with this id' },
  FREEZE_INVALID: { status: 422, title: 'The freeze window is not valid' },
  SOAK_TIME_NOT_ELAPSED: {
    status: 409,
    title: "The stage's minimum soak time has not elapsed yet",
  },
  // Unit of work and its DAG
  UNIT_ALREADY_CREATED: { status: 409, title: 'The unit of work already exists' },
  UNIT_NOT_FOUND: { status: 404, title: 'The unit of work does not exist' },
  UNIT_NOT_PENDING: { status: 409, title: 'The unit of work has already started' },
  UNIT_NOT_RUNNING: { status: 409, title: 'The unit of work is not running' },
  UNIT_NOT_FAILED: {
    status: 409,
    title: 'The unit of work has not failed, so there is nothing to retry',
  },
  UNIT_TERMINAL: { status: 409, title: 'The unit of work has ended and can no longer change' },
  DAG_DUPLICATE_TASK: { status: 422, title: 'Two tasks share one id' },
  DAG_UNKNOWN_DEPENDENCY: { status: 422, title: 'A task depends on a task that does not exist' },
  DAG_CYCLE: { status: 422, title: 'Task dependencies form a cycle' },
  TASK_NOT_FOUND: { status: 404, title: 'The unit of work has no such task' },
  TASK_NOT_READY: { status: 409, title: 'The task cannot start yet' },
  TASK_NOT_RUNNING: { status: 409, title: 'The task is not running' },
  STALE_ATTEMPT: { status: 409, title: 'The report is for an attempt that is no longer current' },
} as const satisfies Record<string, { status: number; title: string }>;

export type DomainErrorCode = keyof typeof ERROR_CATALOG;

export type DomainErrorDetails = Readonly<Record<string, unknown>>;

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: DomainErrorDetails = {},
  ) {
    super(message);
  }

  /** The HTTP status this refusal maps to (from the catalog). */
  get status(): number {
    return ERROR_CATALOG[this.code].status;
  }

  toJSON(): { code: DomainErrorCode; message: string; details: DomainErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function domainError(
  code: DomainErrorCode,
  message: string,
  details: DomainErrorDetails = {},
): DomainError {
  return new DomainError(code, message, details);
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}

/** What a decider returns: the events to append (possibly none), or a refusal. */
export type Decision<E> = readonly E[] | DomainError;
