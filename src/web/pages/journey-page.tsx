import { useEffect } from 'preact/hooks';
import { getReadiness, listSignOffLinks } from '../api/control-endpoints.js';
import { getJourney, getJourneyEvents } from '../api/endpoints.js';
import { controlsKey, useControls } from '../app/controls-context.js';
import { OVERVIEW_HREF } from '../app/route.js';
import { useSession } from '../app/session.js';
import { useLive } from '../app/use-live.js';
import { useNow } from '../app/use-now.js';
import { useReloading } from '../app/use-reloading.js';
import { ExitCriteriaPanel } from '../components/exit-criteria-panel.js';
import { JourneyActions } from '../components/journey-actions.js';
import { LabelBadge } from '../components/label-badge.js';
import { PausedBanner } from '../components/paused-banner.js';
import { ProblemView } from '../components/problem-view.js';
import { ReadinessPanel } from '../components/readiness-panel.js';
import { SignOffLinksPanel } from '../components/sign-off-links-panel.js';
import { TimelineList } from '../components/timeline-list.js';
import { UnitOfWorkView } from '../components/unit-of-work-view.js';
import { formatDuration, formatTime, humanize, since } from '../model/format.js';
import { labelFor, STATUS_LABELS } from '../model/labels.js';
import { roleAllows } from '../model/roles.js';
import { timelineOf } from '../model/timeline.js';

const LINKS_POLL_MS = 5_000;

/**
 * One client's journey (its active one, else its latest): status, actions, the current unit of
 * work as a live graph, the exit criteria and the timeline. Every event of the client reloads it.
 */
export function JourneyPage({ clientId }: { clientId: string }) {
  const { api, caller } = useSession();
  const now = useNow(1_000);
  const journey = useReloading(() => getJourney(api, clientId), 200);
  const events = useReloading(() => getJourneyEvents(api, clientId), 1_000);
  // Readiness evaluates every criterion now (the sources are asked): at most every 2 s.
  const readiness = useReloading(() => getReadiness(api, clientId), 2_000);
  const links = useReloading(() => listSignOffLinks(api, clientId), 1_000);
  const reload = () => {
    journey.reload();
    events.reload();
    readiness.reload();
    links.reload();
  };
  useLive(clientId, { onSync: reload, onEvent: reload });
  // A stop or a freeze is not a journey event: its change reloads the readiness instead.
  const fleet = controlsKey(useControls().controls);
  const reloadReadiness = readiness.reload;
  useEffect(() => {
    reloadReadiness();
  }, [fleet, reloadReadiness]);
  // Issuing or revoking a link in another tab is no event: the list is read again every 5 s.
  const reloadLinks = links.reload;
  useEffect(() => {
    const timer = setInterval(reloadLinks, LINKS_POLL_MS);
    return () => clearInterval(timer);
  }, [reloadLinks]);

  const data = journey.data;
  if (data === null) {
    return (
      <>
        <Breadcrumb />
        <h1>{clientId}</h1>
        {journey.error === null ? (
          <p class="loading">Loading the journey…</p>
        ) : (
          <ProblemView problem={journey.error} />
        )}
      </>
    );
  }
  const detail = data.statusDetail;
  return (
    <>
      <Breadcrumb />
      <h1>{data.clientId}</h1>
      {journey.error === null ? null : <ProblemView problem={journey.error} />}
      {data.paused === null ? null : <PausedBanner paused={data.paused} />}
      <dl class="facts journey-facts" data-stage={data.currentStage} data-status={data.status}>
        <dt>Stage</dt>
        <dd class="journey-stage">{humanize(data.currentStage)}</dd>
        <dt>Status</dt>
        <dd class="journey-status">
          <LabelBadge label={labelFor(STATUS_LABELS, data.status)} />
          {data.overdueSince === null ? null : (
            <span class="badge tone-bad">
              <span aria-hidden="true">⏱</span> Overdue since {formatTime(data.overdueSince)}
            </span>
          )}
        </dd>
        {detail.kind === 'blocked' ? (
          <>
            <dt>Why</dt>
            <dd>{detail.summary}</dd>
          </>
        ) : null}
        <dt>{data.endedAt === null ? 'In stage for' : 'Ended'}</dt>
        <dd>
          {data.endedAt === null
            ? formatDuration(since(data.stageEnteredAt, now))
            : formatTime(data.endedAt)}
        </dd>
        <dt>Started</dt>
        <dd>{formatTime(data.startedAt)}</dd>
        <dt>Playbook</dt>
        <dd>
          {data.playbook.name} v{data.playbook.version}
        </dd>
      </dl>
      {roleAllows(caller.role, 'operator') ? (
        <JourneyActions journey={data} readiness={readiness.data} onChanged={reload} />
      ) : null}
      {data.active ? (
        <ReadinessPanel
          clientId={data.clientId}
          readiness={readiness.data}
          error={readiness.error}
          now={now}
          onChanged={reload}
        />
      ) : null}
      <SignOffLinksPanel
        clientId={data.clientId}
        links={links}
        readiness={readiness.data}
        now={now}
        onChanged={reload}
      />
      <UnitOfWorkView unit={data.currentUnitOfWork} />
      <ExitCriteriaPanel journey={data} />
      {events.error === null ? null : <ProblemView problem={events.error} />}
      <TimelineList entries={events.data === null ? [] : timelineOf(events.data.items)} />
    </>
  );
}

function Breadcrumb() {
  return (
    <nav aria-label="Breadcrumb" class="breadcrumb">
      <a href={OVERVIEW_HREF}>All journeys</a>
    </nav>
  );
}
