import { randomUUID } from 'node:crypto';
import type {
  Clock,
  DomainEvent,
  EventMetadata,
  JourneyRecord,
  NewEvent,
  NewWorkItem,
  Store,
  StoredEvent,
  StreamAppend,
  UnitOfWorkRecord,
  WorkKind,
} from '../../src/application/ports.js';
import { DomainError } from '../../src/domain/errors.js';
import {
  asClientId,
  asJourneyId,
  asTaskId,
  asWorkId,
  type ClientId,
  type JourneyId,
  type WorkId,
} from '../../src/domain/ids.js';
import type { JourneyCommand } from '../../src/domain/journey/commands.js';
import { decideJourney } from '../../src/domain/journey/decide.js';
import { JOURNEY_EVENT_TYPES, type JourneyEvent } from '../../src/domain/journey/events.js';
import { isTerminalStage, isWorkingStage, nextStage } from '../../src/domain/journey/stage.js';
import {
  evolveJourney,
  initialJourneyState,
  type JourneyState,
  type StartedJourney,
} from '../../src/domain/journey/state.js';
import { journeyStatus } from '../../src/domain/journey/status.js';
import type { JsonValue } from '../../src/domain/json.js';
import { DEFAULT_RETRY_POLICY } from '../../src/domain/retry-policy.js';
import { SECOND, type Instant } from '../../src/domain/time.js';
import type { UnitOfWorkCommand } from '../../src/domain/unit-of-work/commands.js';
import { decideUnitOfWork } from '../../src/domain/unit-of-work/decide.js';
import type { UnitOfWorkEvent, WorkPurpose } from '../../src/domain/unit-of-work/events.js';
import {
  evolveUnitOfWork,
  initialUnitOfWorkState,
  type UnitOfWork,
  type UnitOfWorkState,
} from '../../src/domain/unit-of-work/state.js';
import type { TaskDefinition } from '../../src/domain/unit-of-work/task.js';
import { evaluation } from './journey-fixtures.js';

/**
 * Builders for storage tests. Every event they produce comes out of the real deciders
 * (`decideJourney`, `decideUnitOfWork`), so the store is fed histories the domain can produce.
 * This module imports nothing from vitest: the child processes of the concurrency and crash
 * tests use it too.
 */

/** A task definition (as unit-of-work-builders' `task`, without pulling vitest in). */
export function task(id: string, dependsOn: readonly string[] = []): TaskDefinition {
  return {
    taskId: asTaskId(id),
    name: `Task ${id}`,
    intent: `do_${id}`,
    input: { id },
    dependsOn: dependsOn.map(asTaskId),
    retry: { ...DEFAULT_RETRY_POLICY, jitter: 0 },
    timeout: 60 * SECOND,
  };
}

/** A short unique suffix, so tests sharing one database never collide. */
export const unique = (prefix: string): string =>
  `${prefix}-${randomUUID().replaceAll('-', '').slice(0, 12)}`;

export function metadata(overrides: Partial<EventMetadata> = {}): EventMetadata {
  return { causedBy: 'tester', correlationId: randomUUID(), causationId: null, ...overrides };
}

/** Domain events as the store takes them: fresh ids, occurredAt = the event's own `at`. */
export function newEvents<E extends DomainEvent>(
  events: readonly E[],
  meta: EventMetadata = metadata(),
): NewEvent<E>[] {
  return events.map((event) => ({
    eventId: randomUUID(),
    event,
    occurredAt: event.at,
    metadata: meta,
  }));
}

export function workItem(
  overrides: Partial<NewWorkItem> & { readonly dueAt: Instant },
): NewWorkItem {
  const kind: WorkKind = overrides.kind ?? 'task_attempt';
  return { kind, payload: { test: true }, ...overrides };
}

function decided<E>(decision: readonly E[] | DomainError, what: string): readonly E[] {
  if (decision instanceof DomainError) {
    throw new Error(`${what} refused: ${decision.code} ${decision.message}`);
  }
  return decision;
}

const allPassed = evaluation(['quality', 'passed']);

/**
 * One journey driven through the real decider. Each step decides a command at the clock's time
 * and keeps the events; `append()` hands over the events not yet appended as one StreamAppend
 * against the version they were decided on (and assumes it will be committed).
 */
export class JourneyDriver {
  state: JourneyState = initialJourneyState;
  /** The version the next append expects. */
  version = 0;
  #pending: JourneyEvent[] = [];
  #visits = 0;

  constructor(
    readonly journeyId: JourneyId,
    readonly clientId: ClientId,
    private readonly clock: Clock,
  ) {}

  static create(clock: Clock, clientId?: string): JourneyDriver {
    return new JourneyDriver(
      asJourneyId(unique('journey')),
      asClientId(clientId ?? unique('client')),
      clock,
    );
  }

  get started(): StartedJourney {
    if (this.state.status !== 'started') {
      throw new Error(`journey ${this.journeyId} is not started`);
    }
    return this.state;
  }

