import type { SuccessMetrics, SuccessMetricsSeries } from '../api/types.js';
import { counted, formatDuration, formatPercent } from '../model/format.js';
import { Sparkline } from './sparkline.js';

/**
 * The specification's success metrics, each with a small chart of how it stood over time
 * (GET /v1/reports/success-metrics/series: cumulative values at each bucket's end).
 */
export function MetricsPanel({
  report,
  series,
}: {
  report: SuccessMetrics;
  series: SuccessMetricsSeries;
}) {
  const cumulative = series.buckets.map((bucket) => bucket.cumulative);
  const span = `over ${formatDuration(Date.parse(series.to) - Date.parse(series.from))}`;
  const ttp = report.timeToProduction;
  return (
    <section class="metrics" aria-labelledby="metrics-heading">
      <h2 id="metrics-heading">Success metrics</h2>
      <div class="metric-tiles">
        <Metric
          name="Time to production (median)"
          value={ttp.medianMs === null ? '–' : formatDuration(ttp.medianMs)}
          detail={
            ttp.count === 0
              ? 'no journey reached production yet'
              : `${counted(ttp.count, 'journey')}; p90 ${formatDuration(ttp.p90Ms ?? 0)}`
          }
          values={cumulative.map((c) => c.timeToProductionMedianMs)}
          chart={`Median time to production ${span}`}
        />
        <Metric
          name="Rollback rate"
          value={formatPercent(report.rollbacks.rate)}
          detail={`${counted(report.rollbacks.count, 'rollback')} of ${counted(report.rollbacks.promotions, 'promotion')} (target < 5 %)`}
          values={cumulative.map((c) => c.rollbackRate)}
          max={1}
          chart={`Rollback rate ${span}`}
        />
        <Metric
          name="Exit-criteria pass rate"
          value={formatPercent(report.exitCriteria.passRate)}
          detail={`${report.exitCriteria.passed} of ${counted(report.exitCriteria.evaluations, 'evaluation')} passed`}
          values={cumulative.map((c) => c.passRate)}
          max={1}
          chart={`Exit-criteria pass rate ${span}`}
        />
        <Metric
          name="Journeys"
          value={`${report.journeys.active} active`}
          detail={`${report.journeys.total} in all`}
          values={series.buckets.map((b) => b.journeysStarted)}
          chart={`Journeys started per ${formatDuration(series.bucketMs)} ${span}`}
        />
      </div>
    </section>
  );
}

function Metric(props: {
  name: string;
  value: string;
  detail: string;
  values: readonly (number | null)[];
  max?: number;
  chart: string;
}) {
  return (
    <figure class="metric">
      <figcaption>{props.name}</figcaption>
      <p class="metric-value">{props.value}</p>
      <Sparkline
        values={props.values}
        label={props.chart}
        {...(props.max === undefined ? {} : { max: props.max })}
      />
      <p class="metric-detail">{props.detail}</p>
    </figure>
  );
}
