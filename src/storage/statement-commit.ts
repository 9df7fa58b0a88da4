import { ActiveJourneyExistsError, ConcurrencyConflictError } from '../application/errors.js';
import {
  changedColumns,
  type AppendPlan,
  type CommitPlan,
  type HeadRow,
  type WrittenEvent,
} from './commit-plan.js';
import type { Dialect } from './dialect.js';
import * as queue from './sql-work-queue.js';
import { placeholders, type SqlSession, type SqlValue } from './sql.js';

/**
 * Writes a commit plan statement by statement inside the caller's transaction. SQLite only:
 * there a statement costs no network round trip, and positions are given here (see
 * insertEvents). PostgreSQL sends the whole plan in one call (postgres-commit.ts).
 */
export async function writePlan(
  session: SqlSession,
  dialect: Dialect,
  plan: CommitPlan,
): Promise<WrittenEvent[]> {
  if (plan.complete !== undefined) {
    await queue.completeItem(session, plan.complete.itemId, plan.complete.leaseOwner);
  }
  const written: WrittenEvent[] = [];
  for (const append of plan.appends) {
    await moveHead(session, dialect, append);
    written.push(...(await insertEvents(session, append)));
  }
  if (plan.enqueue.length > 0) {
    await queue.enqueue(session, plan.enqueue, plan.now);
  }
  return written;
}

/** Moves the stream's row from the expected version to the new one: the concurrency check. */
async function moveHead(session: SqlSession, dialect: Dialect, append: AppendPlan): Promise<void> {
  const { sql, params } =
    append.expectedVersion === 0 ? insertHead(dialect, append.head) : updateHead(dialect, append);
  let moved: number;
  try {
    moved = await session.run(sql, params);
  } catch (error) {
    if (dialect.isActiveJourneyViolation(error) && append.head.table === 'journeys') {
      throw new ActiveJourneyExistsError(append.head.record.clientId);
    }
    throw error;
  }
  if (moved === 0) {
    const [row] = await session.all(
      `SELECT version FROM ${append.head.table} WHERE ${keyOf(append.head)} = $1`,
      [append.streamId],
    );
    throw new ConcurrencyConflictError(
      append.streamId,
      append.expectedVersion,
      row === undefined ? 0 : Number(row.version),
    );
  }
}

/**
 * Inserts a stream's events at the next positions. The write lock is held (BEGIN IMMEDIATE), so
 * reading the top position and inserting above it cannot race; `log_floor` keeps positions
 * rising even after a prune deleted the newest events.
 */
async function insertEvents(session: SqlSession, append: AppendPlan): Promise<WrittenEvent[]> {
  const [top] = await session.all(
    'SELECT MAX(COALESCE((SELECT MAX(position) FROM events), 0), (SELECT position FROM log_floor)) AS top',
  );
  const first = Number(top?.top ?? 0) + 1;
  const params: SqlValue[] = [];
  const tuples = append.events.map((e, index) => {
    const start = params.length + 1;
    params.push(
      first + index,
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
    );
    return `(${placeholders(11, start)})`;
  });
  await session.run(
    `INSERT INTO events (position, event_id, stream_id, stream_type, version, journey_id, type, data, metadata, occurred_at, recorded_at)
     VALUES ${tuples.join(', ')}`,
    params,
  );
  return append.events.map((e, index) => ({
    streamId: e.stream_id,
    version: e.version,
    position: String(first + index),
  }));
}

function keyOf(head: HeadRow): string {
  return head.table === 'journeys' ? 'journey_id' : 'work_id';
}

/** The row of a head as column -> value, in one place for insert and update. */
export function headColumns(dialect: Dialect, head: HeadRow): Record<string, SqlValue | object> {
  if (head.table === 'journeys') {
    const r = head.record;
    return {
      journey_id: r.journeyId,
      client_id: r.clientId,
      stage: r.stage,
      status: r.status,
      active: dialect.bool(r.active),
      playbook_name: r.playbook.name,
      playbook_version: r.playbook.version,
      started_at: r.startedAt,
      stage_entered_at: r.stageEnteredAt,
      ended_at: r.endedAt,
      updated_at: r.updatedAt,
      version: r.version,
      state: r.state,
    };
  }
  const r = head.record;
  return {
    work_id: r.workId,
    journey_id: r.journeyId,
    client_id: r.clientId,
    stage: r.stage,
    purpose: r.purpose,
    status: r.status,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    version: r.version,
    state: r.state,
  };
}

function insertHead(dialect: Dialect, head: HeadRow): { sql: string; params: SqlValue[] } {
  const columns = headColumns(dialect, head);
  const names = Object.keys(columns);
  return {
    sql: `INSERT INTO ${head.table} (${names.join(', ')}) VALUES (${placeholders(names.length)})
          ON CONFLICT (${keyOf(head)}) DO NOTHING`,
    params: Object.values(columns).map(asParam),
  };
}

/** The state column is an object in the head row; SQLite stores it as JSON text. */
function asParam(value: SqlValue | object): SqlValue {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : value;
}

/**
 * Every update writes the state, version and time; the indexed columns only when their value
 * changes, because SQLite rewrites the index entries of every column an UPDATE sets.
 */
const ALWAYS = ['updated_at', 'version', 'state'];

function updateHead(dialect: Dialect, append: AppendPlan): { sql: string; params: SqlValue[] } {
  const { head, expectedVersion } = append;
  const set = new Set([...ALWAYS, ...changedColumns(head, append.before)]);
  const columns = Object.entries(headColumns(dialect, head)).filter(([name]) => set.has(name));
  const params = [
    ...columns.map(([, value]) => asParam(value)),
    head.table === 'journeys' ? head.record.journeyId : head.record.workId,
    expectedVersion,
  ];
  return {
    sql: `UPDATE ${head.table} SET ${columns.map(([name], i) => `${name} = $${i + 1}`).join(', ')}
          WHERE ${keyOf(head)} = $${columns.length + 1} AND version = $${columns.length + 2}`,
    params,
  };
}