  /** Decides a command against the current state; a refusal throws. */
  decide(command: JourneyCommand): readonly JourneyEvent[] {
    const events = decided(decideJourney(command, this.state), command.type);
    this.state = events.reduce(evolveJourney, this.state);
    this.#pending.push(...events);
    return events;
  }

  newWorkId(kind: 'setup' | 'rollback', stage: string): WorkId {
    this.#visits += 1;
    return asWorkId(`${this.journeyId}.${stage}.${kind}.${this.#visits}`);
  }

  start(): this {
    this.decide({
      type: 'start',
      journeyId: this.journeyId,
      clientId: this.clientId,
      playbook: { name: 'default', version: 1 },
      setupWorkId: this.newWorkId('setup', 'sandbox'),
      startedBy: 'tester',
      at: this.clock.now(),
    });
    return this;
  }

  /** The setup unit of work of the current stage. */
  get currentSetupWorkId(): WorkId {
    const { stage, setups } = this.started;
    const setup = isWorkingStage(stage) ? setups[stage] : undefined;
    if (setup === undefined) {
      throw new Error(`journey ${this.journeyId} in ${stage} has no setup`);
    }
    return setup.workId;
  }

  completeSetup(): this {
    this.decide({
      type: 'recordSetupCompleted',
      workId: this.currentSetupWorkId,
      at: this.clock.now(),
    });
    return this;
  }

  evaluate(passed = true, marker = 'quality'): this {
    const { stage } = this.started;
    if (!isWorkingStage(stage)) {
      throw new Error(`cannot evaluate in ${stage}`);
    }
    this.decide({
      type: 'recordEvaluation',
      stage,
      evaluation: evaluation([marker, passed ? 'passed' : 'failed']),
      trigger: 'recheck',
      at: this.clock.now(),
    });
    return this;
  }

  /** Promotes to the next stage (completing the current setup first if needed). */
  promote(): this {
    const { stage, setups } = this.started;
    if (!isWorkingStage(stage)) {
      throw new Error(`cannot promote from ${stage}`);
    }
    if (setups[stage]?.status !== 'completed') {
      this.completeSetup();
    }
    const to = nextStage(stage);
    this.decide({
      type: 'promote',
      to,
      evaluation: allPassed,
      setupWorkId: this.newWorkId('setup', to),
      promotedBy: 'system',
      at: this.clock.now(),
    });
    return this;
  }

  /** Drives the journey up to `stage` (pilot or production). */
  promoteTo(stage: 'pilot' | 'production'): this {
    while (this.started.stage !== stage) {
      this.promote();
    }
    return this;
  }

  /** Completes the journey: promotes through production and completes it. */
  complete(): this {
    this.promoteTo('production');
    if (this.started.setups.production?.status !== 'completed') {
      this.completeSetup();
    }
    this.decide({
      type: 'complete',
      evaluation: allPassed,
      completedBy: 'system',
      at: this.clock.now(),
    });
    return this;
  }

  cancel(reason = 'no longer needed'): this {
    this.decide({ type: 'cancel', reason, cancelledBy: 'tester', at: this.clock.now() });
    return this;
  }

  rollback(): this {
    this.decide({
      type: 'initiateRollback',
      reason: 'quality dropped',
      initiatedBy: 'tester',
      rollbackWorkId: this.newWorkId('rollback', this.started.stage),
      at: this.clock.now(),
    });
    return this;
  }

  get pending(): readonly JourneyEvent[] {
    return this.#pending;
  }

  /** The events decided since the last append, as one append at the version they saw. */
  append(meta?: EventMetadata): StreamAppend {
    const append: StreamAppend = {
      streamId: this.journeyId,
      streamType: 'journey',
      journeyId: this.journeyId,
      expectedVersion: this.version,
      events: newEvents(this.#pending, meta),
    };
    this.version += this.#pending.length;
    this.#pending = [];
    return append;
  }
}

/** One unit of work driven through the real decider, like JourneyDriver. */
export class UnitDriver {
  state: UnitOfWorkState = initialUnitOfWorkState;
  version = 0;
  #pending: UnitOfWorkEvent[] = [];

  constructor(
    readonly workId: WorkId,
    readonly journeyId: JourneyId,
    readonly clientId: ClientId,
    private readonly clock: Clock,
  ) {}

  /** A unit for a journey's current setup (or a given work id). */
  static forJourney(journey: JourneyDriver, clock: Clock, workId?: WorkId): UnitDriver {
    return new UnitDriver(
      workId ?? journey.currentSetupWorkId,
      journey.journeyId,
      journey.clientId,
      clock,
    );
  }

  get unit(): UnitOfWork {
    if (this.state.status === 'none') {
      throw new Error(`unit ${this.workId} is not created`);
    }
    return this.state;
  }

  decide(command: UnitOfWorkCommand): readonly UnitOfWorkEvent[] {
    const events = decided(decideUnitOfWork(command, this.state), command.type);
    this.state = events.reduce(evolveUnitOfWork, this.state);
    this.#pending.push(...events);
    return events;
  }

