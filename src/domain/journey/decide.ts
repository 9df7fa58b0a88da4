import { DomainError, domainError, type Decision } from '../errors.js';
import type {
  ApprovalCriterion,
  CriterionResult,
  ExitCriteriaEvaluation,
  ExitCriterion,
} from '../exit-criteria/criterion.js';
import type { WorkId } from '../ids.js';
import type { JourneyCommand } from './commands.js';
import { checkControls, checkSoak, type PromotionControls } from './controls.js';
import { lapseInconclusive, remindApproval } from './criterion-timers.js';
import type { JourneyEvent } from './events.js';
import { resolveInconclusive } from './inconclusive.js';
import {
  isTerminalStage,
  isWorkingStage,
  nextStage,
  previousStage,
  type WorkingStage,
} from './stage.js';
import type { JourneyState, StartedJourney } from './state.js';

type Command<T extends JourneyCommand['type']> = Extract<JourneyCommand, { type: T }>;

/**
 * The journey's rules. Returns the events a command causes, an empty list when the command was
 * already carried out (reactions run at least once, so a repeat must change nothing), or a
 * DomainError saying which rule refused it.
 */
export function decideJourney(
  command: JourneyCommand,
  state: JourneyState,
): Decision<JourneyEvent> {
  if (command.type === 'start') {
    return start(command, state);
  }
  if (state.status === 'none') {
    return domainError('JOURNEY_NOT_STARTED', 'The journey has not been started.');
  }
  if (command.type === 'flagOverdue') {
    return flagOverdue(command, state);
  }
  if (command.type === 'remindApproval') {
    return remindApproval(command, state);
  }
  if (command.type === 'lapseInconclusive') {
    return lapseInconclusive(command, state);
  }
  if (isTerminalStage(state.stage)) {
    return domainError(
      'JOURNEY_TERMINAL',
      `Journey ${state.journeyId} is ${state.stage}; a ${state.stage} journey can no longer change.`,
      { journeyId: state.journeyId, stage: state.stage },
    );
  }
  switch (command.type) {
    case 'recordSetupCompleted':
    case 'recordSetupFailed':
    case 'recordSetupRetried':
      return recordSetup(command, state);
    case 'recordEvaluation':
      return recordEvaluation(command, state);
    case 'decideApproval':
      return decideApproval(command, state);
    case 'revokeApproval':
      return revokeApproval(command, state);
    case 'resolveInconclusive':
      return resolveInconclusive(command, state);
    case 'promote':
      return promote(command, state);
    case 'complete':
      return complete(command, state);
    case 'initiateRollback':
      return initiateRollback(command, state);
    case 'takeSnapshot':
    case 'failRollback':
    case 'retryRollback':
    case 'completeRollback':
      return advanceRollback(command, state);
    case 'pause':
    case 'resume':
      return pauseOrResume(command, state);
    case 'cancel':
      return [
        {
          type: 'JourneyCancelled',
          fromStage: state.stage,
          reason: command.reason,
          cancelledBy: command.cancelledBy,
          at: command.at,
        },
      ];
  }
}

function start(command: Command<'start'>, state: JourneyState): Decision<JourneyEvent> {
  if (state.status !== 'none') {
    return domainError(
      'JOURNEY_ALREADY_STARTED',
      `Journey ${state.journeyId} has already started.`,
      {
        journeyId: state.journeyId,
      },
    );
  }
  if (command.activeJourneyId !== undefined) {
    return domainError(
      'JOURNEY_ACTIVE',
      `Client ${command.clientId} already has an active journey (${command.activeJourneyId}); a client has one active journey at a time.`,
      { clientId: command.clientId, journeyId: command.activeJourneyId },
    );
  }
  return [
    {
      type: 'JourneyStarted',
      journeyId: command.journeyId,
      clientId: command.clientId,
      playbook: command.playbook,
      stage: 'sandbox',
      setupWorkId: command.setupWorkId,
      startedBy: command.startedBy,
      at: command.at,
    },
  ];
}

