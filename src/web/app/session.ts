import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from '../api/client.js';
import type { Caller } from '../api/types.js';
import type { StreamState } from '../live/event-stream.js';

/** What every page of a signed-in session shares. */
export interface Session {
  readonly api: ApiClient;
  readonly token: string;
  readonly caller: Caller;
  /** Ends the session (the token is forgotten), with a message for the sign-in page. */
  readonly signOut: (message: string | null) => void;
  /** Pages report their live connection here; the header shows it. */
  readonly reportStream: (state: StreamState) => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) {
    throw new Error('useSession outside a signed-in session');
  }
  return session;
}
