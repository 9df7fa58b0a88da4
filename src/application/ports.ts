import type {
  Instant,
  JourneyEvent,
  JourneyState,
  JourneyStatusKind,
  JsonValue,
  Millis,
  Stage,
  StartedJourney,
  UnitOfWork,
  UnitOfWorkEvent,
  UnitOfWorkState,
  UnitOfWorkStatus,
  WorkingStage,
  WorkPurpose,
} from '../domain/index.js';

/**
 * The ports the application needs from the outside world. Storage adapters (SQLite, PostgreSQL)
 * implement `Store`; the engine (a later issue) adds agents and metric sources.
 *
 * Glossary of this file:
 * - stream: the ordered events of one aggregate instance (a journey or a unit of work).
 * - version: how many events a stream holds; appending expects the version the decision saw.
 * - position: where an event sits in the global, commit-ordered log of all streams (opaque).
 * - read model: a row per aggregate holding its folded state, written in the same transaction.
 * - work item: something to do later (run a task attempt, run a reaction, re-check criteria),
 *   due at a time, claimed with a lease by one worker at a time.
 */

/** Where time and ids come from: injected so tests and replays control them. */
export interface Clock {
  now(): Instant;
}

export interface IdSource {
  /** A new unique id (UUID v4 in production). */
  next(): string;
}

export const StreamType = { journey: 'journey', unitOfWork: 'unit-of-work' } as const;
export type StreamType = (typeof StreamType)[keyof typeof StreamType];

export type DomainEvent = JourneyEvent | UnitOfWorkEvent;

/** Who and what caused an event: kept with every event for the audit trail and tracing. */
export interface EventMetadata {
  /** A user id, a token subject, or `system`. */
  readonly causedBy: string;
  /** Shared by every event that one request or reaction chain produced. */
  readonly correlationId: string;
  /** The event (or request id) that directly caused this one; null for a first cause. */
  readonly causationId: string | null;
}

export interface NewEvent<E extends DomainEvent = DomainEvent> {
  readonly eventId: string;
  readonly event: E;
  readonly occurredAt: Instant;
  readonly metadata: EventMetadata;
}

/** An opaque, comparable-by-the-store place in the global event log. `START` is before all. */
export type GlobalPosition = string;
export const START: GlobalPosition = '0';

export interface StoredEvent<E extends DomainEvent = DomainEvent> {
  readonly eventId: string;
  readonly streamId: string;
  readonly streamType: StreamType;
  /** 1-based version of this event within its stream. */
  readonly version: number;
  readonly position: GlobalPosition;
  /** The journey the stream belongs to (a unit of work's journey for unit streams). */
  readonly journeyId: string;
  readonly type: E['type'];
  readonly event: E;
  readonly occurredAt: Instant;
  /** When the store committed it (the store's clock); may differ from occurredAt. */
  readonly recordedAt: Instant;
  readonly metadata: EventMetadata;
}

export interface StreamAppend {
  readonly streamId: string;
  readonly streamType: StreamType;
  readonly journeyId: string;
  /** The version the decision was made against; 0 for a new stream. */
  readonly expectedVersion: number;
  readonly events: readonly NewEvent[];
  /**
   * The aggregate's state at `expectedVersion`, as loaded from this store for the decision.
   * Optional: it spares the store a read; the version check still guards the write.
   */
  readonly stateBefore?: JourneyState | UnitOfWorkState;
}

export const WorkKind = {
  /** Start (dispatch) a task attempt, or resume waiting for one in flight. */
  taskAttempt: 'task_attempt',
  /** Run the reaction to an event (DESIGN.md section 2). */
  reaction: 'reaction',
  /** Evaluate a stage's exit criteria again. */
  recheck: 'recheck',
  /** Check that a stage transition finished within its deadline. */
  deadline: 'deadline',
  /** Remind people of an approval still pending (ApprovalReminderDue). */
  approvalReminder: 'approval_reminder',
  /** Escalate or decide an inconclusive criterion nobody decided in time. */
  inconclusiveDeadline: 'inconclusive_deadline',
  /** Housekeeping: prune history past the retention period. */
  prune: 'prune',
} as const;
export type WorkKind = (typeof WorkKind)[keyof typeof WorkKind];

export interface NewWorkItem {
  readonly kind: WorkKind;
  /**
   * De-duplication key: enqueueing a key that is already queued does nothing. Reactions use
   * `reaction:<eventId>`, so a reaction is queued once however often its cause is replayed.
   */
  readonly key?: string;
  readonly journeyId?: string;
  readonly payload: JsonValue;
  readonly dueAt: Instant;
}