/** The stage the journey is working in, or a refusal when it is rolling back. */
function workingStage(state: StartedJourney): WorkingStage | ReturnType<typeof domainError> {
  if (!isWorkingStage(state.stage)) {
    return domainError(
      'ROLLBACK_IN_PROGRESS',
      `Journey ${state.journeyId} is rolling back from ${state.rollback?.fromStage ?? 'its stage'}; wait for the rollback to finish or cancel the journey.`,
      { journeyId: state.journeyId },
    );
  }
  return state.stage;
}

function recordSetup(
  command: Command<'recordSetupCompleted' | 'recordSetupFailed' | 'recordSetupRetried'>,
  state: StartedJourney,
): Decision<JourneyEvent> {
  const stage = workingStage(state);
  if (typeof stage !== 'string') {
    return stage;
  }
  const setup = state.setups[stage];
  if (setup?.workId !== command.workId) {
    return domainError(
      'WORK_MISMATCH',
      `Unit of work ${command.workId} is not the ${stage} setup of journey ${state.journeyId} (expected ${setup?.workId ?? 'none'}).`,
      { journeyId: state.journeyId, workId: command.workId, expected: setup?.workId ?? null },
    );
  }
  const { workId, at } = command;
  switch (command.type) {
    case 'recordSetupCompleted':
      return setup.status === 'completed'
        ? []
        : [{ type: 'StageSetupCompleted', stage, workId, at }];
    case 'recordSetupFailed':
      return setup.status === 'failed'
        ? []
        : [{ type: 'StageSetupFailed', stage, workId, failedTaskIds: command.failedTaskIds, at }];
    case 'recordSetupRetried':
      return setup.status === 'running'
        ? []
        : [{ type: 'StageSetupRetried', stage, workId, retriedBy: command.retriedBy, at }];
  }
}

function recordEvaluation(
  command: Command<'recordEvaluation'>,
  state: StartedJourney,
): Decision<JourneyEvent> {
  if (state.stage !== command.stage) {
    return domainError(
      'STAGE_MISMATCH',
      `The evaluation is of ${command.stage} but journey ${state.journeyId} is in ${state.stage}.`,
      { journeyId: state.journeyId, stage: state.stage, expected: command.stage },
    );
  }
  return [
    {
      type: 'ExitCriteriaEvaluated',
      stage: command.stage,
      evaluation: command.evaluation,
      trigger: command.trigger,
      at: command.at,
    },
  ];
}

function decideApproval(
  command: Command<'decideApproval'>,
  state: StartedJourney,
): Decision<JourneyEvent> {
  const stage = workingStage(state);
  if (typeof stage !== 'string') {
    return stage;
  }
  if (command.expectedStage !== undefined && command.expectedStage !== stage) {
    return domainError(
      'STAGE_MISMATCH',
      `The approval is for ${command.expectedStage} but journey ${state.journeyId} is now in ${stage}.`,
      { journeyId: state.journeyId, stage, expected: command.expectedStage },
    );
  }
  const { criterion, criterionId } = command;
  const checked = checkApprovalCriterion(stage, criterionId, criterion, command.role);
  if (checked instanceof DomainError) {
    return checked;
  }
  return [
    {
      type: command.decision === 'approved' ? 'ApprovalGranted' : 'ApprovalRejected',
      stage,
      criterionId,
      approverId: command.approverId,
      role: command.role,
      ...(command.comment === undefined ? {} : { comment: command.comment }),
      at: command.at,
    },
  ];
}

/**
 * The approval criterion `criterionId` of `stage` when its policy lets `role` decide it, else
 * the refusal (also asked before a client's sign-off link is issued).
 */
