import { useControls } from '../app/controls-context.js';
import { CONTROLS_HREF } from '../app/route.js';
import { formatTime } from '../model/format.js';

/** On every page while the line is stopped: no promotion starts anywhere, who stopped it, why. */
export function StopLineBanner() {
  const { controls } = useControls();
  const stop = controls?.promotions;
  if (stop === undefined || !stop.paused) {
    return null;
  }
  return (
    <div class="banner tone-bad stop-line-banner" role="status">
      <p>
        <strong>
          <span aria-hidden="true">⛔</span> The line is stopped:
        </strong>{' '}
        no promotion starts, fleet-wide. Stopped by {stop.pausedBy ?? 'someone'}
        {stop.pausedAt === null ? '' : ` since ${formatTime(stop.pausedAt)}`}
        {stop.reason === null ? '' : `: “${stop.reason}”`}.{' '}
        <a href={CONTROLS_HREF}>See the controls</a>
      </p>
    </div>
  );
}