export interface WorkItem {
  readonly id: string;
  readonly kind: WorkKind;
  readonly key: string | null;
  readonly journeyId: string | null;
  readonly payload: JsonValue;
  readonly dueAt: Instant;
  /** How many times it has been claimed, this claim included. */
  readonly attempts: number;
  readonly leaseOwner: string;
  readonly leaseExpiresAt: Instant;
  readonly lastError: string | null;
}

/** Everything one decision changes, written in one transaction or not at all. */
export interface Commit {
  readonly appends: readonly StreamAppend[];
  readonly enqueue?: readonly NewWorkItem[];
  /** A claimed work item this commit finishes; refused (LeaseLostError) if the lease was lost. */
  readonly complete?: { readonly itemId: string; readonly leaseOwner: string };
}

export interface CommitResult {
  /** The new version of each stream appended to. */
  readonly versions: Readonly<Record<string, number>>;
  readonly events: readonly StoredEvent[];
}

/** A journey's row in the read model: its folded state plus the columns it is queried by. */
export interface JourneyRecord {
  readonly journeyId: string;
  readonly clientId: string;
  readonly stage: Stage;
  readonly status: JourneyStatusKind;
  readonly active: boolean;
  readonly playbook: { readonly name: string; readonly version: number };
  readonly startedAt: Instant;
  readonly stageEnteredAt: Instant;
  readonly endedAt: Instant | null;
  readonly updatedAt: Instant;
  readonly version: number;
  readonly state: StartedJourney;
}

export interface UnitOfWorkRecord {
  readonly workId: string;
  readonly journeyId: string;
  readonly clientId: string;
  readonly stage: WorkingStage;
  readonly purpose: WorkPurpose;
  readonly status: UnitOfWorkStatus;
  readonly createdAt: Instant;
  readonly updatedAt: Instant;
  readonly version: number;
  readonly state: UnitOfWork;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass back to get the next page; null when there is none. */
  readonly nextCursor: string | null;
}

export interface JourneyFilter {
  readonly stage?: Stage;
  readonly status?: JourneyStatusKind;
  readonly active?: boolean;
  readonly clientId?: string;
  /** @default 50 (at most 500) */
  readonly limit?: number;
  readonly cursor?: string | null;
}

export interface ClaimRequest {
  /** Identifies the claiming process; only it may complete or release the item. */
  readonly owner: string;
  readonly limit: number;
  readonly leaseFor: Millis;
  readonly now: Instant;
  /** Claim only these kinds (all when absent). */
  readonly kinds?: readonly WorkKind[];
}

export interface PruneReport {
  readonly cutoff: Instant;
  readonly journeys: number;
  readonly unitsOfWork: number;
  readonly events: number;
  readonly workItems: number;
  readonly journeyIds: readonly string[];
}

export interface MigrationReport {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly { readonly version: number; readonly name: string }[];
}

/** The event store: append with optimistic concurrency, read streams and the global log. */
export interface EventStore {
  /** Writes every append, enqueue and completion of `commit` atomically, with read models. */
  commit(commit: Commit): Promise<CommitResult>;
  readStream(streamId: string, afterVersion?: number): Promise<StoredEvent[]>;
  /**
   * Events after `after` in commit order, at most `limit`. A reader that stores the returned
   * `next` and passes it back never skips an event, even with concurrent writers.
   */
  readAll(
    after: GlobalPosition,
    limit: number,
  ): Promise<{ events: StoredEvent[]; next: GlobalPosition }>;
  /**
   * The position after every event committed so far: `readAll(head)` returns only events
   * committed later (where a new outlet or a live stream without a checkpoint starts).
   */
  headPosition(): Promise<GlobalPosition>;
  /** Whether `value` is a position this store could have returned (checks outside input). */
  isPosition(value: string): boolean;
  /**
   * Calls `listener` after each commit of this process succeeds (the relay and live streams
   * wake on it instead of waiting for their next poll). Returns the function that unsubscribes.
   */
  onCommitted(listener: () => void): () => void;
}

