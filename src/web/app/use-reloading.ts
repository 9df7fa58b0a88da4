import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { toProblem } from '../api/client.js';
import type { Problem } from '../api/types.js';
import { coalesced } from '../live/coalesced.js';

export interface Reloading<T> {
  /** The latest load's value; null until the first one succeeds. */
  readonly data: T | null;
  /** The latest load's failure, cleared by the next success. */
  readonly error: Problem | null;
  /** Load again soon (bursts of requests make one load, at most one per `minIntervalMs`). */
  readonly reload: () => void;
}

/**
 * Data from the API that is loaded on mount and again whenever `reload` is called (the live
 * stream calls it). `load` may change between renders; the latest one is used.
 */
export function useReloading<T>(load: () => Promise<T>, minIntervalMs: number): Reloading<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Problem | null>(null);
  const latest = useRef(load);
  latest.current = load;
  const runner = useMemo(
    () =>
      coalesced(
        async () => {
          setData(await latest.current());
          setError(null);
        },
        minIntervalMs,
        (failure) => setError(toProblem(failure)),
      ),
    [minIntervalMs],
  );
  useEffect(() => {
    runner.request();
    return () => runner.stop();
  }, [runner]);
  return { data, error, reload: runner.request };
}
