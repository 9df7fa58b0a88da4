import type { ApiClient } from './client.js';
import type {
  Controls,
  FreezeRequest,
  IssuedSignOffLink,
  Readiness,
  SignOffLink,
  SignOffLinkList,
  SignOffLinkRequest,
} from './control-types.js';
import { journeyPath } from './endpoints.js';
import type { Journey } from './types.js';

/** The routes of the gate controls (docs/controls.md, docs/evidence.md), one function each. */

/** What blocks promotion right now; evaluates the criteria now and records nothing. */
export const getReadiness = (api: ApiClient, clientId: string): Promise<Readiness> =>
  api.get(`${journeyPath(clientId)}/readiness`);

export const pauseJourney = (api: ApiClient, clientId: string, reason: string): Promise<Journey> =>
  api.post(`${journeyPath(clientId)}/pause`, { reason });

export const resumeJourney = (api: ApiClient, clientId: string, reason: string): Promise<Journey> =>
  api.post(`${journeyPath(clientId)}/resume`, reason === '' ? {} : { reason });

/** Accepts (counts as passed) or rejects (counts as failed) an inconclusive criterion. */
export const decideInconclusive = (
  api: ApiClient,
  clientId: string,
  criterion: string,
  decision: 'accept' | 'reject',
  reason: string,
): Promise<Journey> =>
  api.post(`${journeyPath(clientId)}/exit-criteria/${encodeURIComponent(criterion)}/decisions`, {
    decision,
    reason,
  });

/** Withdraws the caller's own approval or rejection of a criterion. */
export const withdrawApproval = (
  api: ApiClient,
  clientId: string,
  criterion: string,
  reason: string,
): Promise<Journey> =>
  api.delete(`${journeyPath(clientId)}/approvals/${encodeURIComponent(criterion)}`, reason);

export const issueSignOffLink = (
  api: ApiClient,
  clientId: string,
  request: SignOffLinkRequest,
): Promise<IssuedSignOffLink> => api.post(`${journeyPath(clientId)}/sign-off-links`, request);

/** Every link issued for the client's journey, with its status (any role). */
export const listSignOffLinks = (api: ApiClient, clientId: string): Promise<SignOffLinkList> =>
  api.get(`${journeyPath(clientId)}/sign-off-links`);

/** Withdraws an unused link (operator); the reason is optional. */
export const revokeSignOffLink = (
  api: ApiClient,
  clientId: string,
  linkId: string,
  reason: string,
): Promise<SignOffLink> =>
  api.delete(`${journeyPath(clientId)}/sign-off-links/${encodeURIComponent(linkId)}`, reason);

export const getControls = (api: ApiClient): Promise<Controls> => api.get('/v1/controls');

/** Stops the line: every promotion fleet-wide is refused until resumed (admin). */
export const stopTheLine = (api: ApiClient, reason: string): Promise<Controls> =>
  api.post('/v1/controls/promotions/pause', { reason });

export const resumeTheLine = (api: ApiClient, reason: string): Promise<Controls> =>
  api.post('/v1/controls/promotions/resume', reason === '' ? {} : { reason });

export const addFreeze = (api: ApiClient, request: FreezeRequest): Promise<Controls> =>
  api.post('/v1/controls/freezes', request);

export const removeFreeze = (api: ApiClient, freezeId: string, reason: string): Promise<Controls> =>
  api.delete(`/v1/controls/freezes/${encodeURIComponent(freezeId)}`, reason);
