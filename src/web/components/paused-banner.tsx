import type { JourneyPause } from '../api/types.js';
import { formatTime } from '../model/format.js';

/** A paused journey says so above everything else: who paused it, when and why. */
export function PausedBanner({ paused }: { paused: JourneyPause }) {
  return (
    <div class="banner tone-warn paused-banner" role="status">
      <p>
        <strong>
          <span aria-hidden="true">⏸</span> Paused
        </strong>{' '}
        by {paused.pausedBy} since {formatTime(paused.at)}: “{paused.reason}”. Nothing new starts
        for this journey (no promotion, gate or new task attempt) until it is resumed.
      </p>
    </div>
  );
}
