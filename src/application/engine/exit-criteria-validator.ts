import {
  evaluateExitCriteria,
  type ExitCriteriaEvaluation,
  type Observation,
  type StartedJourney,
  type WorkingStage,
} from '../../domain/index.js';
import { playbookFor } from '../playbook-catalog.js';
import type { EngineContext } from './context.js';

/**
 * The specification's ExitCriteriaValidator: reads every metric criterion's source at once
 * (each bounded by the observation timeout), takes approvals from the journey, and judges them
 * with the domain's rules. Reading changes nothing; recording the result is the caller's call.
 */
export async function evaluateStage(
  ctx: EngineContext,
  journey: StartedJourney,
  stage: WorkingStage,
  signal: AbortSignal = new AbortController().signal,
): Promise<ExitCriteriaEvaluation> {
  const criteria = playbookFor(ctx.playbooks, journey.playbook).stages[stage].exitCriteria;
  const observations: Record<string, Observation> = {};
  await Promise.all(
    criteria.map(async (criterion) => {
      if (criterion.kind !== 'metric') {
        return;
      }
      observations[criterion.id] = await ctx.metrics.observe(
        {
          source: criterion.source,
          context: {
            journeyId: journey.journeyId,
            clientId: journey.clientId,
            stage,
            criterionId: criterion.id,
          },
          timeout: ctx.settings.observationTimeout,
        },
        signal,
      );
    }),
  );
  return evaluateExitCriteria({
    criteria,
    observations,
    approvals: journey.approvals,
    // People's decisions on inconclusive criteria of this visit count while those stay inconclusive.
    resolutions: journey.resolutions ?? [],
    // Windowed criteria continue their clock from the visit's previous evaluation.
    ...(journey.lastEvaluation === null ? {} : { previous: journey.lastEvaluation.results }),
    now: ctx.clock.now(),
  });
}
