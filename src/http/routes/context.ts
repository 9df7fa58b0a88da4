import type { JourneyOrchestrator } from '../../application/engine/orchestrator.js';
import type { Store } from '../../application/ports.js';
import type { SuccessMetrics } from '../../application/queries/success-metrics.js';
import type { ApiRole } from '../tokens.js';

/** The use cases the API calls. */
export type ApiOrchestrator = Pick<
  JourneyOrchestrator,
  | 'startJourney'
  | 'validateExitCriteria'
  | 'executeStageTransition'
  | 'initiateRollback'
  | 'cancelJourney'
  | 'approve'
  | 'revokeApproval'
  | 'resolveInconclusive'
  | 'retryFailedTasks'
  | 'cancelUnitOfWork'
  | 'pauseJourney'
  | 'resumeJourney'
  | 'controls'
>;

/**
 * What the API reads of the store: read models, streams, and the queue's size for /metrics;
 * and the Idempotency-Key table it writes.
 */
export type ApiStore = Pick<
  Store,
  | 'findJourney'
  | 'findJourneyByClientId'
  | 'listJourneys'
  | 'findUnitOfWork'
  | 'readStream'
  | 'readAll'
  | 'headPosition'
  | 'isPosition'
  | 'onCommitted'
  | 'listOutlets'
  | 'findOutlet'
  | 'listDeadLetters'
  | 'countDeadLetters'
  | 'requestReplay'
  | 'discardDeadLetter'
  | 'ping'
  | 'countQueued'
  | 'nextDueAt'
  | 'claimIdempotencyKey'
  | 'completeIdempotencyKey'
  | 'releaseIdempotencyKey'
  | 'removeExpiredIdempotencyKeys'
  | 'countJourneysByStage'
  | 'saveSignOffLink'
  | 'findSignOffLink'
  | 'listSignOffLinks'
  | 'useSignOffLink'
  | 'releaseSignOffLink'
  | 'revokeSignOffLink'
>;

/** What each resource plugin is given. */
export interface RouteContext {
  readonly orchestrator: ApiOrchestrator;
  readonly store: ApiStore;
  readonly successMetrics: SuccessMetrics;
}

/** The OpenAPI security requirement of every route that needs a token. */
export const BEARER = [{ bearerAuth: [] }];

/** A route's config: the least role it needs (checked by auth.ts before the body is read). */
export function needs(minRole: ApiRole): { minRole: ApiRole } {
  return { minRole };
}
