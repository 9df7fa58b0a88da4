/**
 * How long to wait before reconnection attempt `attempt` (1, 2, ...): doubling from `baseMs`
 * up to `maxMs`, with up to 20 % taken off at random so many dashboards do not return at once.
 */
export function reconnectDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (1 - 0.2 * random()));
}