export function checkApprovalCriterion(
  stage: WorkingStage,
  criterionId: string,
  criterion: ExitCriterion | undefined,
  role: string,
): DomainError | ApprovalCriterion {
  if (criterion === undefined) {
    return domainError(
      'UNKNOWN_CRITERION',
      `Stage ${stage} has no exit criterion "${criterionId}".`,
      {
        stage,
        criterionId,
      },
    );
  }
  if (criterion.kind !== 'approval') {
    return domainError(
      'NOT_AN_APPROVAL_CRITERION',
      `Exit criterion "${criterionId}" is measured by its ${criterion.source.type} source, not decided by approval.`,
      { stage, criterionId },
    );
  }
  if (!criterion.policy.roles.includes(role)) {
    return domainError(
      'APPROVER_NOT_ALLOWED',
      `Role "${role}" may not decide "${criterionId}"; allowed roles: ${criterion.policy.roles.join(', ')}.`,
      { criterionId, role, allowedRoles: criterion.policy.roles },
    );
  }
  return criterion;
}

function revokeApproval(
  command: Command<'revokeApproval'>,
  state: StartedJourney,
): Decision<JourneyEvent> {
  const stage = workingStage(state);
  if (typeof stage !== 'string') {
    return stage;
  }
  const { criterionId, approverId } = command;
  if (!state.approvals.some((a) => a.criterionId === criterionId && a.approverId === approverId)) {
    return domainError(
      'APPROVAL_NOT_FOUND',
      `${approverId} has no decision on "${criterionId}" in ${stage} to revoke.`,
      { criterionId, approverId, stage },
    );
  }
  return [
    {
      type: 'ApprovalRevoked',
      stage,
      criterionId,
      approverId,
      revokedBy: command.revokedBy,
      ...(command.reason === undefined ? {} : { reason: command.reason }),
      at: command.at,
    },
  ];
}

/** A promotion and a completion need the stage's setup unit of work completed. */
function checkSetup(state: StartedJourney, stage: WorkingStage) {
  const setup = state.setups[stage];
  if (setup?.status !== 'completed') {
    return domainError(
      'SETUP_NOT_COMPLETED',
      `The ${stage} setup unit of work ${setup?.workId ?? ''} is ${setup?.status ?? 'missing'}; it must complete first.`,
      {
        journeyId: state.journeyId,
        stage,
        workId: setup?.workId ?? null,
        status: setup?.status ?? null,
      },
    );
  }
  return undefined;
}

/** The rules a promotion and a completion share: a finished setup and a passed gate. */
function checkGate(state: StartedJourney, stage: WorkingStage, evaluation: ExitCriteriaEvaluation) {
  const setup = checkSetup(state, stage);
  if (setup !== undefined) {
    return setup;
  }
  const failing = evaluation.results.filter((r) => r.outcome !== 'passed');
  if (!evaluation.allPassed || failing.length > 0) {
    return domainError(
      'EXIT_CRITERIA_NOT_MET',
      `Exit criteria of ${stage} not met: ${failing.map(describeResult).join('; ')}.`,
      { journeyId: state.journeyId, stage, results: failing },
    );
  }
  return undefined;
}

function describeResult(result: CriterionResult): string {
  return `${result.criterionId} ${result.outcome} (${result.reason})`;
}

function promote(command: Command<'promote'>, state: StartedJourney): Decision<JourneyEvent> {
  const from = workingStage(state);
  if (typeof from !== 'string') {
    return from;
  }
  const expected = nextStage(from);
  if (command.to === 'completed' && expected === 'completed') {
    return complete({ ...command, type: 'complete', completedBy: command.promotedBy }, state);
  }
  if (command.to !== expected || expected === 'completed') {
    const order = ['sandbox', 'pilot', 'production', 'completed'];
    const skips = order.indexOf(command.to) > order.indexOf(expected);
    return domainError(
      skips ? 'STAGE_SKIP' : 'PROMOTION_INVALID',
      skips
        ? `Cannot promote from ${from} to ${command.to}: stages cannot be skipped; the next stage is ${expected}.`
        : `Cannot promote from ${from} to ${command.to}: a promotion goes to the next stage, ${expected}.`,
      { journeyId: state.journeyId, from, to: command.to, expected },
    );
  }
  const held = checkHeld(state, from, command.evaluation, command.controls, command.at);
  if (held instanceof DomainError) {
    return held;
  }
  return [
    {
      type: 'StagePromoted',
      fromStage: from,
      toStage: expected,
      exitCriteriaResults: command.evaluation.results,
      setupWorkId: command.setupWorkId,
      promotedBy: command.promotedBy,
      reason: command.reason ?? `${from} exit criteria passed`,
      ...held,
      at: command.at,
    },
  ];
}

