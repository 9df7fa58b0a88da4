import { setTimeout as sleep } from 'node:timers/promises';
import type { AgentGateway, AgentTaskRef, AttemptOutcome } from '../application/agents.js';
import { toError } from '../application/errors.js';
import type { Millis } from '../domain/index.js';
import { describeError } from './describe-error.js';

/** How long to wait between polls: `first`, doubling up to `max`. */
export interface Backoff {
  readonly first: Millis;
  readonly max: Millis;
}

/** How long a cancel may take before we stop waiting for the agent to confirm it. */
const CANCEL_GRACE: Millis = 1000;

/** Polls an agent's task until it ends; rejects as soon as `signal` aborts. */
export async function waitForOutcome(
  agents: AgentGateway,
  ref: AgentTaskRef,
  signal: AbortSignal,
  backoff: Backoff,
): Promise<AttemptOutcome> {
  let wait = backoff.first;
  for (;;) {
    await sleep(wait, undefined, { signal });
    const polled = await untilAborted(agents.poll(ref, signal), signal);
    if (polled.status !== 'running') {
      return polled;
    }
    wait = Math.min(wait * 2, backoff.max);
  }
}

/**
 * Settles like `work`, or rejects with the abort reason as soon as `signal` aborts: a gateway
 * that ignores the signal cannot hold a reading past its timeout. A value that arrives after
 * that goes to `late` (e.g. to cancel work the agent started anyway).
 */
export function untilAborted<T>(
  work: Promise<T>,
  signal: AbortSignal,
  late?: (value: T) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(toError(signal.reason));
      // A late failure changes nothing: the reading already reported that it gave up.
      work.then(late, () => undefined);
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (thrown: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(toError(thrown));
      },
    );
  });
}

/** Asks the agent to stop a task; says why when that could not be confirmed. Never rejects. */
export async function cancelAtAgent(
  agents: AgentGateway,
  ref: AgentTaskRef,
): Promise<string | undefined> {
  const grace = AbortSignal.timeout(CANCEL_GRACE);
  try {
    await untilAborted(agents.cancel(ref), grace);
    return undefined;
  } catch (thrown) {
    return grace.aborted ? `no answer within ${CANCEL_GRACE} ms` : describeError(thrown);
  }
}
