import type { JourneyRecord, StreamType, UnitOfWorkRecord } from '../application/ports.js';
import {
  evolveJourney,
  evolveUnitOfWork,
  initialJourneyState,
  initialUnitOfWorkState,
  isTerminalStage,
  journeyStatus,
  type Instant,
  type JourneyEvent,
  type JourneyState,
  type UnitOfWorkEvent,
  type UnitOfWorkState,
} from '../domain/index.js';

/**
 * Read models are the fold of their stream, computed by the store itself in the transaction that
 * appends the events, so no caller can get them out of step. The folded state doubles as the
 * aggregate's snapshot: loading an aggregate reads one row instead of its whole stream.
 */
export class ProjectionError extends Error {
  override readonly name = 'ProjectionError';
}

export function foldJourney(previous: JourneyState, events: readonly JourneyEvent[]): JourneyState {
  return events.reduce(evolveJourney, previous);
}

export function foldUnitOfWork(
  previous: UnitOfWorkState,
  events: readonly UnitOfWorkEvent[],
): UnitOfWorkState {
  return events.reduce(evolveUnitOfWork, previous);
}

export function initialStateOf(type: StreamType): JourneyState | UnitOfWorkState {
  return type === 'journey' ? initialJourneyState : initialUnitOfWorkState;
}

export function journeyRecord(state: JourneyState, version: number, now: Instant): JourneyRecord {
  if (state.status === 'none') {
    throw new ProjectionError('a journey stream must begin with JourneyStarted');
  }
  return {
    journeyId: state.journeyId,
    clientId: state.clientId,
    stage: state.stage,
    status: journeyStatus(state).kind,
    active: !isTerminalStage(state.stage),
    playbook: state.playbook,
    startedAt: state.startedAt,
    stageEnteredAt: state.stageEnteredAt,
    endedAt: state.endedAt,
    updatedAt: now,
    version,
    state,
  };
}

export function unitOfWorkRecord(
  state: UnitOfWorkState,
  version: number,
  now: Instant,
): UnitOfWorkRecord {
  if (state.status === 'none') {
    throw new ProjectionError('a unit-of-work stream must begin with UnitOfWorkCreated');
  }
  return {
    workId: state.workId,
    journeyId: state.journeyId,
    clientId: state.clientId,
    stage: state.stage,
    purpose: state.purpose,
    status: state.status,
    createdAt: state.createdAt,
    updatedAt: now,
    version,
    state,
  };
}
