import type { z } from 'zod';
import type { ProblemSchema } from '../../http/schemas/problem.js';
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
