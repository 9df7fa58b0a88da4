import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient, ApiError } from '../api/client.js';
import { whoAmI } from '../api/endpoints.js';
import type { Caller } from '../api/types.js';
import type { StreamState } from '../live/event-stream.js';
import { SignIn } from '../pages/sign-in.js';
import { forgetToken, readToken, saveToken } from './session-storage.js';
import { SessionContext, type Session } from './session.js';
import { Shell } from './shell.js';

interface SignedIn {
  readonly token: string;
  readonly caller: Caller;
}

/** The dashboard: sign-in until a token is accepted, then the pages. */
export function App() {
  const [signedIn, setSignedIn] = useState<SignedIn | null>(null);
  const [checking, setChecking] = useState(() => readToken() !== null);
  const [message, setMessage] = useState<string | null>(null);
  const [stream, setStream] = useState<StreamState>({ kind: 'connecting' });

  const signOut = useCallback((why: string | null) => {
    forgetToken();
    setSignedIn(null);
    setMessage(why);
  }, []);

  // A token kept from earlier in this tab is checked again: it may have been revoked since.
  useEffect(() => {
    const token = readToken();
    if (token === null) {
      return;
    }
    whoAmI(new ApiClient(token))
      .then((caller) => setSignedIn({ token, caller }))
      .catch((error: unknown) =>
        signOut(
          error instanceof ApiError
            ? `Please sign in again: ${error.problem.title}.`
            : 'Please sign in again.',
        ),
      )
      .finally(() => setChecking(false));
  }, [signOut]);

  const session = useMemo<Session | null>(
    () =>
      signedIn === null
        ? null
        : {
            api: new ApiClient(signedIn.token, () =>
              signOut('The server no longer accepts this token.'),
            ),
            token: signedIn.token,
            caller: signedIn.caller,
            signOut,
            reportStream: setStream,
          },
    [signedIn, signOut],
  );

  if (checking) {
    return <p class="loading">Checking your token…</p>;
  }
  if (session === null) {
    return (
      <SignIn
        message={message}
        onSignedIn={(token, caller) => {
          saveToken(token);
          setMessage(null);
          setSignedIn({ token, caller });
        }}
      />
    );
  }
  return (
    <SessionContext.Provider value={session}>
      <Shell stream={stream} />
    </SessionContext.Provider>
  );
}
