import { formatTime } from '../model/format.js';
import type { TimelineEntry } from '../model/timeline.js';

/** The journey's audit trail, oldest first: what happened, who did it, and why. */
export function TimelineList({ entries }: { entries: readonly TimelineEntry[] }) {
  return (
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      {entries.length === 0 ? (
        <p class="empty">Nothing yet.</p>
      ) : (
        <ol class="timeline">
          {entries.map((entry) => (
            <li
              key={entry.eventId}
              class={`timeline-entry tone-${entry.tone}`}
              data-event-type={entry.eventType}
            >
              <time dateTime={entry.at}>{formatTime(entry.at)}</time>
              <p class="timeline-title">{entry.title}</p>
              <p class="timeline-who">
                by <strong>{entry.who}</strong>
                {entry.why === null ? null : (
                  <>
                    {' '}
                    — <q>{entry.why}</q>
                  </>
                )}
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
