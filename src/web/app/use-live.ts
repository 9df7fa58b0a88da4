import { useEffect, useRef } from 'preact/hooks';
import { openEventStream } from '../live/event-stream.js';
import type { LiveEvent } from '../live/live-event.js';
import { useSession } from './session.js';

export interface LiveHandlers {
  /** The stream is (again) live: load the state now, nothing after it will be missed. */
  readonly onSync: () => void;
  readonly onEvent: (event: LiveEvent) => void;
}

/**
 * Follows the event stream while the page is shown (one client's events, or everyone's for
 * null) and reports its state to the session's header. Handlers may change between renders.
 */
export function useLive(clientId: string | null, handlers: LiveHandlers): void {
  const { token, signOut, reportStream } = useSession();
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(
    () =>
      openEventStream({
        token,
        clientId,
        onSync: () => latest.current.onSync(),
        onEvent: (event) => latest.current.onEvent(event),
        onState: reportStream,
        onUnauthorized: () => signOut('The server no longer accepts this token.'),
      }),
    [token, clientId, signOut, reportStream],
  );
}
