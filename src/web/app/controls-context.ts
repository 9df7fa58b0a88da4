import { createContext } from 'preact';
import { useContext, useEffect } from 'preact/hooks';
import { getControls } from '../api/control-endpoints.js';
import type { Controls } from '../api/control-types.js';
import type { Problem } from '../api/types.js';
import { useSession } from './session.js';
import { useReloading } from './use-reloading.js';

/** The fleet controls as last read, shared by the header's banner and the pages. */
export interface ControlsState {
  readonly controls: Controls | null;
  readonly error: Problem | null;
  /** Read them again now (after a change made here). */
  readonly reload: () => void;
}

export const ControlsContext = createContext<ControlsState>({
  controls: null,
  error: null,
  reload: () => undefined,
});

export function useControls(): ControlsState {
  return useContext(ControlsContext);
}

/**
 * Why polling: a change of the fleet controls is a row in the database, not a domain event,
 * so the event stream does not carry it. Every `pollMs` is what another admin's change costs.
 */
export function usePolledControls(pollMs: number): ControlsState {
  const { api } = useSession();
  const state = useReloading(() => getControls(api), 500);
  const { reload } = state;
  useEffect(() => {
    const timer = setInterval(reload, pollMs);
    return () => clearInterval(timer);
  }, [reload, pollMs]);
  return { controls: state.data, error: state.error, reload };
}

/** A key that changes whenever what the controls hold back changes (for readiness reloads). */
export function controlsKey(controls: Controls | null): string {
  if (controls === null) {
    return '';
  }
  const active = controls.freezes.map((f) => `${f.freeze['id'] ?? ''}:${f.activeNow?.until ?? ''}`);
  return `${String(controls.promotions.paused)}|${active.join(',')}`;
}
