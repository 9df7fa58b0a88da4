import {
  addMillis,
  checkControls,
  checkSoak,
  formatDuration,
  isDomainError,
  isWorkingStage,
  type CriterionResult,
  type DomainError,
  type ExitCriteriaEvaluation,
  type ExitCriterion,
  type Instant,
  type PromotionControls,
  type StartedJourney,
} from '../../domain/index.js';

/**
 * What blocks a promotion right now, as a list of small facts with a stable code each. The
 * readiness query asks every source in turn; a feature that can hold a promotion back (a paused
 * journey, stop-the-line, a freeze, soak time) adds a source rather than editing the query.
 */

export const BLOCKER_CODES = [
  'ROLLING_BACK',
  'ROLLBACK_FAILED',
  'JOURNEY_ENDED',
  'SETUP_RUNNING',
  'SETUP_FAILED',
  'CRITERION_FAILED',
  'CRITERION_INCONCLUSIVE',
  'WINDOW_OPEN',
  'APPROVAL_PENDING',
  'APPROVAL_REJECTED',
  // The controls' sources report these, with the codes of their refusals (domain/journey/controls.ts).
  'JOURNEY_PAUSED',
  'PROMOTIONS_PAUSED',
  'FREEZE_IN_FORCE',
  'SOAK_TIME_NOT_ELAPSED',
] as const;
export type BlockerCode = (typeof BLOCKER_CODES)[number];

/** One thing that holds the promotion back, in a sentence a person reads. */
export interface Blocker {
  readonly code: BlockerCode;
  readonly message: string;
  /** The exit criterion it is about, when it is about one. */
  readonly criterionId?: string;
  /** When it lifts by itself (a window closing, soak time ending), when it will. */
  readonly until?: Instant;
}

/** What every source judges: the journey, its current stage's criteria, an evaluation made now. */
export interface ReadinessFacts {
  readonly journey: StartedJourney;
  /** The current stage's exit criteria; empty outside a working stage. */
  readonly criteria: readonly ExitCriterion[];
  /** The criteria evaluated now; null outside a working stage. */
  readonly evaluation: ExitCriteriaEvaluation | null;
  readonly now: Instant;
}

export type BlockerSource = (
  facts: ReadinessFacts,
) => readonly Blocker[] | Promise<readonly Blocker[]>;

/** A journey rolling back or ended has nothing to promote. */
export const stageBlockers: BlockerSource = ({ journey }) => {
  if (journey.stage === 'rollback') {
    const rollback = journey.rollback;
    return rollback?.status === 'failed'
      ? [
          {
            code: 'ROLLBACK_FAILED',
            message: `The rollback from ${rollback.fromStage} to ${rollback.toStage} failed (${rollback.error ?? 'no error given'}): retry it or cancel the journey.`,
          },
        ]
      : [
          {
            code: 'ROLLING_BACK',
            message: `The journey is rolling back${rollback === null ? '' : ` from ${rollback.fromStage} to ${rollback.toStage}`}; nothing is promoted until it is back.`,
          },
        ];
  }
  if (!isWorkingStage(journey.stage)) {
    return [{ code: 'JOURNEY_ENDED', message: `The journey is ${journey.stage}.` }];
  }
  return [];
};

/** The stage's setup unit of work must have completed. */
export const setupBlockers: BlockerSource = ({ journey }) => {
  if (!isWorkingStage(journey.stage)) {
    return [];
  }
  const setup = journey.setups[journey.stage];
  if (setup === undefined || setup.status === 'running') {
    return [
      {
        code: 'SETUP_RUNNING',
        message: `The ${journey.stage} setup is still running.`,
      },
    ];
  }
  if (setup.status === 'failed') {
    const tasks = setup.failedTaskIds.length === 0 ? '' : ` (${setup.failedTaskIds.join(', ')})`;
    return [
      {
        code: 'SETUP_FAILED',
        message: `The ${journey.stage} setup failed${tasks}: retry its failed tasks or roll back.`,
      },
    ];
  }
  return [];
};

/** Every criterion that did not pass, saying what it waits for. */
export const criteriaBlockers: BlockerSource = ({ criteria, evaluation, now }) => {
  if (evaluation === null) {
    return [];
  }
  const byId = new Map(criteria.map((c) => [c.id as string, c]));
  return evaluation.results
    .filter((result) => result.outcome !== 'passed')
    .map((result) => criterionBlocker(result, byId.get(result.criterionId), now));
};

function criterionBlocker(
  result: CriterionResult,
  criterion: ExitCriterion | undefined,
  now: Instant,
): Blocker {
  const about = { criterionId: result.criterionId };
  const name = result.description;
  if (result.source === 'approval') {
    return (result.rejectedBy?.length ?? 0) > 0
      ? { ...about, code: 'APPROVAL_REJECTED', message: `${name}: ${result.reason}.` }
      : {
          ...about,
          code: 'APPROVAL_PENDING',
          message: `${name}: ${result.reason}${whoMayApprove(criterion)}.`,
        };
  }
  if (result.outcome === 'inconclusive') {
    return { ...about, code: 'CRITERION_INCONCLUSIVE', message: `${name}: ${result.reason}.` };
  }
  if (
    result.holdingSince != null &&
    result.windowRemaining !== undefined &&
    result.windowRemaining > 0
  ) {
    return {
      ...about,
      code: 'WINDOW_OPEN',
      message: `${name}: holds, but must hold ${formatDuration(result.windowRemaining)} more.`,
      until: addMillis(now, result.windowRemaining),
    };
  }
  return { ...about, code: 'CRITERION_FAILED', message: `${name}: ${result.reason}.` };
}

function whoMayApprove(criterion: ExitCriterion | undefined): string {
  if (criterion?.kind !== 'approval') {
    return '';
  }
  const { roles, requiredApprovers } = criterion.policy;
  const required =
    requiredApprovers.length === 0 ? '' : `, including ${requiredApprovers.join(', ')}`;
  return `; roles that may approve: ${roles.join(', ')}${required}`;
}

/**
 * The controls of docs/controls.md, judged by the domain's own rules (the same ones a
 * promotion meets): a paused journey, the fleet stop, freezes in force, the soak time.
 */
export function controlBlockers(
  controlsOf: (journey: StartedJourney, at: Instant) => Promise<PromotionControls> | null,
): BlockerSource {
  return async ({ journey, now }) => {
    const controls = await controlsOf(journey, now);
    if (controls === null) {
      return [];
    }
    const refusals = [checkControls(journey, controls), checkSoak(journey, controls.soakTime, now)];
    return refusals.flatMap((refusal) =>
      refusal !== undefined && isDomainError(refusal) ? blockersOf(refusal) : [],
    );
  };
}

const CONTROL_CODES: readonly BlockerCode[] = [
  'JOURNEY_PAUSED',
  'PROMOTIONS_PAUSED',
  'FREEZE_IN_FORCE',
  'SOAK_TIME_NOT_ELAPSED',
];

function blockersOf(refusal: DomainError): Blocker[] {
  const code = CONTROL_CODES.find((known) => known === refusal.code);
  if (code === undefined) {
    return [];
  }
  const { until, endsAt } = refusal.details;
  const lifts = typeof until === 'string' ? until : typeof endsAt === 'string' ? endsAt : undefined;
  return [{ code, message: refusal.message, ...(lifts === undefined ? {} : { until: lifts }) }];
}

/** The sources every readiness answer asks, in this order. */
export const DEFAULT_BLOCKER_SOURCES: readonly BlockerSource[] = [
  stageBlockers,
  setupBlockers,
  criteriaBlockers,
];
