import type { JourneySummary } from '../api/types.js';
import { journeyHref } from '../app/route.js';
import { formatDuration, formatTime, since } from '../model/format.js';
import { labelFor, STATUS_LABELS } from '../model/labels.js';
import { LabelBadge } from './label-badge.js';

/** Blocked or overdue: what the overview highlights. */
export function needsAttention(journey: JourneySummary): boolean {
  return journey.status === 'blocked' || journey.overdueSince !== null;
}

/** One journey on the overview: client, status, time in its stage, and why it needs attention. */
export function JourneyCard({ journey, now }: { journey: JourneySummary; now: number }) {
  const attention = needsAttention(journey);
  const detail = journey.statusDetail;
  return (
    <li
      class={attention ? 'journey-card attention' : 'journey-card'}
      data-client-id={journey.clientId}
    >
      <a class="journey-link" href={journeyHref(journey.clientId)}>
        {journey.clientId}
      </a>
      <p class="journey-badges">
        <LabelBadge label={labelFor(STATUS_LABELS, journey.status)} />
        {journey.overdueSince === null ? null : (
          <span class="badge tone-bad">
            <span aria-hidden="true">⏱</span> Overdue
          </span>
        )}
        {journey.paused === null ? null : (
          <span
            class="badge tone-warn"
            title={`by ${journey.paused.pausedBy}: ${journey.paused.reason}`}
          >
            <span aria-hidden="true">⏸</span> Paused
          </span>
        )}
      </p>
      <p class="journey-time">
        {journey.endedAt === null ? (
          <>
            In stage for <strong>{formatDuration(since(journey.stageEnteredAt, now))}</strong>
          </>
        ) : (
          <>Ended {formatTime(journey.endedAt)}</>
        )}
      </p>
      {detail.kind === 'blocked' ? <p class="journey-why">{detail.summary}</p> : null}
    </li>
  );
}
