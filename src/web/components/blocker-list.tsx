import type { Blocker } from '../api/control-types.js';
import { formatTime } from '../model/format.js';
import { BLOCKER_LABELS, labelFor } from '../model/labels.js';
import { timeLeft } from '../model/readiness.js';
import { LabelBadge } from './label-badge.js';

/** What holds the promotion back now, each with when it lifts by itself (if it does). */
export function BlockerList({ blockers, now }: { blockers: readonly Blocker[]; now: number }) {
  if (blockers.length === 0) {
    return <p class="empty">Nothing blocks the promotion.</p>;
  }
  return (
    <ul class="blockers" aria-label="What blocks promotion">
      {blockers.map((blocker, index) => (
        <li key={`${blocker.code}-${blocker.criterionId ?? index}`} data-blocker={blocker.code}>
          <LabelBadge label={labelFor(BLOCKER_LABELS, blocker.code)} /> {blocker.message}
          {blocker.until === undefined ? null : (
            <span class="blocker-until">
              {' '}
              Lifts {timeLeft(blocker.until, now)} ({formatTime(blocker.until)}).
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
