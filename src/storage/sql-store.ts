import type {
  ClaimRequest,
  Clock,
  Commit,
  CommitResult,
  ControlChange,
  DeadLetter,
  GlobalFreezeRecord,
  GlobalPosition,
  IdempotencyClaim,
  IdempotentRequest,
  IdempotentResponse,
  JourneyFilter,
  JourneyRecord,
  MigrationReport,
  NewDeadLetter,
  NewWorkItem,
  OutletCheckpoint,
  OutletLease,
  Page,
  PromotionStopRecord,
  PruneReport,
  SignOffLink,
  SignOffRevocation,
  Store,
  StoredEvent,
  UnitOfWorkRecord,
  WorkItem,
} from '../application/ports.js';
import { PARKED_UNTIL } from '../application/ports.js';
import {
  addMillis,
  type Instant,
  type Millis,
  type Stage,
  type WorkingStage,
} from '../domain/index.js';
import { isoInstant, planCommit, type WrittenEvent } from './commit-plan.js';
import type { Dialect } from './dialect.js';
import { migrate } from './migrator.js';
import * as controls from './sql-controls.js';
import { eventFromRow, selectEvents } from './sql-events.js';
import * as idempotency from './sql-idempotency.js';
import * as outlets from './sql-outlets.js';
import * as readModels from './sql-read-models.js';
import { prune } from './sql-retention.js';
import * as signOffLinks from './sql-sign-off-links.js';
import * as queue from './sql-work-queue.js';
import type { SqlDriver, SqlSession } from './sql.js';

/**
 * The store, the same on both backends: one SQL driver, one dialect for what differs. Every
 * commit is one transaction: events, their read models, queued work and a finished work item.
 */
export class SqlStore implements Store {
  readonly backend: 'sqlite' | 'postgres';
  readonly #driver: SqlDriver;
  readonly #dialect: Dialect;
  readonly #clock: Clock;
  readonly #commitListeners = new Set<() => void>();

  constructor(driver: SqlDriver, dialect: Dialect, clock: Clock) {
    this.backend = dialect.backend;
    this.#driver = driver;
    this.#dialect = dialect;
    this.#clock = clock;
  }

