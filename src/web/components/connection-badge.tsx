import { useNow } from '../app/use-now.js';
import type { StreamState } from '../live/event-stream.js';

/** The live connection in words, announced politely to screen readers when it changes. */
export function ConnectionBadge({ state }: { state: StreamState }) {
  const now = useNow(1_000);
  return (
    <p class={`connection connection-${state.kind}`} role="status" aria-live="polite">
      {describe(state, now)}
    </p>
  );
}

function describe(state: StreamState, now: number) {
  switch (state.kind) {
    case 'connecting':
      return (
        <>
          <span aria-hidden="true">◌</span> Connecting…
        </>
      );
    case 'live':
      return (
        <>
          <span aria-hidden="true">●</span> Live
        </>
      );
    case 'reconnecting': {
      const seconds = Math.max(0, Math.ceil((state.retryAt - now) / 1_000));
      return (
        <>
          <span aria-hidden="true">↻</span> Reconnecting
          <span class="connection-detail">
            {' '}
            ({state.reason}; {seconds > 0 ? `next try in ${seconds} s` : 'trying now'})
          </span>
        </>
      );
    }
  }
}