/** Durable work: enqueue in a commit (or alone), claim with a lease, complete or release. */
export interface WorkQueue {
  enqueue(items: readonly NewWorkItem[]): Promise<void>;
  claim(request: ClaimRequest): Promise<WorkItem[]>;
  /** Gives the item back to be claimed again at `dueAt` (e.g. a retry), recording why. */
  release(itemId: string, owner: string, dueAt: Instant, error?: string): Promise<void>;
  /** Finishes an item without other writes. Throws LeaseLostError if the lease is gone. */
  complete(itemId: string, owner: string): Promise<void>;
  /** Extends a lease still held; false when it was lost (expired and claimed by another). */
  extendLease(itemId: string, owner: string, leaseFor: Millis, now: Instant): Promise<boolean>;
  /**
   * Gives back every lease at once, whoever holds it. Only for a process that knows no other
   * worker shares the queue: the SQLite owner at start, whose leases all belong to a dead
   * predecessor (so a restart resumes at once instead of after the lease time). The event
   * relay's outlet leases are given back too. Returns how many work items it released.
   */
  releaseAllLeases(): Promise<number>;
  /**
   * When the next item becomes claimable (a waiting item's due time, or a claimed item's lease
   * expiry), for a worker deciding how long to sleep; null when the queue is empty.
   */
  nextDueAt(): Promise<Instant | null>;
  countQueued(): Promise<number>;
}

/** Where an outlet of the event relay stands: its checkpoint and who delivers to it now. */
export interface OutletCheckpoint {
  readonly outlet: string;
  /** Every event at or before it was delivered (or dead-lettered). */
  readonly position: GlobalPosition;
  /** The one process delivering to this outlet now; null when none holds the lease. */
  readonly leaseOwner: string | null;
  readonly leaseExpiresAt: Instant | null;
  /** How many events it has delivered in all. */
  readonly delivered: number;
  readonly updatedAt: Instant;
}

/** An event an outlet gave up on after its retry budget, kept whole so it can be replayed. */
export interface DeadLetter {
  readonly outlet: string;
  readonly eventId: string;
  readonly journeyId: string;
  readonly type: string;
  readonly position: GlobalPosition;
  /** The CloudEvents envelope exactly as it was offered. */
  readonly envelope: JsonValue;
  readonly attempts: number;
  readonly lastError: string;
  readonly deadAt: Instant;
  /** An operator asked for it to be delivered again; null otherwise. */
  readonly replayRequestedAt: Instant | null;
}

export type NewDeadLetter = Omit<DeadLetter, 'outlet' | 'replayRequestedAt'>;

export interface OutletLease {
  readonly outlet: string;
  readonly owner: string;
  readonly leaseFor: Millis;
  readonly now: Instant;
}

/**
 * The event relay's durable state: each outlet's checkpoint with the lease of the one process
 * that delivers to it (so several engines on one PostgreSQL never deliver to one outlet at
 * once), and its dead letters. Moving a checkpoint and recording dead letters is one transaction.
 */
export interface OutletLog {
  /**
   * Takes or renews the outlet's lease when it is free, expired or already ours; creates the
   * checkpoint at `initialPosition` the first time. Null when another live owner holds it.
   */
  acquireOutlet(
    lease: OutletLease & { readonly initialPosition: GlobalPosition },
  ): Promise<OutletCheckpoint | null>;
  /**
   * Moves the checkpoint to `position`, records `deadLetters`, adds `delivered`, renews the
   * lease; all or nothing. False (and nothing written) when the lease was taken by another.
   */
  advanceOutlet(
    lease: OutletLease & {
      readonly position: GlobalPosition;
      readonly delivered: number;
      readonly deadLetters: readonly NewDeadLetter[];
    },
  ): Promise<boolean>;
  /** Gives the lease up (a process stopping), so another takes over at once. */
  releaseOutlet(outlet: string, owner: string): Promise<void>;
  findOutlet(outlet: string): Promise<OutletCheckpoint | null>;
  listOutlets(): Promise<OutletCheckpoint[]>;
  /** Dead letters of an outlet, oldest first; `after` is the last event id of the previous page. */
  listDeadLetters(
    outlet: string,
    page?: { readonly limit?: number; readonly after?: string | null },
  ): Promise<Page<DeadLetter>>;
  countDeadLetters(outlet: string): Promise<number>;
  /** Asks for one dead letter (or all of the outlet's, eventId null) to be delivered again. */
  requestReplay(outlet: string, eventId: string | null, now: Instant): Promise<number>;
  /** Dead letters waiting to be replayed, oldest first. */
  replayRequests(outlet: string, limit: number): Promise<DeadLetter[]>;
  /**
   * Settles a replay: delivered (the dead letter is removed) or failed again (it stays, with
   * the new error and attempts, waiting for another request).
   */
  settleReplay(
    outlet: string,
    eventId: string,
    outcome:
      | { readonly delivered: true }
      | { readonly delivered: false; readonly error: string; readonly attempts: number },
  ): Promise<void>;
  /** Removes a dead letter an operator gave up on; false when there was none. */
  discardDeadLetter(outlet: string, eventId: string): Promise<boolean>;
}

