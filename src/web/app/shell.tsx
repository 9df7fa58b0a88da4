import { ConnectionBadge } from '../components/connection-badge.js';
import { StopLineBanner } from '../components/stop-line-banner.js';
import type { StreamState } from '../live/event-stream.js';
import { ControlsPage } from '../pages/controls-page.js';
import { JourneyPage } from '../pages/journey-page.js';
import { NotFound } from '../pages/not-found.js';
import { Overview } from '../pages/overview.js';
import { ControlsContext, usePolledControls } from './controls-context.js';
import { CONTROLS_HREF, OVERVIEW_HREF, useRoute } from './route.js';
import { useSession } from './session.js';

/** The frame of every page: who is signed in, the live connection, and the page itself. */
export function Shell({ stream }: { stream: StreamState }) {
  const { caller, signOut } = useSession();
  const route = useRoute();
  const controls = usePolledControls(5_000);
  return (
    <ControlsContext.Provider value={controls}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="top-bar">
        <a class="brand" href={OVERVIEW_HREF}>
          Journeys
        </a>
        <nav aria-label="Pages" class="top-nav">
          <a href={CONTROLS_HREF} aria-current={route.page === 'controls' ? 'page' : undefined}>
            Controls
          </a>
        </nav>
        <ConnectionBadge state={stream} />
        <p class="caller">
          Signed in as <strong>{caller.name}</strong> ({caller.role})
        </p>
        <button type="button" onClick={() => signOut(null)}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <StopLineBanner />
        {route.page === 'overview' ? (
          <Overview />
        ) : route.page === 'controls' ? (
          <ControlsPage />
        ) : route.page === 'journey' ? (
          <JourneyPage key={route.clientId} clientId={route.clientId} />
        ) : (
          <NotFound hash={route.hash} />
        )}
      </main>
    </ControlsContext.Provider>
  );
}
