import type { Controls } from '../api/control-types.js';
import { formatTime } from '../model/format.js';
import { LabelBadge } from './label-badge.js';

/** Stop-the-line as it stands, and (for admins) the button that changes it. */
export function LineControl({
  promotions,
  canChange,
  disabled,
  onStop,
  onResume,
}: {
  promotions: Controls['promotions'];
  canChange: boolean;
  disabled: boolean;
  onStop: () => void;
  onResume: () => void;
}) {
  return (
    <section aria-labelledby="line-heading" class="line-control">
      <h2 id="line-heading">Promotions fleet-wide</h2>
      <p data-line={promotions.paused ? 'stopped' : 'running'}>
        {promotions.paused ? (
          <>
            <LabelBadge label={{ symbol: '⛔', text: 'Line stopped', tone: 'bad' }} /> by{' '}
            {promotions.pausedBy ?? '?'}
            {promotions.pausedAt === null ? '' : ` since ${formatTime(promotions.pausedAt)}`}
            {promotions.reason === null ? '' : `: “${promotions.reason}”`}
          </>
        ) : (
          <>
            <LabelBadge label={{ symbol: '✓', text: 'Running', tone: 'good' }} /> promotions may
            start (each still passes its gate, freezes and soak time).
          </>
        )}
      </p>
      {canChange ? (
        <div class="action-buttons">
          {promotions.paused ? (
            <button type="button" class="primary" disabled={disabled} onClick={onResume}>
              Resume the line…
            </button>
          ) : (
            <button type="button" class="danger" disabled={disabled} onClick={onStop}>
              Stop the line…
            </button>
          )}
        </div>
      ) : null}
    </section>
  );
}
