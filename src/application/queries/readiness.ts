import {
  addMillis,
  findWait,
  inconclusiveDeadlineAt,
  isWorkingStage,
  millisBetween,
  nextReminderAt,
  nextStage,
  waitKindOf,
  type ApprovalCriterion,
  type CriterionResult,
  type ExitCriteriaEvaluation,
  type ExitCriterion,
  type Instant,
  type Millis,
  type OnDeadline,
  type Stage,
  type StageSetup,
  type StartedJourney,
  type WorkingStage,
} from '../../domain/index.js';
import type { SignOffLink } from '../ports.js';
import {
  DEFAULT_BLOCKER_SOURCES,
  type Blocker,
  type BlockerSource,
  type ReadinessFacts,
} from './readiness-blockers.js';

/**
 * One answer to "what blocks promotion right now?" for a journey's current stage: every
 * criterion evaluated now (nothing recorded), windows with the time left, approvals with their
 * policy and who decided, the setup's state, and the blockers (readiness-blockers.ts).
 */

export interface WindowReadiness {
  readonly windowMs: Millis;
  /** Since when the condition has held; null when it does not hold now. */
  readonly holdingSince: Instant | null;
  readonly remainingMs: Millis;
  /** When it passes if it keeps holding; null while it does not hold. */
  readonly passesAt: Instant | null;
}

export interface ApprovalDecisionReadiness {
  readonly approverId: string;
  readonly role: string;
  readonly decision: 'approved' | 'rejected';
  readonly at: Instant;
  readonly comment?: string;
  /** Counts now: the approver's latest decision, in an allowed role, not expired. */
  readonly counts: boolean;
  readonly expired: boolean;
  /** When an approval stops counting; null when the policy sets no expiry. */
  readonly expiresAt: Instant | null;
}

export interface ApprovalReadiness {
  readonly policy: {
    readonly roles: readonly string[];
    readonly minApprovals: number;
    readonly requiredApprovers: readonly string[];
    readonly expiresAfterMs: Millis | null;
  };
  readonly approvedBy: readonly string[];
  readonly rejectedBy: readonly string[];
  /** How many more approvals are needed (0 when enough). */
  readonly approvalsNeeded: number;
  /** Required approvers who have not approved yet. */
  readonly missingApprovers: readonly string[];
  /** Every decision of this stage visit, oldest first. */
  readonly decisions: readonly ApprovalDecisionReadiness[];
  /**
   * The playbook's reminders (remindAfter, remindEvery) while the approval is pending; null
   * when it sets none or nothing is pending. `pendingSince` and `nextReminderAt` are null until
   * an evaluation of this visit has recorded it pending.
   */
  readonly reminder: {
    readonly remindAfterMs: Millis;
    readonly remindEveryMs: Millis | null;
    readonly pendingSince: Instant | null;
    readonly remindersSent: number;
    readonly nextReminderAt: Instant | null;
  } | null;
  /** Sign-off links issued for it, unused and unexpired. */
  readonly openSignOffLinks: readonly {
    readonly linkId: string;
    readonly approverName: string | null;
    readonly issuedBy: string;
    readonly expiresAt: Instant;
  }[];
}

/** The playbook's inconclusiveDeadline of a criterion whose reading is inconclusive now. */
export interface InconclusiveDeadlineReadiness {
  readonly deadlineMs: Millis;
  readonly onDeadline: OnDeadline;
  /** Since when it has been inconclusive; null until an evaluation of this visit recorded it. */
  readonly inconclusiveSince: Instant | null;
  /** When the deadline acts (unless a person decides first); null as `inconclusiveSince`. */
  readonly at: Instant | null;
  /** When it was escalated, if it was. */
  readonly escalatedAt: Instant | null;
}

