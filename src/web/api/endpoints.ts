import type { ApiClient } from './client.js';
import type {
  Caller,
  EventList,
  ExitCriteriaEvaluation,
  Journey,
  JourneyPage,
  SuccessMetrics,
  SuccessMetricsSeries,
  UnitOfWork,
} from './types.js';

/** The API routes the dashboard calls (docs/api.md), one function each. */

export const journeyPath = (clientId: string): string =>
  `/v1/journeys/${encodeURIComponent(clientId)}`;

export const whoAmI = (api: ApiClient): Promise<Caller> => api.get('/v1/me');

/** The newest journeys, one page (the API allows at most 500). */
export const listJourneys = (api: ApiClient, limit: number): Promise<JourneyPage> =>
  api.get(`/v1/journeys?limit=${limit}`);

export const getJourney = (api: ApiClient, clientId: string): Promise<Journey> =>
  api.get(journeyPath(clientId));

export const getJourneyEvents = (api: ApiClient, clientId: string): Promise<EventList> =>
  api.get(`${journeyPath(clientId)}/events`);

/** Evaluates the current stage's criteria now; records nothing. */
export const checkExitCriteria = (
  api: ApiClient,
  clientId: string,
): Promise<ExitCriteriaEvaluation> => api.get(`${journeyPath(clientId)}/exit-criteria`);

export const getSuccessMetrics = (api: ApiClient): Promise<SuccessMetrics> =>
  api.get('/v1/reports/success-metrics');

export const getSuccessMetricsSeries = (
  api: ApiClient,
  points: number,
): Promise<SuccessMetricsSeries> => api.get(`/v1/reports/success-metrics/series?points=${points}`);

/** Promotes to the next stage; an admin may promote through the freezes in force, saying why. */
export const promote = (
  api: ApiClient,
  clientId: string,
  overrideFreeze?: { readonly reason: string },
): Promise<Journey> =>
  api.post(
    `${journeyPath(clientId)}/promotions`,
    overrideFreeze === undefined ? undefined : { overrideFreeze },
  );

export const rollBack = (api: ApiClient, clientId: string, reason: string): Promise<Journey> =>
  api.post(`${journeyPath(clientId)}/rollback`, { reason });

export const cancelJourney = (api: ApiClient, clientId: string, reason: string): Promise<Journey> =>
  api.post(`${journeyPath(clientId)}/cancel`, { reason });

export const decideApproval = (
  api: ApiClient,
  clientId: string,
  request: {
    readonly criterion: string;
    readonly decision: 'approved' | 'rejected';
    readonly stage: string;
    readonly comment?: string;
  },
): Promise<Journey> => api.post(`${journeyPath(clientId)}/approvals`, request);

export const retryFailedTasks = (api: ApiClient, workId: string): Promise<UnitOfWork> =>
  api.post(`/v1/units-of-work/${encodeURIComponent(workId)}/retry`);
