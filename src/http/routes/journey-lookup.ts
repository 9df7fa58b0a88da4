import type { JourneyRecord } from '../../application/ports.js';
import { journeyView, type JourneyView } from '../../application/queries/journey-view.js';
import { unitOfWorkView, type UnitOfWorkView } from '../../application/queries/unit-view.js';
import { domainError } from '../../domain/index.js';
import type { ApiStore } from './context.js';

/** The client's active (else latest) journey; JOURNEY_NOT_STARTED (404) when it has none. */
export async function findJourneyRecord(store: ApiStore, clientId: string): Promise<JourneyRecord> {
  const record = await store.findJourneyByClientId(clientId);
  if (record === null) {
    throw domainError('JOURNEY_NOT_STARTED', `Client ${clientId} has no journey.`, { clientId });
  }
  return record;
}

/** A journey's full view, read after a use case changed it (or from a record just read). */
export async function viewOfJourney(
  store: ApiStore,
  journeyId: string,
  record?: JourneyRecord,
): Promise<JourneyView> {
  const found = record ?? (await store.findJourney(journeyId));
  if (found === null) {
    throw domainError('JOURNEY_NOT_STARTED', `There is no journey ${journeyId}.`, { journeyId });
  }
  return journeyView(store, found);
}

/** A unit's view with its attempts; UNIT_NOT_FOUND (404) when there is no such unit. */
export async function viewOfUnit(store: ApiStore, workId: string): Promise<UnitOfWorkView> {
  const [record, events] = await Promise.all([
    store.findUnitOfWork(workId),
    store.readStream(workId),
  ]);
  if (record === null) {
    throw domainError('UNIT_NOT_FOUND', `There is no unit of work ${workId}.`, { workId });
  }
  return unitOfWorkView(record, events);
}
