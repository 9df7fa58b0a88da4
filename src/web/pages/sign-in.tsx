import { useState } from 'preact/hooks';
import { ApiClient, toProblem } from '../api/client.js';
import { whoAmI } from '../api/endpoints.js';
import type { Caller, Problem } from '../api/types.js';
import { ProblemView } from '../components/problem-view.js';

/**
 * Sign-in with an API token (`JOURNEY_API_TOKENS`, or data/admin.token on a local server). The
 * token is checked with `GET /v1/me` before it is kept.
 */
export function SignIn({
  message,
  onSignedIn,
}: {
  message: string | null;
  onSignedIn: (token: string, caller: Caller) => void;
}) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    const trimmed = token.trim();
    if (trimmed === '') {
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      onSignedIn(trimmed, await whoAmI(new ApiClient(trimmed)));
    } catch (error) {
      setProblem(toProblem(error));
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <h1>Sign in</h1>
      <p>Sign in to the journey dashboard with an API token to see the journeys and act on them.</p>
      {message === null ? null : (
        <p class="notice" role="status">
          {message}
        </p>
      )}
      <form onSubmit={(event) => void submit(event)}>
        <label for="token">API token</label>
        <input
          id="token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          required
          value={token}
          onInput={(event) => setToken(event.currentTarget.value)}
        />
        <p class="hint">
          Kept in this browser tab only (sessionStorage) until you sign out or close the tab. A
          local server writes its admin token to <code>data/admin.token</code>.
        </p>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {problem === null ? null : <ProblemView problem={problem} />}
    </main>
  );
}
