import { useState } from 'preact/hooks';
import { getSuccessMetrics, getSuccessMetricsSeries, listJourneys } from '../api/endpoints.js';
import { useSession } from '../app/session.js';
import { useLive } from '../app/use-live.js';
import { useNow } from '../app/use-now.js';
import { useReloading } from '../app/use-reloading.js';
import { needsAttention } from '../components/journey-card.js';
import { MetricsPanel } from '../components/metrics-panel.js';
import { ProblemView } from '../components/problem-view.js';
import { StageBoard } from '../components/stage-board.js';

/** The API's largest page: the overview shows the newest 500 journeys. */
const PAGE = 500;
const SERIES_POINTS = 24;

type Show = 'all' | 'attention' | 'active';

/** Every journey by stage, filterable by client, and the success metrics; live. */
export function Overview() {
  const { api } = useSession();
  const now = useNow(5_000);
  const journeys = useReloading(() => listJourneys(api, PAGE), 1_000);
  const metrics = useReloading(async () => {
    const [report, series] = await Promise.all([
      getSuccessMetrics(api),
      getSuccessMetricsSeries(api, SERIES_POINTS),
    ]);
    return { report, series };
  }, 5_000);
  const reload = () => {
    journeys.reload();
    metrics.reload();
  };
  useLive(null, { onSync: reload, onEvent: reload });
  const [search, setSearch] = useState('');
  const [show, setShow] = useState<Show>('all');

  const needle = search.trim().toLowerCase();
  const shown = (journeys.data?.items ?? []).filter(
    (journey) =>
      journey.clientId.toLowerCase().includes(needle) &&
      (show === 'all' || (show === 'active' ? journey.active : needsAttention(journey))),
  );
  return (
    <>
      <h1>Journeys</h1>
      {metrics.error === null ? null : <ProblemView problem={metrics.error} />}
      {metrics.data === null ? null : (
        <MetricsPanel report={metrics.data.report} series={metrics.data.series} />
      )}
      <section aria-labelledby="by-stage-heading">
        <h2 id="by-stage-heading">By stage</h2>
        <form class="filters" role="search" onSubmit={(event) => event.preventDefault()}>
          <label>
            Client
            <input
              type="search"
              value={search}
              placeholder="Filter by client id"
              onInput={(event) => setSearch(event.currentTarget.value)}
            />
          </label>
          <label>
            Show
            <select value={show} onChange={(event) => setShow(event.currentTarget.value as Show)}>
              <option value="all">All journeys</option>
              <option value="attention">Blocked or overdue</option>
              <option value="active">Active only</option>
            </select>
          </label>
        </form>
        {journeys.error === null ? null : <ProblemView problem={journeys.error} />}
        {journeys.data === null ? (
          <p class="loading">Loading journeys…</p>
        ) : (
          <>
            <p class="summary" aria-live="polite">
              {shown.length} of {journeys.data.items.length} journeys shown
              {journeys.data.nextCursor === null ? '' : ` (the newest ${PAGE})`}.
            </p>
            <StageBoard journeys={shown} now={now} />
          </>
        )}
      </section>
    </>
  );
}