  async commit(commit: Commit): Promise<CommitResult> {
    const plan = await planCommit(this.#driver, commit, this.#now());
    const written = await this.#dialect.executeCommit(this.#driver, plan);
    const versions: Record<string, number> = {};
    const events: StoredEvent[] = [];
    const position = positionsOf(written);
    // The caller already has the events: only their places in the log came back.
    for (const { append, head, events: rows } of plan.appends) {
      versions[append.streamId] = head.record.version;
      append.events.forEach((event, index) => {
        const row = rows[index];
        const version = row?.version ?? 0;
        events.push({
          eventId: event.eventId,
          streamId: append.streamId,
          streamType: append.streamType,
          version,
          position: position(events.length, append.streamId, version),
          journeyId: append.journeyId,
          type: event.event.type,
          event: event.event,
          occurredAt: row?.occurred_at ?? event.occurredAt,
          recordedAt: plan.now,
          metadata: event.metadata,
        });
      });
    }
    for (const listener of this.#commitListeners) {
      listener();
    }
    return { versions, events };
  }

  onCommitted(listener: () => void): () => void {
    // Wrapped so one listener registered twice can be removed twice.
    const entry = () => listener();
    this.#commitListeners.add(entry);
    return () => this.#commitListeners.delete(entry);
  }

  headPosition(): Promise<GlobalPosition> {
    return this.#dialect.headPosition(this.#driver);
  }

  isPosition(value: string): boolean {
    return this.#dialect.isPosition(value);
  }

  async readStream(streamId: string, afterVersion = 0): Promise<StoredEvent[]> {
    const rows = await this.#driver.all(
      `${selectEvents(this.#dialect)} WHERE stream_id = $1 AND version > $2 ORDER BY version`,
      [streamId, afterVersion],
    );
    return rows.map((row) => eventFromRow(row, this.#dialect));
  }

  async readAll(
    after: GlobalPosition,
    limit: number,
  ): Promise<{ events: StoredEvent[]; next: GlobalPosition }> {
    const { rows, next } = await this.#dialect.readAll(
      this.#driver,
      after,
      Math.max(1, Math.floor(limit)),
    );
    return { events: rows.map((row) => eventFromRow(row, this.#dialect)), next };
  }

  enqueue(items: readonly NewWorkItem[]): Promise<void> {
    const now = this.#now();
    return this.#driver.transaction((session) => queue.enqueue(session, items, now));
  }

  claim(request: ClaimRequest): Promise<WorkItem[]> {
    return this.#writeOne((session) => queue.claim(session, this.#dialect, request));
  }

  release(itemId: string, owner: string, dueAt: Instant, error?: string): Promise<void> {
    return this.#writeOne((session) => queue.releaseItem(session, itemId, owner, dueAt, error));
  }

  complete(itemId: string, owner: string): Promise<void> {
    return this.#writeOne((session) => queue.completeItem(session, itemId, owner));
  }

  extendLease(itemId: string, owner: string, leaseFor: Millis, now: Instant): Promise<boolean> {
    const expiresAt = addMillis(new Date(now).toISOString(), leaseFor);
    return this.#writeOne((session) => queue.extendLease(session, itemId, owner, expiresAt));
  }

  async releaseAllLeases(): Promise<number> {
    // The relay's outlet leases too: a restarted owner delivers at once, not after leaseFor.
    await outlets.releaseAllOutletLeases(this.#driver);
    return queue.releaseAllLeases(this.#driver);
  }

  nextDueAt(): Promise<Instant | null> {
    return queue.nextDueAt(this.#driver);
  }

  countQueued(): Promise<number> {
    return queue.countQueued(this.#driver);
  }

  findJourney(journeyId: string): Promise<JourneyRecord | null> {
    return readModels.findJourney(this.#driver, journeyId);
  }

  findJourneyByClientId(clientId: string): Promise<JourneyRecord | null> {
    return readModels.findJourneyByClientId(this.#driver, clientId);
  }

  listJourneys(filter?: JourneyFilter): Promise<Page<JourneyRecord>> {
    return readModels.listJourneys(this.#driver, this.#dialect, filter);
  }

  findUnitOfWork(workId: string): Promise<UnitOfWorkRecord | null> {
    return readModels.findUnitOfWork(this.#driver, workId);
  }

  findUnitsOfWorkByClientAndStage(
    clientId: string,
    stage: WorkingStage,
  ): Promise<UnitOfWorkRecord[]> {
    return readModels.findUnitsOfWorkByClientAndStage(this.#driver, clientId, stage);
  }

  countJourneysByStage(): Promise<Readonly<Record<Stage, number>>> {
    return readModels.countJourneysByStage(this.#driver);
  }

  acquireOutlet(
    lease: OutletLease & { readonly initialPosition: GlobalPosition },
  ): Promise<OutletCheckpoint | null> {
    return outlets.acquireOutlet(this.#driver, lease);
  }

  advanceOutlet(
    lease: OutletLease & {
      readonly position: GlobalPosition;
      readonly delivered: number;
      readonly deadLetters: readonly NewDeadLetter[];
    },
  ): Promise<boolean> {
    return outlets.advanceOutlet(this.#driver, lease);
  }

  releaseOutlet(outlet: string, owner: string): Promise<void> {
    return outlets.releaseOutlet(this.#driver, outlet, owner);
  }

  findOutlet(outlet: string): Promise<OutletCheckpoint | null> {
    return outlets.findOutlet(this.#driver, outlet);
  }

  listOutlets(): Promise<OutletCheckpoint[]> {
    return outlets.listOutlets(this.#driver);
  }

  listDeadLetters(
    outlet: string,
    page?: { readonly limit?: number; readonly after?: string | null },
  ): Promise<Page<DeadLetter>> {
    return outlets.listDeadLetters(this.#driver, outlet, page);
  }

  countDeadLetters(outlet: string): Promise<number> {
    return outlets.countDeadLetters(this.#driver, outlet);
  }

  requestReplay(outlet: string, eventId: string | null, now: Instant): Promise<number> {
    return outlets.requestReplay(this.#driver, outlet, eventId, now);
  }

  replayRequests(outlet: string, limit: number): Promise<DeadLetter[]> {
    return outlets.replayRequests(this.#driver, outlet, limit);
  }

  settleReplay(
    outlet: string,
    eventId: string,
    outcome: Parameters<Store['settleReplay']>[2],
  ): Promise<void> {
    return outlets.settleReplay(this.#driver, outlet, eventId, outcome);
  }

  discardDeadLetter(outlet: string, eventId: string): Promise<boolean> {
    return outlets.discardDeadLetter(this.#driver, outlet, eventId);
  }

  claimIdempotencyKey(
    request: IdempotentRequest,
    at: {
      readonly now: Instant;
      readonly expiredBefore: Instant;
      readonly abandonedBefore: Instant;
    },
  ): Promise<IdempotencyClaim> {
    return idempotency.claimIdempotencyKey(this.#driver, request, {
      now: isoInstant(at.now),
      expiredBefore: isoInstant(at.expiredBefore),
      abandonedBefore: isoInstant(at.abandonedBefore),
    });
  }

  completeIdempotencyKey(
    actor: string,
    key: string,
    claimedAt: Instant,
    response: IdempotentResponse,
    now: Instant,
  ): Promise<boolean> {
    return idempotency.completeIdempotencyKey(
      this.#driver,
      actor,
      key,
      isoInstant(claimedAt),
      response,
      isoInstant(now),
    );
  }

  releaseIdempotencyKey(actor: string, key: string, claimedAt: Instant): Promise<void> {
    return idempotency.releaseIdempotencyKey(this.#driver, actor, key, isoInstant(claimedAt));
  }

  removeExpiredIdempotencyKeys(createdBefore: Instant): Promise<number> {
    return idempotency.removeExpiredIdempotencyKeys(this.#driver, isoInstant(createdBefore));
  }

  saveSignOffLink(link: SignOffLink): Promise<void> {
    return signOffLinks.saveSignOffLink(this.#driver, {
      ...link,
      stageEnteredAt: isoInstant(link.stageEnteredAt),
      issuedAt: isoInstant(link.issuedAt),
      expiresAt: isoInstant(link.expiresAt),
      usedAt: link.usedAt === null ? null : isoInstant(link.usedAt),
      revocation:
        link.revocation === null
          ? null
          : { ...link.revocation, revokedAt: isoInstant(link.revocation.revokedAt) },
    });
  }

  findSignOffLink(linkId: string): Promise<SignOffLink | null> {
    return signOffLinks.findSignOffLink(this.#driver, linkId);
  }

  listSignOffLinks(journeyId: string): Promise<SignOffLink[]> {
    return signOffLinks.listSignOffLinks(this.#driver, journeyId);
  }

  useSignOffLink(
    linkId: string,
    usedAt: Instant,
    decision: 'approved' | 'rejected',
  ): Promise<boolean> {
    return signOffLinks.useSignOffLink(this.#driver, linkId, isoInstant(usedAt), decision);
  }

  releaseSignOffLink(linkId: string, usedAt: Instant): Promise<void> {
    return signOffLinks.releaseSignOffLink(this.#driver, linkId, isoInstant(usedAt));
  }

  revokeSignOffLink(linkId: string, revocation: SignOffRevocation): Promise<boolean> {
    return signOffLinks.revokeSignOffLink(this.#driver, linkId, {
      ...revocation,
      revokedAt: isoInstant(revocation.revokedAt),
    });
  }

  findPromotionStop(): Promise<PromotionStopRecord | null> {
    return controls.findPromotionStop(this.#driver);
  }

  stopPromotions(stop: PromotionStopRecord): Promise<boolean> {
    return controls.stopPromotions(this.#driver, { ...stop, at: isoInstant(stop.at) });
  }

  resumePromotions(change: {
    readonly actor: string;
    readonly reason: string | null;
    readonly at: Instant;
  }): Promise<PromotionStopRecord | null> {
    return controls.resumePromotions(this.#driver, { ...change, at: isoInstant(change.at) });
  }

  listGlobalFreezes(): Promise<GlobalFreezeRecord[]> {
    return controls.listGlobalFreezes(this.#driver);
  }

  addGlobalFreeze(freeze: GlobalFreezeRecord): Promise<boolean> {
    return controls.addGlobalFreeze(this.#driver, {
      ...freeze,
      createdAt: isoInstant(freeze.createdAt),
    });
  }

  removeGlobalFreeze(
    freezeId: string,
    change: { readonly actor: string; readonly reason: string | null; readonly at: Instant },
  ): Promise<GlobalFreezeRecord | null> {
    return controls.removeGlobalFreeze(this.#driver, freezeId, {
      ...change,
      at: isoInstant(change.at),
    });
  }

  listControlChanges(limit: number): Promise<ControlChange[]> {
    return controls.listControlChanges(this.#driver, limit);
  }

  wakeParkedWork(journeyId: string, dueAt: Instant): Promise<number> {
    return controls.wakeParkedWork(
      this.#driver,
      journeyId,
      isoInstant(PARKED_UNTIL),
      isoInstant(dueAt),
    );
  }

  migrate(): Promise<MigrationReport> {
    return migrate(this.#driver, this.#dialect, () => this.#now());
  }

  prune(endedBefore: Instant, options: { readonly dryRun?: boolean } = {}): Promise<PruneReport> {
    return prune(
      this.#driver,
      this.#dialect,
      new Date(endedBefore).toISOString(),
      options.dryRun ?? false,
    );
  }

  async ping(): Promise<void> {
    await this.#driver.all('SELECT 1 AS ok');
  }

  close(): Promise<void> {
    return this.#driver.close();
  }

  /**
   * Runs a write of exactly one statement (`work` runs one, then only looks at its result):
   * alone where the backend makes that atomic, else in a write transaction (see the dialect).
   */
  #writeOne<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.#dialect.singleStatementAutocommit
      ? work(this.#driver)
      : this.#driver.transaction(work);
  }

  /** Instants are normalised so that, stored as text (SQLite), they also sort correctly. */
  #now(): Instant {
    return isoInstant(this.#clock.now());
  }
}

/**
 * Finds where each event landed. Backends report the events in the order of the plan, so the
 * n-th report is normally the n-th event's; a lookup by stream and version covers any other
 * order.
 */
function positionsOf(
  written: readonly WrittenEvent[],
): (index: number, streamId: string, version: number) => string {
  let byStream: Map<string, string> | undefined;
  return (index, streamId, version) => {
    const report = written[index];
    if (report !== undefined && report.streamId === streamId && report.version === version) {
      return report.position;
    }
    byStream ??= new Map(written.map((w) => [`${w.streamId}\u0000${w.version}`, w.position]));
    return byStream.get(`${streamId}\u0000${version}`) ?? '';
  };
}
