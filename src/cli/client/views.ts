import type { z } from 'zod';
import type {
  EvidenceSchema,
  ReadinessSchema,
  SignOffLinkSchema,
} from '../../http/schemas/evidence.js';
import type { ProblemSchema } from '../../http/schemas/problem.js';
import type {
  IssuedSignOffLinkSchema,
  SignOffLinkListSchema,
} from '../../http/schemas/sign-off-links.js';
import type {
  EventListSchema,
  EventSchema,
  ExitCriteriaSchema,
  JourneyPageSchema,
  JourneySchema,
  JourneySummarySchema,
  SuccessMetricsSchema,
  TaskSchema,
  UnitOfWorkSchema,
} from '../../http/schemas/views.js';

/**
 * What the API answers, typed from the very schemas the server validates its answers with
 * (src/http/schemas/), so the client and the server cannot drift apart unnoticed.
 */
export type JourneyView = z.output<typeof JourneySchema>;
export type JourneySummaryView = z.output<typeof JourneySummarySchema>;
export type JourneyPage = z.output<typeof JourneyPageSchema>;
export type UnitOfWorkView = z.output<typeof UnitOfWorkSchema>;
export type TaskView = z.output<typeof TaskSchema>;
export type ExitCriteriaView = z.output<typeof ExitCriteriaSchema>;
export type CriterionResultView = ExitCriteriaView['results'][number];
export type StageTransitionView = JourneyView['stageHistory'][number];
export type EventView = z.output<typeof EventSchema>;
export type EventList = z.output<typeof EventListSchema>;
export type SuccessMetricsView = z.output<typeof SuccessMetricsSchema>;
export type Problem = z.output<typeof ProblemSchema>;
export type ReadinessView = z.output<typeof ReadinessSchema>;
export type BlockerView = ReadinessView['blockers'][number];
export type EvidenceView = z.output<typeof EvidenceSchema>;
export type SignOffLinkView = z.output<typeof SignOffLinkSchema>;
export type IssuedSignOffLinkView = z.output<typeof IssuedSignOffLinkSchema>;
export type SignOffLinkList = z.output<typeof SignOffLinkListSchema>;

/** `GET /v1/controls`: src/http/routes/controls.ts `ControlsSchema` (not exported). */
export interface ControlsView {
  readonly promotions: {
    readonly paused: boolean;
    readonly pausedBy: string | null;
    readonly reason: string | null;
    readonly pausedAt: string | null;
  };
  readonly freezes: readonly GlobalFreezeView[];
  /** The latest 50 changes, newest first. */
  readonly changes: readonly {
    readonly action: 'promotions_paused' | 'promotions_resumed' | 'freeze_added' | 'freeze_removed';
    readonly subject: string | null;
    readonly actor: string;
    readonly reason: string | null;
    readonly at: string;
  }[];
}

export interface GlobalFreezeView {
  readonly freezeId: string;
  /** The window as written: id, description, from/to or schedule/duration, timezone. */
  readonly freeze: Readonly<Record<string, string>>;
  /** `invalid`: the stored freeze no longer passes the playbook's rule; held in force. */
  readonly status: 'valid' | 'invalid';
  readonly problems: readonly { readonly path: string; readonly message: string }[];
  readonly createdBy: string;
  readonly reason: string | null;
  readonly createdAt: string;
  /** The stretch in force now, if any. */
  readonly activeNow: {
    readonly freezeId: string;
    readonly scope: 'playbook' | 'global';
    readonly description?: string;
    readonly from: string;
    readonly until: string;
  } | null;
}

/** `POST /v1/controls/freezes`: the playbook `freezes:` keys plus a reason. */
export interface FreezeRequest {
  readonly id: string;
  readonly description?: string;
  readonly from?: string;
  readonly to?: string;
  readonly schedule?: string;
  readonly duration?: string;
  readonly timezone?: string;
  readonly reason?: string;
}

/** `POST /v1/journeys/{clientId}/sign-off-links`. */
export interface SignOffLinkRequest {
  readonly criterion: string;
  readonly expiresIn?: string;
  readonly approverName?: string;
  readonly note?: string;
}

/** `GET /v1/outlets`: src/http/routes/outlets.ts `Outlet` (its schemas are not exported). */
export interface OutletView {
  readonly name: string;
  /** Everything up to here was delivered or dead-lettered. */
  readonly position: string;
  readonly delivered: number;
  readonly deadLetters: number;
  /** The process holding the outlet's lease, if any. */
  readonly deliveringProcess: string | null;
  readonly leaseExpiresAt: string | null;
  readonly updatedAt: string;
}

export interface OutletList {
  readonly items: readonly OutletView[];
}

/** `GET /v1/outlets/{name}/dead-letters`: src/http/routes/outlets.ts `DeadLetter`. */
export interface DeadLetterView {
  readonly outlet: string;
  readonly eventId: string;
  readonly journeyId: string;
  readonly type: string;
  readonly attempts: number;
  readonly lastError: string;
  readonly deadAt: string;
  readonly replayRequestedAt: string | null;
  /** The CloudEvent as it was offered. */
  readonly envelope: unknown;
}

export interface DeadLetterPage {
  readonly items: readonly DeadLetterView[];
  readonly nextCursor: string | null;
}
