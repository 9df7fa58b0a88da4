import {
  evolveJourney,
  evolveUnitOfWork,
  initialJourneyState,
  initialUnitOfWorkState,
  type JourneyEvent,
  type JourneyState,
  type UnitOfWorkEvent,
  type UnitOfWorkState,
  type WorkingStage,
} from '../domain/index.js';
import type {
  Commit,
  CommitResult,
  JourneyRecord,
  NewEvent,
  NewWorkItem,
  Page,
  Store,
  StoredEvent,
  UnitOfWorkRecord,
} from './ports.js';

/** An aggregate's state and the version of the last event folded into it. */
export interface Loaded<S> {
  readonly state: S;
  readonly version: number;
}

/** What else a save writes in the same transaction. */
export interface SaveOptions {
  readonly enqueue?: readonly NewWorkItem[];
  readonly complete?: NonNullable<Commit['complete']>;
}

/**
 * Loads an aggregate from its read-model row, which is its state at the row's version: the row
 * is written in the same transaction as the events, so it is never behind them. Without a row
 * (a stream the read model does not know, e.g. one not created yet) the stream is folded.
 */
async function loadWithSnapshot<S, E>(
  store: Store,
  streamId: string,
  snapshot: { state: S; version: number } | null,
  initial: S,
  evolve: (state: S, event: E) => S,
): Promise<Loaded<S>> {
  if (snapshot !== null) {
    return { state: snapshot.state, version: snapshot.version };
  }
  return foldStream(store, streamId, initial, evolve);
}

/** Folds a whole stream from its first event: the reference a snapshot must agree with. */
export async function foldStream<S, E>(
  store: Store,
  streamId: string,
  initial: S,
  evolve: (state: S, event: E) => S,
): Promise<Loaded<S>> {
  const events: StoredEvent[] = await store.readStream(streamId);
  return {
    state: events.reduce((state, stored) => evolve(state, stored.event as E), initial),
    version: events.length,
  };
}

/** The specification's JourneyRepository, over the store. */
export class JourneyRepository {
  constructor(readonly store: Store) {}

  async load(journeyId: string): Promise<Loaded<JourneyState>> {
    const row = await this.store.findJourney(journeyId);
    return loadWithSnapshot<JourneyState, JourneyEvent>(
      this.store,
      journeyId,
      row,
      initialJourneyState,
      evolveJourney,
    );
  }

  /**
   * Appends the events decided on `loaded` (a state from `load`, or the initial state at version
   * 0 for a new journey); throws ConcurrencyConflictError when another writer got there first.
   */
  save(
    journeyId: string,
    loaded: Loaded<JourneyState>,
    events: readonly NewEvent<JourneyEvent>[],
    options: SaveOptions = {},
  ): Promise<CommitResult> {
    return this.store.commit({
      appends: [
        {
          streamId: journeyId,
          streamType: 'journey',
          journeyId,
          expectedVersion: loaded.version,
          stateBefore: loaded.state,
          events,
        },
      ],
      ...options,
    });
  }

  findByClientId(clientId: string): Promise<JourneyRecord | null> {
    return this.store.findJourneyByClientId(clientId);
  }

  findActiveJourneys(cursor: string | null = null, limit = 100): Promise<Page<JourneyRecord>> {
    return this.store.listJourneys({ active: true, cursor, limit });
  }

  listByStage(
    stage: JourneyRecord['stage'],
    cursor: string | null = null,
    limit = 100,
  ): Promise<Page<JourneyRecord>> {
    return this.store.listJourneys({ stage, cursor, limit });
  }
}

/** The specification's UnitOfWorkRepository, over the store. */
export class UnitOfWorkRepository {
  constructor(readonly store: Store) {}

  async load(workId: string): Promise<Loaded<UnitOfWorkState>> {
    const row = await this.store.findUnitOfWork(workId);
    return loadWithSnapshot<UnitOfWorkState, UnitOfWorkEvent>(
      this.store,
      workId,
      row,
      initialUnitOfWorkState,
      evolveUnitOfWork,
    );
  }

  save(
    workId: string,
    journeyId: string,
    expectedVersion: number,
    events: readonly NewEvent<UnitOfWorkEvent>[],
    options: SaveOptions = {},
  ): Promise<CommitResult> {
    return this.store.commit({
      appends: [
        { streamId: workId, streamType: 'unit-of-work', journeyId, expectedVersion, events },
      ],
      ...options,
    });
  }

  findById(workId: string): Promise<UnitOfWorkRecord | null> {
    return this.store.findUnitOfWork(workId);
  }

  findByClientAndStage(clientId: string, stage: WorkingStage): Promise<UnitOfWorkRecord[]> {
    return this.store.findUnitsOfWorkByClientAndStage(clientId, stage);
  }
}