  create(
    tasks: readonly TaskDefinition[] = [task('a'), task('b', ['a'])],
    options: {
      readonly stage?: 'sandbox' | 'pilot' | 'production';
      readonly purpose?: WorkPurpose;
    } = {},
  ): this {
    this.decide({
      type: 'create',
      workId: this.workId,
      journeyId: this.journeyId,
      clientId: this.clientId,
      stage: options.stage ?? 'sandbox',
      purpose: options.purpose ?? 'setup',
      tasks,
      at: this.clock.now(),
    });
    return this;
  }

  execute(): this {
    this.decide({ type: 'execute', at: this.clock.now() });
    return this;
  }

  startTask(taskId: string): number {
    this.decide({ type: 'startTask', taskId: asTaskId(taskId), at: this.clock.now() });
    const found = this.unit.tasks.find((t) => t.taskId === taskId);
    return found?.attempts ?? 0;
  }

  completeTask(taskId: string, attempt: number, output: JsonValue = { ok: taskId }): this {
    this.decide({
      type: 'completeTask',
      taskId: asTaskId(taskId),
      attempt,
      output,
      at: this.clock.now(),
    });
    return this;
  }

  failTask(taskId: string, attempt: number): this {
    this.decide({
      type: 'failTask',
      taskId: asTaskId(taskId),
      attempt,
      failure: { message: 'agent unavailable', retryable: true },
      random: 0.5,
      at: this.clock.now(),
    });
    return this;
  }

  /** Starts and completes a task in one go. */
  runTask(taskId: string, output?: JsonValue): this {
    const attempt = this.startTask(taskId);
    return this.completeTask(taskId, attempt, output);
  }

  cancel(reason = 'journey cancelled'): this {
    this.decide({ type: 'cancel', reason, at: this.clock.now() });
    return this;
  }

  get pending(): readonly UnitOfWorkEvent[] {
    return this.#pending;
  }

  append(meta?: EventMetadata): StreamAppend {
    const append: StreamAppend = {
      streamId: this.workId,
      streamType: 'unit-of-work',
      journeyId: this.journeyId,
      expectedVersion: this.version,
      events: newEvents(this.#pending, meta),
    };
    this.version += this.#pending.length;
    this.#pending = [];
    return append;
  }
}

const JOURNEY_TYPES: ReadonlySet<string> = new Set(JOURNEY_EVENT_TYPES);

export function isJourneyEvent(event: DomainEvent): event is JourneyEvent {
  return JOURNEY_TYPES.has(event.type);
}

export function journeyEventsOf(stored: readonly StoredEvent[]): JourneyEvent[] {
  return stored.map((e) => e.event).filter(isJourneyEvent);
}

export function unitEventsOf(stored: readonly StoredEvent[]): UnitOfWorkEvent[] {
  return stored
    .map((e) => e.event)
    .filter((event): event is UnitOfWorkEvent => !isJourneyEvent(event));
}

/** What the journey read model must hold for a stream: the fold of its events. */
export function expectedJourneyRecord(
  stored: readonly StoredEvent[],
): Omit<JourneyRecord, 'updatedAt'> {
  const state = journeyEventsOf(stored).reduce(evolveJourney, initialJourneyState);
  if (state.status !== 'started') {
    throw new Error('a journey stream that does not start with JourneyStarted');
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
    version: stored.length,
    state,
  };
}

/** What the unit-of-work read model must hold for a stream: the fold of its events. */
export function expectedUnitRecord(
  stored: readonly StoredEvent[],
): Omit<UnitOfWorkRecord, 'updatedAt'> {
  const state = unitEventsOf(stored).reduce(evolveUnitOfWork, initialUnitOfWorkState);
  if (state.status === 'none') {
    throw new Error('a unit-of-work stream that does not start with UnitOfWorkCreated');
  }
  return {
    workId: state.workId,
    journeyId: state.journeyId,
    clientId: state.clientId,
    stage: state.stage,
    purpose: state.purpose,
    status: state.status,
    createdAt: state.createdAt,
    version: stored.length,
    state,
  };
}

/** A read-model row without `updatedAt` (the store's clock, checked on its own). */
export function withoutUpdatedAt<T extends { readonly updatedAt: Instant }>(
  record: T | null,
): Omit<T, 'updatedAt'> | null {
  if (record === null) {
    return null;
  }
  const { updatedAt: _updatedAt, ...rest } = record;
  return rest;
}

/** Reads the whole global log from START in pages: every event in commit order. */
export async function readEverything(store: Store, pageSize = 100): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  let after = '0';
  for (;;) {
    const page = await store.readAll(after, pageSize);
    if (page.events.length === 0) {
      return all;
    }
    all.push(...page.events);
    after = page.next;
  }
}

/** Groups events by stream, keeping their order. */
export function byStream(events: readonly StoredEvent[]): Map<string, StoredEvent[]> {
  const streams = new Map<string, StoredEvent[]>();
  for (const event of events) {
    const list = streams.get(event.streamId) ?? [];
    list.push(event);
    streams.set(event.streamId, list);
  }
  return streams;
}
