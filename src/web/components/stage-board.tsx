import { STAGES, type JourneySummary } from '../api/types.js';
import { humanize } from '../model/format.js';
import { JourneyCard } from './journey-card.js';

/** Journeys in one column per stage (stacked on a narrow screen), newest first in each. */
export function StageBoard({
  journeys,
  now,
}: {
  journeys: readonly JourneySummary[];
  now: number;
}) {
  return (
    <div class="stage-board">
      {STAGES.map((stage) => {
        const inStage = journeys.filter((journey) => journey.currentStage === stage);
        const headingId = `stage-${stage}`;
        return (
          <section key={stage} class="stage-column" aria-labelledby={headingId} data-stage={stage}>
            <h3 id={headingId}>
              {humanize(stage)} <span class="count">({inStage.length})</span>
            </h3>
            {inStage.length === 0 ? (
              <p class="empty">None</p>
            ) : (
              <ul class="journey-list">
                {inStage.map((journey) => (
                  <JourneyCard key={journey.journeyId} journey={journey} now={now} />
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}