export interface CriterionReadiness extends CriterionResult {
  readonly kind: ExitCriterion['kind'];
  readonly unit?: string;
  readonly window: WindowReadiness | null;
  readonly approval: ApprovalReadiness | null;
  /** Null unless the criterion has an inconclusiveDeadline and is inconclusive, undecided. */
  readonly inconclusiveDeadline: InconclusiveDeadlineReadiness | null;
}

export interface ReadinessView {
  readonly journeyId: string;
  readonly clientId: string;
  readonly stage: Stage;
  readonly stageEnteredAt: Instant;
  /** Where a promotion would go; null outside a working stage. */
  readonly nextStage: WorkingStage | 'completed' | null;
  readonly evaluatedAt: Instant;
  /** True when nothing blocks: a promotion now would be made. */
  readonly ready: boolean;
  readonly summary: string;
  readonly setup: (StageSetup & { readonly done: boolean }) | null;
  readonly criteria: readonly CriterionReadiness[];
  readonly blockers: readonly Blocker[];
}

export interface ReadinessInput {
  readonly journey: StartedJourney;
  /** The current stage's exit criteria (empty outside a working stage). */
  readonly criteria: readonly ExitCriterion[];
  /** Made now by the validator; null outside a working stage. */
  readonly evaluation: ExitCriteriaEvaluation | null;
  readonly signOffLinks: readonly SignOffLink[];
  readonly now: Instant;
  /** @default DEFAULT_BLOCKER_SOURCES */
  readonly sources?: readonly BlockerSource[];
}

export async function readinessOf(input: ReadinessInput): Promise<ReadinessView> {
  const { journey, criteria, evaluation, now } = input;
  const facts: ReadinessFacts = { journey, criteria, evaluation, now };
  const blockers: Blocker[] = [];
  for (const source of input.sources ?? DEFAULT_BLOCKER_SOURCES) {
    blockers.push(...(await source(facts)));
  }
  const byId = new Map(criteria.map((c) => [c.id as string, c]));
  const stage = journey.stage;
  const setup = isWorkingStage(stage) ? journey.setups[stage] : undefined;
  return {
    journeyId: journey.journeyId,
    clientId: journey.clientId,
    stage,
    stageEnteredAt: journey.stageEnteredAt,
    nextStage: isWorkingStage(stage) ? nextStage(stage) : null,
    evaluatedAt: evaluation?.evaluatedAt ?? now,
    ready: blockers.length === 0,
    summary: summaryOf(stage, blockers),
    setup: setup === undefined ? null : { ...setup, done: setup.status === 'completed' },
    criteria: (evaluation?.results ?? []).map((result) =>
      criterionReadiness(result, byId.get(result.criterionId), journey, input.signOffLinks, now),
    ),
    blockers,
  };
}

function summaryOf(stage: Stage, blockers: readonly Blocker[]): string {
  if (blockers.length === 0) {
    return isWorkingStage(stage)
      ? `Ready: nothing blocks the promotion from ${stage} to ${nextStage(stage)}.`
      : `Nothing to promote: the journey is ${stage}.`;
  }
  const first = blockers[0]?.message ?? '';
  return blockers.length === 1 ? first : `${blockers.length} blockers; first: ${first}`;
}

function criterionReadiness(
  result: CriterionResult,
  criterion: ExitCriterion | undefined,
  journey: StartedJourney,
  links: readonly SignOffLink[],
  now: Instant,
): CriterionReadiness {
  const base = {
    ...result,
    kind: criterion?.kind ?? (result.source === 'approval' ? 'approval' : 'metric'),
    ...(criterion?.kind === 'metric' && criterion.unit !== undefined
      ? { unit: criterion.unit }
      : {}),
  } as const;
  if (criterion?.kind === 'approval') {
    return {
      ...base,
      window: null,
      approval: approvalReadiness(criterion, result, journey, links, now),
      inconclusiveDeadline: null,
    };
  }
  const window =
    criterion?.kind === 'metric' && criterion.window !== undefined
      ? windowReadiness(criterion.window, result, now)
      : null;
  const policy = criterion?.kind === 'metric' ? criterion.inconclusiveDeadline : undefined;
  if (policy === undefined || result.outcome !== 'inconclusive') {
    return { ...base, window, approval: null, inconclusiveDeadline: null };
  }
  const wait = findWait(journey.waits, result.criterionId, 'inconclusive');
  return {
    ...base,
    window,
    approval: null,
    inconclusiveDeadline: {
      deadlineMs: policy.after,
      onDeadline: policy.onDeadline,
      inconclusiveSince: wait?.since ?? null,
      at: wait === undefined ? null : inconclusiveDeadlineAt(wait, policy),
      escalatedAt: wait?.escalatedAt ?? null,
    },
  };
}