/**
 * What a promotion and a completion must clear, in order: the controls (pause, fleet stop,
 * freezes), a finished setup, the soak time, then the gate. Returns the freeze override to
 * record when an admin promotes through a freeze.
 */
function checkHeld(
  state: StartedJourney,
  stage: WorkingStage,
  evaluation: ExitCriteriaEvaluation,
  controls: PromotionControls | undefined,
  at: string,
) {
  const held = checkControls(state, controls);
  if (held instanceof DomainError) {
    return held;
  }
  return (
    checkSetup(state, stage) ??
    checkSoak(state, controls?.soakTime, at) ??
    checkGate(state, stage, evaluation) ??
    held
  );
}

function complete(command: Command<'complete'>, state: StartedJourney): Decision<JourneyEvent> {
  const stage = workingStage(state);
  if (typeof stage !== 'string') {
    return stage;
  }
  if (stage !== 'production') {
    return domainError(
      'STAGE_SKIP',
      `Journey ${state.journeyId} is in ${stage}; only a journey in production can complete.`,
      { journeyId: state.journeyId, from: stage, to: 'completed', expected: nextStage(stage) },
    );
  }
  const held = checkHeld(state, stage, command.evaluation, command.controls, command.at);
  if (held instanceof DomainError) {
    return held;
  }
  return [
    {
      type: 'JourneyCompleted',
      fromStage: 'production',
      exitCriteriaResults: command.evaluation.results,
      completedBy: command.completedBy,
      ...held,
      at: command.at,
    },
  ];
}

function pauseOrResume(
  command: Command<'pause' | 'resume'>,
  state: StartedJourney,
): Decision<JourneyEvent> {
  const pause = state.pause ?? null;
  if (command.type === 'pause') {
    if (pause !== null) {
      return domainError(
        'JOURNEY_ALREADY_PAUSED',
        `Journey ${state.journeyId} is already paused, by ${pause.pausedBy} at ${pause.at} (${pause.reason}).`,
        { journeyId: state.journeyId, ...pause },
      );
    }
    return [
      {
        type: 'JourneyPaused',
        stage: state.stage,
        reason: command.reason,
        pausedBy: command.pausedBy,
        at: command.at,
      },
    ];
  }
  if (pause === null) {
    return domainError('JOURNEY_NOT_PAUSED', `Journey ${state.journeyId} is not paused.`, {
      journeyId: state.journeyId,
    });
  }
  return [
    {
      type: 'JourneyResumed',
      stage: state.stage,
      ...(command.reason === undefined ? {} : { reason: command.reason }),
      resumedBy: command.resumedBy,
      pausedAt: pause.at,
      at: command.at,
    },
  ];
}

function initiateRollback(
  command: Command<'initiateRollback'>,
  state: StartedJourney,
): Decision<JourneyEvent> {
  const from = workingStage(state);
  if (typeof from !== 'string') {
    return from;
  }
  const target = previousStage(from);
  if (target === undefined) {
    return domainError(
      'ROLLBACK_NOT_ALLOWED',
      `Journey ${state.journeyId} is in ${from}, the first stage: there is no earlier stage to roll back to.`,
      { journeyId: state.journeyId, stage: from },
    );
  }
  if (command.to !== undefined && command.to !== target) {
    return domainError(
      'ROLLBACK_TARGET_INVALID',
      `A rollback from ${from} can only return to ${target}, not ${command.to}.`,
      { journeyId: state.journeyId, from, to: command.to, expected: target },
    );
  }
  return [
    {
      type: 'RollbackInitiated',
      fromStage: from,
      toStage: target,
      reason: command.reason,
      initiatedBy: command.initiatedBy,
      rollbackWorkId: command.rollbackWorkId,
      at: command.at,
    },
  ];
}

