import {
  ActiveJourneyExistsError,
  ConcurrencyConflictError,
  LeaseLostError,
} from '../../application/errors.js';
import type { JourneyRecord, UnitOfWorkRecord } from '../../application/ports.js';
import type { JourneyState, UnitOfWorkState } from '../../domain/index.js';
import type { AppendPlan, CommitPlan, HeadRow, WrittenEvent } from '../commit-plan.js';
import { journeyRecord, unitOfWorkRecord } from '../projection.js';
import type { SqliteWriter } from './sqlite-driver.js';

/**
 * Writes a commit plan inside a write transaction (SqliteDriver.write), synchronously: a
 * statement costs no network round trip here, so the plan is written statement by statement,
 * each prepared once and bound by position. This is the whole per-append path on SQLite, so it
 * builds no SQL and no intermediate objects beyond the values it binds.
 */
export function writeSqlitePlan(writer: SqliteWriter, plan: CommitPlan): WrittenEvent[] {
  const written: WrittenEvent[] = [];
  for (const append of plan.appends) {
    moveHead(writer, append);
    const insert = writer.statement(INSERT_EVENT);
    for (const e of append.events) {
      // The statement gives the position itself (see INSERT_EVENT): the row id it reports.
      const position = insert.run(
        e.event_id,
        e.stream_id,
        e.stream_type,
        e.version,
        e.journey_id,
        e.type,
        JSON.stringify(e.data),
        JSON.stringify(e.metadata),
        e.occurred_at,
        e.recorded_at,
      ).lastInsertRowid;
      written.push({ streamId: e.stream_id, version: e.version, position: String(position) });
    }
  }
  // Stream heads first, then the queue, in the same order as on PostgreSQL (migration 0005),
  // so a commit both stale and without its lease fails the same way on both backends.
  if (plan.complete !== undefined) {
    const { itemId, leaseOwner } = plan.complete;
    if (writer.statement(DELETE_ITEM).run(Number(itemId), leaseOwner).changes === 0) {
      throw new LeaseLostError(itemId, leaseOwner);
    }
  }
  if (plan.enqueue.length > 0) {
    const enqueue = writer.statement(ENQUEUE);
    for (const item of plan.enqueue) {
      enqueue.run(
        item.kind,
        item.key ?? null,
        item.journeyId ?? null,
        JSON.stringify(item.payload),
        item.dueAt,
        item.dueAt,
        plan.now,
      );
    }
  }
  return written;
}

/**
 * Positions are given here, under the write lock, above both the highest one in the table and
 * `log_floor` (which a prune raises before it deletes the newest events), so none is ever handed
 * out twice. Computed inside each INSERT (two index seeks; the events of one commit still get
 * consecutive positions), not by a query of its own before the first: one statement fewer per
 * commit. `position` is the row id, which `run` reports.
 */