function reminderReadiness(
  criterion: ApprovalCriterion,
  result: CriterionResult,
  journey: StartedJourney,
): ApprovalReadiness['reminder'] {
  const policy = criterion.reminder;
  if (policy === undefined || waitKindOf(result) !== 'approval') {
    return null;
  }
  const wait = findWait(journey.waits, criterion.id, 'approval');
  return {
    remindAfterMs: policy.after,
    remindEveryMs: policy.every ?? null,
    pendingSince: wait?.since ?? null,
    remindersSent: wait?.reminders ?? 0,
    nextReminderAt: wait === undefined ? null : nextReminderAt(wait, policy),
  };
}

function windowReadiness(windowMs: Millis, result: CriterionResult, now: Instant): WindowReadiness {
  const holdingSince = result.holdingSince ?? null;
  const remainingMs =
    result.windowRemaining ??
    (holdingSince === null ? windowMs : Math.max(0, windowMs - millisBetween(holdingSince, now)));
  return {
    windowMs,
    holdingSince,
    remainingMs,
    passesAt: holdingSince === null ? null : addMillis(now, remainingMs),
  };
}

function approvalReadiness(
  criterion: ApprovalCriterion,
  result: CriterionResult,
  journey: StartedJourney,
  links: readonly SignOffLink[],
  now: Instant,
): ApprovalReadiness {
  const { policy } = criterion;
  const approvedBy = result.approvedBy ?? [];
  const rejectedBy = result.rejectedBy ?? [];
  const decisions = journey.approvals.filter((d) => d.criterionId === criterion.id);
  const latest = new Map(decisions.map((d, index) => [d.approverId, index]));
  return {
    policy: {
      roles: policy.roles,
      minApprovals: policy.minApprovals,
      requiredApprovers: policy.requiredApprovers,
      expiresAfterMs: policy.expiresAfter ?? null,
    },
    approvedBy,
    rejectedBy,
    approvalsNeeded: Math.max(0, policy.minApprovals - approvedBy.length),
    missingApprovers: policy.requiredApprovers.filter((id) => !approvedBy.includes(id)),
    decisions: decisions.map((d, index) => {
      const expiresAt =
        policy.expiresAfter === undefined ? null : addMillis(d.at, policy.expiresAfter);
      const counted = d.decision === 'approved' ? approvedBy : rejectedBy;
      return {
        approverId: d.approverId,
        role: d.role,
        decision: d.decision,
        at: d.at,
        ...(d.comment === undefined ? {} : { comment: d.comment }),
        counts: latest.get(d.approverId) === index && counted.includes(d.approverId),
        expired: expiresAt !== null && millisBetween(expiresAt, now) > 0,
        expiresAt,
      };
    }),
    reminder: reminderReadiness(criterion, result, journey),
    openSignOffLinks: links
      .filter(
        (link) =>
          link.criterionId === criterion.id &&
          link.stage === journey.stage &&
          link.stageEnteredAt === journey.stageEnteredAt &&
          link.usedAt === null &&
          link.revocation === null &&
          millisBetween(now, link.expiresAt) > 0,
      )
      .map((link) => ({
        linkId: link.linkId,
        approverName: link.approverName,
        issuedBy: link.issuedBy,
        expiresAt: link.expiresAt,
      })),
  };
}
