import { domainError, type Decision } from '../errors.js';
import { readInconclusive } from '../exit-criteria/resolution.js';
import type { JourneyCommand } from './commands.js';
import type { JourneyEvent } from './events.js';
import { isWorkingStage } from './stage.js';
import type { StartedJourney } from './state.js';

type ResolveInconclusive = Extract<JourneyCommand, { type: 'resolveInconclusive' }>;

/**
 * A person accepts or rejects a criterion that is inconclusive now. Allowed only while the
 * journey waits on its gate (a working stage whose setup completed and whose gate was
 * evaluated in this visit) and the latest result of that criterion was inconclusive: a
 * decision about a reading nobody has seen would be a bypass, not a judgement. Deciding again
 * replaces the earlier decision.
 */
export function resolveInconclusive(
  command: ResolveInconclusive,
  state: StartedJourney,
): Decision<JourneyEvent> {
  const { criterionId, criterion } = command;
  const stage = state.stage;
  if (!isWorkingStage(stage)) {
    return domainError(
      'GATE_NOT_WAITING',
      `Journey ${state.journeyId} is ${stage}: it is not waiting on a gate.`,
      { journeyId: state.journeyId, stage },
    );
  }
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
  const setup = state.setups[stage];
  const evaluation = state.lastEvaluation;
  if (setup?.status !== 'completed' || evaluation === null) {
    return domainError(
      'GATE_NOT_WAITING',
      setup?.status !== 'completed'
        ? `Journey ${state.journeyId} is not waiting on the ${stage} gate: its setup is ${setup?.status ?? 'missing'}.`
        : `Journey ${state.journeyId} is not waiting on the ${stage} gate: it has not been evaluated in this stage visit yet.`,
      { journeyId: state.journeyId, stage, setup: setup?.status ?? null },
    );
  }
  const result = evaluation.results.find((r) => r.criterionId === criterionId);
  if (result === undefined || !readInconclusive(result)) {
    return domainError(
      'CRITERION_NOT_INCONCLUSIVE',
      result === undefined
        ? `"${criterionId}" has no result in the latest ${stage} evaluation; there is nothing to decide.`
        : `"${criterionId}" is ${result.outcome} now (${result.reason}); only an inconclusive criterion is decided by a person.`,
      {
        journeyId: state.journeyId,
        stage,
        criterionId,
        outcome: result?.outcome ?? null,
      },
    );
  }
  return [
    {
      type: 'InconclusiveResolved',
      stage,
      criterionId,
      decision: command.decision,
      reason: command.reason,
      decidedBy: command.decidedBy,
      inconclusiveReason: result.reason,
      at: command.at,
    },
  ];
}
