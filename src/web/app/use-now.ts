import { useEffect, useState } from 'preact/hooks';

/** The time now (epoch ms), renewed every `intervalMs`: durations that keep counting. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
