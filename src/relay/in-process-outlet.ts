import type { CloudEventJson } from './cloud-event.js';
import { failedOutcome, type DeliveryOutcome, type Outlet } from './outlet.js';

export interface InProcessSubscriber {
  /** Names the subscriber's checkpoint: a restarted process resumes where it stopped. */
  readonly name: string;
  /** @default all events */
  readonly events?: readonly string[];
  /** Runs for each event; throwing (or rejecting) counts as a failed delivery to be retried. */
  readonly handle: (event: CloudEventJson, signal: AbortSignal) => void | Promise<void>;
}

/**
 * Library users subscribe with a function: it gets the same guarantees as any other outlet
 * (durable position, in order per journey, retries, dead letters), because it is one.
 */
export function inProcessOutlet(subscriber: InProcessSubscriber): Outlet {
  return {
    name: subscriber.name,
    events: subscriber.events ?? [],
    async deliver(event: CloudEventJson, signal: AbortSignal): Promise<DeliveryOutcome> {
      try {
        await subscriber.handle(event, signal);
        return { ok: true };
      } catch (error) {
        return failedOutcome(error);
      }
    },
    close: () => Promise.resolve(),
  };
}