function advanceRollback(
  command: Command<'takeSnapshot' | 'failRollback' | 'retryRollback' | 'completeRollback'>,
  state: StartedJourney,
): Decision<JourneyEvent> {
  const rollback = state.rollback;
  if (state.stage !== 'rollback' || rollback === null) {
    const done =
      command.type === 'completeRollback' &&
      state.stageHistory.some(
        (t) => t.kind === 'rollback_completed' && t.workId === command.workId,
      );
    return done
      ? []
      : domainError(
          'NOT_IN_ROLLBACK',
          `Journey ${state.journeyId} is in ${state.stage}, not rolling back.`,
          {
            journeyId: state.journeyId,
            stage: state.stage,
          },
        );
  }
  if ('workId' in command && command.workId !== rollback.workId) {
    return domainError(
      'WORK_MISMATCH',
      `Unit of work ${command.workId} is not the rollback of journey ${state.journeyId} (expected ${rollback.workId}).`,
      { journeyId: state.journeyId, workId: command.workId, expected: rollback.workId },
    );
  }
  const { at } = command;
  const workId = rollback.workId;
  switch (command.type) {
    case 'takeSnapshot':
      return rollback.snapshotId !== null
        ? []
        : [
            {
              type: 'SnapshotTaken',
              snapshotId: command.snapshotId,
              stage: rollback.fromStage,
              setupWorkId: state.setups[rollback.fromStage]?.workId ?? null,
              outputs: command.outputs,
              at,
            },
          ];
    case 'failRollback':
      return rollback.status === 'failed'
        ? []
        : [{ type: 'RollbackFailed', workId, error: command.error, at }];
    case 'retryRollback':
      if (rollback.status !== 'failed') {
        return domainError(
          'ROLLBACK_NOT_FAILED',
          `The rollback of journey ${state.journeyId} has not failed.`,
          {
            journeyId: state.journeyId,
            workId,
          },
        );
      }
      return [{ type: 'RollbackRetried', workId, retriedBy: command.retriedBy, at }];
    case 'completeRollback':
      return [
        {
          type: 'RollbackCompleted',
          fromStage: rollback.fromStage,
          toStage: rollback.toStage,
          workId,
          at,
        },
      ];
  }
}

/**
 * A deadline timer fired. Only a visit still at work is overdue: the timer of an earlier visit,
 * a finished or failed setup (its failure has its own events), a failed rollback, an ended
 * journey, or a visit already flagged change nothing.
 */
function flagOverdue(command: Command<'flagOverdue'>, state: StartedJourney): JourneyEvent[] {
  if (
    state.stage !== command.stage ||
    state.stageEnteredAt !== command.enteredAt ||
    (state.overdueSince ?? null) !== null
  ) {
    return [];
  }
  const workId = unfinishedWork(state);
  if (workId === undefined) {
    return [];
  }
  return [
    {
      type: 'StageTransitionOverdue',
      stage: state.stage,
      enteredAt: state.stageEnteredAt,
      deadline: command.deadline,
      workId,
      at: command.at,
    },
  ];
}

function unfinishedWork(state: StartedJourney): WorkId | undefined {
  if (state.stage === 'rollback') {
    return state.rollback?.status === 'running' ? state.rollback.workId : undefined;
  }
  if (!isWorkingStage(state.stage)) {
    return undefined;
  }
  const setup = state.setups[state.stage];
  return setup?.status === 'running' ? setup.workId : undefined;
}