/** The read models: the specification's repositories' questions. */
export interface ReadModels {
  findJourney(journeyId: string): Promise<JourneyRecord | null>;
  /** The client's active journey, else its latest one. */
  findJourneyByClientId(clientId: string): Promise<JourneyRecord | null>;
  listJourneys(filter?: JourneyFilter): Promise<Page<JourneyRecord>>;
  findUnitOfWork(workId: string): Promise<UnitOfWorkRecord | null>;
  findUnitsOfWorkByClientAndStage(
    clientId: string,
    stage: WorkingStage,
  ): Promise<UnitOfWorkRecord[]>;
  /**
   * How many journeys are in each stage (every stage present, 0 when none): the active ones in
   * sandbox, pilot, production and rollback, the ended ones in completed and cancelled.
   */
  countJourneysByStage(): Promise<Readonly<Record<Stage, number>>>;
}

// ---- Idempotency keys (the API's `Idempotency-Key` on POSTs) ----

/** A request as its idempotency key remembers it; keys are scoped per caller (`actor`). */
export interface IdempotentRequest {
  readonly actor: string;
  readonly key: string;
  readonly method: string;
  readonly path: string;
  /** A digest of the request's body: the same key with another body is refused. */
  readonly requestHash: string;
}

/** The first answer to a key, returned again to every repeat. */
export interface IdempotentResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The body exactly as first sent. */
  readonly body: string;
}

/** What claiming a key found. */
export type IdempotencyClaim =
  /** Run the request, then `completeIdempotencyKey` or `releaseIdempotencyKey` with `claimedAt`. */
  | { readonly kind: 'claimed'; readonly claimedAt: Instant }
  | { readonly kind: 'replay'; readonly response: IdempotentResponse }
  /** The first request with this key is still being answered. */
  | { readonly kind: 'in_flight'; readonly since: Instant }
  /** The key was used for another request (method, path or body). */
  | { readonly kind: 'mismatch'; readonly method: string; readonly path: string };

export interface IdempotencyKeys {
  /**
   * Claims the caller's key for `request`, or says what it is already bound to. A key first used
   * before `expiredBefore` is forgotten, and one still in flight since before `abandonedBefore`
   * is taken over (its request died with its process): both are claimed afresh.
   */
  claimIdempotencyKey(
    request: IdempotentRequest,
    at: {
      readonly now: Instant;
      readonly expiredBefore: Instant;
      readonly abandonedBefore: Instant;
    },
  ): Promise<IdempotencyClaim>;
  /** Stores the answer of a claim; false when the claim was taken over meanwhile. */
  completeIdempotencyKey(
    actor: string,
    key: string,
    claimedAt: Instant,
    response: IdempotentResponse,
    now: Instant,
  ): Promise<boolean>;
  /** Forgets a claim whose answer is not kept (a 5xx, a retryable refusal), so a retry runs. */
  releaseIdempotencyKey(actor: string, key: string, claimedAt: Instant): Promise<void>;
  /** Removes keys first used before `createdBefore`; returns how many. */
  removeExpiredIdempotencyKeys(createdBefore: Instant): Promise<number>;
}

// ---- Sign-off links (a client approves through a signed link, without an account) ----

/** A link an operator issued for one approval criterion of one stage visit of one journey. */
export interface SignOffLink {
  /** Random, unguessable; the signed token names it. */
  readonly linkId: string;
  readonly journeyId: string;
  readonly clientId: string;
  readonly stage: WorkingStage;
  /** The stage visit it belongs to: a link dies when the journey leaves that visit. */
  readonly stageEnteredAt: Instant;
  readonly criterionId: string;
  /** Who the client is, as the operator named them; part of the approver id. */
  readonly approverName: string | null;
  /** The operator's words to the client, shown on the page. */
  readonly note: string | null;
  readonly issuedBy: string;
  readonly issuedAt: Instant;
  readonly expiresAt: Instant;
  /** When the link was used (it is single-use); null while unused. */
  readonly usedAt: Instant | null;
  readonly decision: 'approved' | 'rejected' | null;
  /** An operator withdrew the unused link: who, when and why; null while not revoked. */
  readonly revocation: SignOffRevocation | null;
}

