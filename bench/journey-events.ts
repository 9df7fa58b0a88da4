import { randomUUID } from 'node:crypto';
import type { NewEvent, StreamAppend } from '../src/application/ports.js';
import type { Loaded } from '../src/application/repositories.js';
import {
  asClientId,
  asCriterionId,
  asJourneyId,
  asWorkId,
  evolveJourney,
  initialJourneyState,
  type JourneyEvent,
  type JourneyState,
} from '../src/domain/index.js';

/** Real domain events for the store bench: what the engine writes most, a re-check's result. */

/** A journey's stream is closed after this many events and the writer starts a new journey. */
export const STREAM_LENGTH = 50;

export function journeyStarted(journeyId: string, at: string): JourneyEvent {
  return {
    type: 'JourneyStarted',
    journeyId: asJourneyId(journeyId),
    clientId: asClientId(`client-${journeyId}`),
    playbook: { name: 'default', version: 1 },
    stage: 'sandbox',
    setupWorkId: asWorkId(`${journeyId}.sandbox.setup.1`),
    startedBy: 'bench',
    at,
  };
}

function recheckEvaluated(at: string): JourneyEvent {
  return {
    type: 'ExitCriteriaEvaluated',
    stage: 'sandbox',
    trigger: 'recheck',
    evaluation: {
      evaluatedAt: at,
      allPassed: false,
      results: [
        {
          criterionId: asCriterionId('search_quality'),
          description: 'Search quality above 0.8',
          source: 'agent',
          outcome: 'failed',
          reason: '0.74 is not > 0.8',
          observed: 0.74,
          comparator: 'gt',
          threshold: 0.8,
          evaluatedAt: at,
        },
        {
          criterionId: asCriterionId('demo_approved'),
          description: 'Demo approved by client',
          source: 'approval',
          outcome: 'inconclusive',
          reason: '0 of 1 approvals',
          evaluatedAt: at,
        },
      ],
    },
    at,
  };
}

export function newEvent(event: JourneyEvent): NewEvent {
  return {
    eventId: randomUUID(),
    event,
    occurredAt: event.at,
    metadata: { causedBy: 'bench', correlationId: randomUUID(), causationId: null },
  };
}

/** A one-event append opening a journey's stream. */
export function startAppend(journeyId: string): StreamAppend {
  return {
    streamId: journeyId,
    streamType: 'journey',
    journeyId,
    expectedVersion: 0,
    events: [newEvent(journeyStarted(journeyId, new Date().toISOString()))],
  };
}

/**
 * One writer's next single-event append: a new journey's JourneyStarted, then re-check results
 * on the same stream until it holds STREAM_LENGTH events. Call `committed()` after each commit.
 * Like the engine, the writer keeps the state it decided on and hands it to the store
 * (`stateBefore`), so the store need not read it back.
 */
export function journeyWriter(prefix: string): { next(): StreamAppend; committed(): void } {
  let journeys = 0;
  let journeyId = '';
  let current: Loaded<JourneyState> = { state: initialJourneyState, version: 0 };
  let pending: StreamAppend | undefined;
  return {
    next() {
      if (current.version === 0 || current.version >= STREAM_LENGTH) {
        journeys += 1;
        journeyId = `${prefix}-${journeys}`;
        current = { state: initialJourneyState, version: 0 };
        pending = startAppend(journeyId);
      } else {
        pending = {
          streamId: journeyId,
          streamType: 'journey',
          journeyId,
          expectedVersion: current.version,
          stateBefore: current.state,
          events: [newEvent(recheckEvaluated(new Date().toISOString()))],
        };
      }
      return pending;
    },
    committed() {
      const events = (pending?.events ?? []).map((e) => e.event as JourneyEvent);
      current = {
        state: events.reduce(evolveJourney, current.state),
        version: current.version + events.length,
      };
    },
  };
}
