import type {
  ApprovalReminderPolicy,
  CriterionResult,
  ExitCriteriaEvaluation,
  InconclusiveDeadlinePolicy,
} from '../exit-criteria/criterion.js';
import { readInconclusive } from '../exit-criteria/resolution.js';
import type { CriterionId } from '../ids.js';
import { addMillis, type Instant } from '../time.js';

/**
 * What a criterion of the current stage visit has been waiting on, and since when: the clock
 * that approval reminders and inconclusive deadlines run on (docs/controls.md).
 *
 * A wait starts at the first evaluation of the visit that finds the criterion in that state and
 * lasts through every later evaluation that still does; an evaluation that does not (an approval
 * passed or rejected, a definite reading) ends it, and a later one starts a new wait.
 */
export interface CriterionWait {
  readonly criterionId: CriterionId;
  /**
   * `approval`: an approval criterion waiting for approvals (not passed, and no counting
   * rejection: a rejection is a decision, not a wait). `inconclusive`: a metric criterion whose
   * reading is inconclusive, decided by a person or not.
   */
  readonly kind: 'approval' | 'inconclusive';
  readonly since: Instant;
  /** Approval waits: the reminders recorded (ApprovalReminderDue), and when the latest was. */
  readonly reminders?: number;
  readonly lastReminderAt?: Instant;
  /** Inconclusive waits: when its deadline escalated (InconclusiveEscalated). */
  readonly escalatedAt?: Instant;
}

/** The kind of wait a result shows, if any. */
export function waitKindOf(result: CriterionResult): CriterionWait['kind'] | undefined {
  if (result.source === 'approval') {
    return result.outcome !== 'passed' && (result.rejectedBy?.length ?? 0) === 0
      ? 'approval'
      : undefined;
  }
  return readInconclusive(result) ? 'inconclusive' : undefined;
}

/** The waits after an evaluation recorded at `at`: kept where they go on, started where new. */
export function waitsAfter(
  previous: readonly CriterionWait[],
  evaluation: ExitCriteriaEvaluation,
  at: Instant,
): readonly CriterionWait[] {
  return evaluation.results.flatMap((result): CriterionWait[] => {
    const kind = waitKindOf(result);
    if (kind === undefined) {
      return [];
    }
    const ongoing = previous.find((w) => w.criterionId === result.criterionId && w.kind === kind);
    return [ongoing ?? { criterionId: result.criterionId, kind, since: at }];
  });
}

/** The wait of that kind for that criterion in the current visit, if any. */
export function findWait(
  waits: readonly CriterionWait[] | undefined,
  criterionId: string,
  kind: CriterionWait['kind'],
): CriterionWait | undefined {
  return waits?.find((w) => w.criterionId === criterionId && w.kind === kind);
}

/**
 * When the next reminder of an approval wait is due: `remindAfter` after it began, then
 * `remindEvery` after the previous reminder; null when no further reminder comes.
 */
export function nextReminderAt(
  wait: CriterionWait,
  policy: ApprovalReminderPolicy,
): Instant | null {
  if (wait.lastReminderAt === undefined) {
    return addMillis(wait.since, policy.after);
  }
  return policy.every === undefined ? null : addMillis(wait.lastReminderAt, policy.every);
}

/** When an inconclusive wait's deadline is. */
export function inconclusiveDeadlineAt(
  wait: CriterionWait,
  policy: InconclusiveDeadlinePolicy,
): Instant {
  return addMillis(wait.since, policy.after);
}