/** Who revoked a sign-off link, when and why (kept with the link for audit). */
export interface SignOffRevocation {
  readonly revokedBy: string;
  readonly revokedAt: Instant;
  readonly reason: string | null;
}

export interface SignOffLinks {
  saveSignOffLink(link: SignOffLink): Promise<void>;
  findSignOffLink(linkId: string): Promise<SignOffLink | null>;
  /** The journey's links, oldest first. */
  listSignOffLinks(journeyId: string): Promise<SignOffLink[]>;
  /**
   * Marks the link used with its decision: true for the one caller that did (across processes),
   * false when it was used already.
   */
  useSignOffLink(
    linkId: string,
    usedAt: Instant,
    decision: 'approved' | 'rejected',
  ): Promise<boolean>;
  /** Undoes a use (matched by `usedAt`) whose decision could not be recorded. */
  releaseSignOffLink(linkId: string, usedAt: Instant): Promise<void>;
  /**
   * Revokes a link that is neither used nor revoked: true for the one caller that did; false
   * when it was used or revoked first (of a revocation and a use, exactly one wins).
   */
  revokeSignOffLink(linkId: string, revocation: SignOffRevocation): Promise<boolean>;
}

// ---- Fleet controls: stop the line and global freezes (docs/controls.md) ----

/** Who stopped every promotion of the fleet, when and why (one at a time). */
export interface PromotionStopRecord {
  readonly stoppedBy: string;
  readonly reason: string;
  readonly at: Instant;
}

/**
 * A fleet-wide freeze window; `definition` is the freeze as written (the keys of a playbook
 * `freezes:` entry), validated again whenever it is read.
 */
export interface GlobalFreezeRecord {
  readonly freezeId: string;
  readonly definition: JsonValue;
  readonly createdBy: string;
  readonly reason: string | null;
  readonly createdAt: Instant;
}

/** One change of a fleet control, kept for audit. */
export interface ControlChange {
  readonly action: 'promotions_paused' | 'promotions_resumed' | 'freeze_added' | 'freeze_removed';
  /** The freeze id for freeze changes; null for the promotion stop. */
  readonly subject: string | null;
  readonly actor: string;
  readonly reason: string | null;
  readonly at: Instant;
}

/**
 * The fleet controls, in the database so every process on it sees them. Each change and its
 * audit row are one transaction; of two concurrent stops (or removals) exactly one succeeds.
 */
export interface FleetControlStore {
  findPromotionStop(): Promise<PromotionStopRecord | null>;
  /** Stops promotions; false (nothing written) when they are stopped already. */
  stopPromotions(stop: PromotionStopRecord): Promise<boolean>;
  /** Lifts the stop and returns it; null when there was none. */
  resumePromotions(change: {
    readonly actor: string;
    readonly reason: string | null;
    readonly at: Instant;
  }): Promise<PromotionStopRecord | null>;
  listGlobalFreezes(): Promise<GlobalFreezeRecord[]>;
  /** false when a freeze with that id exists. */
  addGlobalFreeze(freeze: GlobalFreezeRecord): Promise<boolean>;
  /** Removes it and returns it; null when there was none. */
  removeGlobalFreeze(
    freezeId: string,
    change: { readonly actor: string; readonly reason: string | null; readonly at: Instant },
  ): Promise<GlobalFreezeRecord | null>;
  /** The latest changes, newest first. */
  listControlChanges(limit: number): Promise<ControlChange[]>;
  /**
   * Makes a paused journey's parked work items (released to `PARKED_UNTIL`) due at `dueAt`;
   * returns how many.
   */
  wakeParkedWork(journeyId: string, dueAt: Instant): Promise<number>;
}

/** The due time of a paused journey's work items: they wait until the journey is resumed. */
export const PARKED_UNTIL: Instant = '9999-01-01T00:00:00.000Z';

export interface Store
  extends
    EventStore,
    WorkQueue,
    ReadModels,
    OutletLog,
    IdempotencyKeys,
    SignOffLinks,
    FleetControlStore {
  /** `sqlite` or `postgres`: for messages and capability checks. */
  readonly backend: 'sqlite' | 'postgres';
  /** Applies pending migrations; refuses a database newer than the code (DatabaseTooNewError). */
  migrate(): Promise<MigrationReport>;
  /** Removes the history of journeys that ended before `endedBefore`; never an active one. */
  prune(endedBefore: Instant, options?: { readonly dryRun?: boolean }): Promise<PruneReport>;
  /** Answers when the database does (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
