import { ConnectionBadge } from '../components/connection-badge.js';
import type { StreamState } from '../live/event-stream.js';
import { JourneyPage } from '../pages/journey-page.js';
import { NotFound } from '../pages/not-found.js';
import { Overview } from '../pages/overview.js';
import { OVERVIEW_HREF, useRoute } from './route.js';
import { useSession } from './session.js';

/** The frame of every page: who is signed in, the live connection, and the page itself. */
export function Shell({ stream }: { stream: StreamState }) {
  const { caller, signOut } = useSession();
  const route = useRoute();
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top-bar">
        <a class="brand" href={OVERVIEW_HREF}>
          Journeys
        </a>
        <ConnectionBadge state={stream} />
        <p class="caller">
          Signed in as <strong>{caller.name}</strong> ({caller.role})
        </p>
        <button type="button" onClick={() => signOut(null)}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === 'overview' ? (
          <Overview />
        ) : route.page === 'journey' ? (
          <JourneyPage key={route.clientId} clientId={route.clientId} />
        ) : (
          <NotFound hash={route.hash} />
        )}
      </main>
    </>
  );
}
