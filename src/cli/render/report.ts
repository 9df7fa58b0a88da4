import type { SuccessMetricsView } from '../client/views.js';
import { formatMillis, formatRate } from './format.js';
import type { Style } from './style.js';
import { fields, table } from './table.js';

/** `report`: the success metrics of docs/api.md, as people read them. */
export function renderSuccessMetrics(metrics: SuccessMetricsView, style: Style): string {
  const { journeys, timeToProduction, timeToCompletion, rollbacks, exitCriteria } = metrics;
  const durations = (d: SuccessMetricsView['timeToProduction']): string =>
    d.count === 0
      ? '- (no journey got there yet)'
      : `median ${formatMillis(d.medianMs ?? 0)}, p90 ${formatMillis(d.p90Ms ?? 0)} (${d.count} ${d.count === 1 ? 'journey' : 'journeys'})`;
  const stages = Object.entries(journeys.byStage)
    .map(([stage, count]) => `${stage} ${count}`)
    .join(', ');
  const summary = fields([
    ['journeys', `${journeys.total} (${journeys.active} active): ${stages}`],
    ['time to production', durations(timeToProduction)],
    ['time to completion', durations(timeToCompletion)],
    [
      'rollback rate',
      `${formatRate(rollbacks.rate)} (${rollbacks.count} rollbacks of ${rollbacks.promotions} promotions; ${rollbacks.journeysRolledBack} of ${journeys.total} journeys rolled back, ${formatRate(rollbacks.journeyRate)})`,
    ],
    [
      'exit-criteria pass rate',
      `${formatRate(exitCriteria.passRate)} (${exitCriteria.passed} of ${exitCriteria.evaluations} evaluations passed)`,
    ],
  ]);
  const byCriterion =
    exitCriteria.byCriterion.length === 0
      ? ''
      : `\n${style.bold('By criterion')}\n${table(
          ['CRITERION', 'SOURCE', 'PASSED', 'FAILED', 'INCONCLUSIVE'],
          exitCriteria.byCriterion.map((c) => [
            c.criterionId,
            c.source,
            String(c.passed),
            String(c.failed),
            String(c.inconclusive),
          ]),
        )}`;
  return `${style.bold(`Success metrics at ${metrics.generatedAt}`)}\n${summary}${byCriterion}`;
}