const INSERT_EVENT = `INSERT INTO events (position, event_id, stream_id, stream_type, version, journey_id, type, data, metadata, occurred_at, recorded_at)
  VALUES (MAX(COALESCE((SELECT MAX(position) FROM events), 0), (SELECT position FROM log_floor)) + 1,
    ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

const DELETE_ITEM = 'DELETE FROM work_items WHERE id = ? AND lease_owner = ?';

const ENQUEUE = `INSERT INTO work_items (kind, key, journey_id, payload, due_at, available_at, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`;

const INSERT_JOURNEY = `INSERT INTO journeys (journey_id, client_id, stage, status, active, playbook_name, playbook_version,
    started_at, stage_entered_at, ended_at, updated_at, version, state)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (journey_id) DO NOTHING`;

const INSERT_UNIT = `INSERT INTO units_of_work (work_id, journey_id, client_id, stage, purpose, status, created_at,
    updated_at, version, state)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (work_id) DO NOTHING`;

/** Moves the stream's row from the expected version to the new one: the concurrency check. */
function moveHead(writer: SqliteWriter, append: AppendPlan): void {
  const { head } = append;
  let moved: number;
  try {
    moved =
      head.table === 'journeys'
        ? moveJourney(writer, head.record, append)
        : moveUnit(writer, head.record, append);
  } catch (error) {
    if (head.table === 'journeys' && isActiveJourneyViolation(error)) {
      throw new ActiveJourneyExistsError(head.record.clientId);
    }
    throw error;
  }
  if (moved === 0) {
    const key = head.table === 'journeys' ? 'journey_id' : 'work_id';
    const row = writer
      .statement(`SELECT version FROM ${head.table} WHERE ${key} = ?`)
      .get(append.streamId) as { version: number } | undefined;
    throw new ConcurrencyConflictError(
      append.streamId,
      append.expectedVersion,
      row === undefined ? 0 : Number(row.version),
    );
  }
}

export function isActiveJourneyViolation(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 'SQLITE_CONSTRAINT_UNIQUE' && String(message).includes('journeys.client_id');
}

function moveJourney(writer: SqliteWriter, r: JourneyRecord, append: AppendPlan): number {
  const state = JSON.stringify(r.state);
  if (append.expectedVersion === 0) {
    return writer
      .statement(INSERT_JOURNEY)
      .run(
        r.journeyId,
        r.clientId,
        r.stage,
        r.status,
        r.active ? 1 : 0,
        r.playbook.name,
        r.playbook.version,
        r.startedAt,
        r.stageEnteredAt,
        r.endedAt,
        r.updatedAt,
        r.version,
        state,
      ).changes;
  }
  // SQLite rewrites the index entries of every column an UPDATE sets, whether or not its value
  // changed: set the indexed columns only when they change.
  const before = append.before as JourneyState;
  const previous = before.status === 'none' ? undefined : journeyRecord(before, 0, '');
  const values: (string | number | null)[] = [r.updatedAt, r.version, state];
  let changed = 0;
  JOURNEY_INDEXED.forEach((column, bit) => {
    const value = column.value(r);
    if (previous === undefined || column.value(previous) !== value) {
      changed |= 1 << bit;
      values.push(value);
    }
  });
  values.push(r.journeyId, append.expectedVersion);
  return writer.statement(updateSql('journeys', JOURNEY_INDEXED, changed)).run(values).changes;
}

function moveUnit(writer: SqliteWriter, r: UnitOfWorkRecord, append: AppendPlan): number {
  const state = JSON.stringify(r.state);
  if (append.expectedVersion === 0) {
    return writer
      .statement(INSERT_UNIT)
      .run(
        r.workId,
        r.journeyId,
        r.clientId,
        r.stage,
        r.purpose,
        r.status,
        r.createdAt,
        r.updatedAt,
        r.version,
        state,
      ).changes;
  }
  const before = append.before as UnitOfWorkState;
  const previous = before.status === 'none' ? undefined : unitOfWorkRecord(before, 0, '');
  const values: (string | number | null)[] = [r.updatedAt, r.version, state];
  let changed = 0;
  UNIT_INDEXED.forEach((column, bit) => {
    const value = column.value(r);
    if (previous === undefined || column.value(previous) !== value) {
      changed |= 1 << bit;
      values.push(value);
    }
  });
  values.push(r.workId, append.expectedVersion);
  return writer.statement(updateSql('units_of_work', UNIT_INDEXED, changed)).run(values).changes;
}

interface IndexedColumn<R> {
  readonly name: string;
  value(record: R): string | number | null;
}

/** The indexed columns of the read models (see the migrations), and their values. */
const JOURNEY_INDEXED: readonly IndexedColumn<JourneyRecord>[] = [
  { name: 'stage', value: (r) => r.stage },
  { name: 'status', value: (r) => r.status },
  { name: 'active', value: (r) => (r.active ? 1 : 0) },
  { name: 'stage_entered_at', value: (r) => r.stageEnteredAt },
  { name: 'ended_at', value: (r) => r.endedAt },
];

const UNIT_INDEXED: readonly IndexedColumn<UnitOfWorkRecord>[] = [
  { name: 'status', value: (r) => r.status },
];

const updates = new Map<string, string>();

/** `UPDATE ... SET updated_at, version, state[, changed indexed columns] WHERE key AND version`. */
function updateSql<R>(
  table: HeadRow['table'],
  indexed: readonly IndexedColumn<R>[],
  changed: number,
): string {
  const cacheKey = `${table}:${changed}`;
  let sql = updates.get(cacheKey);
  if (sql === undefined) {
    const set = [
      'updated_at',
      'version',
      'state',
      ...indexed.filter((_, bit) => (changed & (1 << bit)) !== 0).map((c) => c.name),
    ];
    const key = table === 'journeys' ? 'journey_id' : 'work_id';
    sql = `UPDATE ${table} SET ${set.map((name) => `${name} = ?`).join(', ')} WHERE ${key} = ? AND version = ?`;
    updates.set(cacheKey, sql);
  }
  return sql;
}
