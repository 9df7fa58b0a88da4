import type { ReadModels, StoredEvent } from '../application/ports.js';

/** How many journeys' client ids are remembered; the oldest is forgotten first. */
const CAPACITY = 10_000;

/**
 * The CloudEvents `subject` is the client id, which most events do not carry: it is read once
 * per journey from the read model and remembered (bounded, so memory stays flat).
 */
export class ClientIds {
  readonly #known = new Map<string, string>();
  readonly #readModels: Pick<ReadModels, 'findJourney'>;

  constructor(readModels: Pick<ReadModels, 'findJourney'>) {
    this.#readModels = readModels;
  }

  async of(event: StoredEvent): Promise<string> {
    const carried = 'clientId' in event.event ? event.event.clientId : undefined;
    if (carried !== undefined) {
      this.#remember(event.journeyId, carried);
      return carried;
    }
    const known = this.#known.get(event.journeyId);
    if (known !== undefined) {
      return known;
    }
    const journey = await this.#readModels.findJourney(event.journeyId);
    // A journey pruned since its event was read: its id still names what the event is about.
    const clientId = journey?.clientId ?? event.journeyId;
    this.#remember(event.journeyId, clientId);
    return clientId;
  }

  #remember(journeyId: string, clientId: string): void {
    if (this.#known.has(journeyId)) {
      return;
    }
    if (this.#known.size >= CAPACITY) {
      const oldest = this.#known.keys().next();
      if (oldest.done !== true) {
        this.#known.delete(oldest.value);
      }
    }
    this.#known.set(journeyId, clientId);
  }
}
