import {
  ActiveJourneyExistsError,
  ConcurrencyConflictError,
  LeaseLostError,
  toError,
  TransactionConflictError,
} from '../../application/errors.js';
import type { JourneyRecord, UnitOfWorkRecord } from '../../application/ports.js';
import type { AppendPlan, CommitPlan, HeadRow, WrittenEvent } from '../commit-plan.js';
import type { Dialect } from '../dialect.js';
import type { SqlDriver, SqlValue } from '../sql.js';

/**
 * A whole commit is one statement, so one network round trip and one implicit transaction:
 *
 * - the common commit, one stream appended to (with or without queued work and a finished work
 *   item), is one plain-SQL statement of data-modifying CTEs (see `singleAppendSql`), with every
 *   value a typed parameter;
 * - any other commit is one call of the `journey_commit` function (migration 0004).
 *
 * Both lock the stream heads before they touch the queue (migration 0005: no deadlock between two
 * commits that each finish their own item and queue the other's key), and refuse with our
 * SQLSTATEs (`JO001` conflict, `JO002` lease lost), which become the same typed errors.
 */
export async function executePostgresCommit(
  driver: SqlDriver,
  dialect: Dialect,
  plan: CommitPlan,
): Promise<WrittenEvent[]> {
  const [only, ...others] = plan.appends;
  try {
    if (only !== undefined && others.length === 0 && only.events.length <= MAX_EVENTS) {
      return await commitOneAppend(driver, dialect, plan, only);
    }
    return await commitByFunction(driver, dialect, plan);
  } catch (thrown) {
    throw await refusal(driver, dialect, plan, toError(thrown));
  }
}

/** Events in one append that the single statement takes; more go through the function. */
const MAX_EVENTS = 8;

async function commitOneAppend(
  driver: SqlDriver,
  dialect: Dialect,
  plan: CommitPlan,
  append: AppendPlan,
): Promise<WrittenEvent[]> {
  const shape: Shape = {
    table: append.head.table,
    created: append.expectedVersion === 0,
    complete: plan.complete !== undefined,
    enqueue: plan.enqueue.length > 0,
    events: append.events.length,
  };
  const { name, text } = statementFor(shape);
  const rows = await driver.all(text, paramsOf(shape, plan, append), name);
  return rows.map((row) => ({
    streamId: append.streamId,
    version: Number(row.version),
    position: dialect.positionOf(row),
  }));
}

async function commitByFunction(
  driver: SqlDriver,
  dialect: Dialect,
  plan: CommitPlan,
): Promise<WrittenEvent[]> {
  // JSON values travel as JSON (not as strings inside JSON): encoded once here, parsed once there.
  const appends = plan.appends.map(({ streamId, head, expectedVersion, events }) => ({
    streamId,
    table: head.table,
    expectedVersion,
    row: headColumns(dialect, head),
    events,
  }));
  const enqueue = plan.enqueue.map((item) => ({
    kind: item.kind,
    key: item.key ?? null,
    journey_id: item.journeyId ?? null,
    payload: item.payload,
    due_at: item.dueAt,
    created_at: plan.now,
  }));
  const rows = await driver.all(
    'SELECT * FROM journey_commit($1::jsonb, $2::jsonb, $3::jsonb)',
    [
      JSON.stringify(appends),
      JSON.stringify(enqueue),
      plan.complete === undefined ? null : JSON.stringify(plan.complete),
    ],
    // Prepared: parsing and planning the call on every commit cost a sixth of the throughput.
    'journey_commit',
  );
  return rows.map((row) => ({
    streamId: String(row.stream_id),
    version: Number(row.version),
    position: dialect.positionOf(row),
  }));
}

/** What the single statement is built for; each shape is one named prepared statement. */
interface Shape {
  readonly table: HeadRow['table'];
  /** The append starts the stream (expected version 0): the head row is inserted. */
  readonly created: boolean;
  readonly complete: boolean;
  readonly enqueue: boolean;
  readonly events: number;
}

interface Column<R> {
  readonly name: string;
  readonly type: string;
  /** Set by an append to an existing stream (the others never change). */
  readonly updated: boolean;
  value(record: R): SqlValue;
}

const JOURNEY_COLUMNS: readonly Column<JourneyRecord>[] = [
  { name: 'journey_id', type: 'text', updated: false, value: (r) => r.journeyId },
  { name: 'client_id', type: 'text', updated: false, value: (r) => r.clientId },
  { name: 'stage', type: 'text', updated: true, value: (r) => r.stage },
  { name: 'status', type: 'text', updated: true, value: (r) => r.status },
  { name: 'active', type: 'boolean', updated: true, value: (r) => r.active },
  { name: 'playbook_name', type: 'text', updated: false, value: (r) => r.playbook.name },
  { name: 'playbook_version', type: 'integer', updated: false, value: (r) => r.playbook.version },
  { name: 'started_at', type: 'timestamptz', updated: false, value: (r) => r.startedAt },
  { name: 'stage_entered_at', type: 'timestamptz', updated: true, value: (r) => r.stageEnteredAt },
  { name: 'ended_at', type: 'timestamptz', updated: true, value: (r) => r.endedAt },
  { name: 'updated_at', type: 'timestamptz', updated: true, value: (r) => r.updatedAt },
  { name: 'version', type: 'integer', updated: true, value: (r) => r.version },
  { name: 'state', type: 'jsonb', updated: true, value: (r) => JSON.stringify(r.state) },
];

const UNIT_COLUMNS: readonly Column<UnitOfWorkRecord>[] = [
  { name: 'work_id', type: 'text', updated: false, value: (r) => r.workId },
  { name: 'journey_id', type: 'text', updated: false, value: (r) => r.journeyId },
  { name: 'client_id', type: 'text', updated: false, value: (r) => r.clientId },
  { name: 'stage', type: 'text', updated: false, value: (r) => r.stage },
  { name: 'purpose', type: 'text', updated: false, value: (r) => r.purpose },
  { name: 'status', type: 'text', updated: true, value: (r) => r.status },
  { name: 'created_at', type: 'timestamptz', updated: false, value: (r) => r.createdAt },
  { name: 'updated_at', type: 'timestamptz', updated: true, value: (r) => r.updatedAt },
  { name: 'version', type: 'integer', updated: true, value: (r) => r.version },
  { name: 'state', type: 'jsonb', updated: true, value: (r) => JSON.stringify(r.state) },
];

const UPDATED_JOURNEY_COLUMNS = JOURNEY_COLUMNS.filter((column) => column.updated);
const UPDATED_UNIT_COLUMNS = UNIT_COLUMNS.filter((column) => column.updated);

/** The columns of a head row the statement binds: all of them, or the ones an update sets. */
function headColumnsOf(shape: Shape): readonly Column<never>[] {
  if (shape.table === 'journeys') {
    return shape.created ? JOURNEY_COLUMNS : UPDATED_JOURNEY_COLUMNS;
  }
  return shape.created ? UNIT_COLUMNS : UPDATED_UNIT_COLUMNS;
}

/** Per event, after the stream's own values (stream_id, stream_type, journey_id, recorded_at). */
const EVENT_COLUMNS = [
  ['event_id', 'text'],
  ['version', 'integer'],
  ['type', 'text'],
  ['data', 'jsonb'],
  ['metadata', 'jsonb'],
  ['occurred_at', 'timestamptz'],
] as const;

const statements = new Map<number, { readonly name: string; readonly text: string }>();

function statementFor(shape: Shape): { readonly name: string; readonly text: string } {
  const key =
    (shape.table === 'journeys' ? 1 : 0) +
    (shape.created ? 2 : 0) +
    (shape.complete ? 4 : 0) +
    (shape.enqueue ? 8 : 0) +
    shape.events * 16;
  let statement = statements.get(key);
  if (statement === undefined) {
    statement = { name: `journey_append_${key}`, text: singleAppendSql(shape) };
    statements.set(key, statement);
  }
  return statement;
}

/**
 * One append (and the commit's queued work and finished item) as one statement. Each CTE runs
 * once, all with the same snapshot; the order that matters is forced by what each one reads,
 * and is the function's (migration 0005): the stream head first, then the queue.
 *
 * - `head` moves the stream's row from the expected version to the new one (or inserts it for a
 *   new stream): the concurrency check. Every other CTE reads it, so it runs first and a
 *   concurrent writer of the stream waits here, before it touches the queue;
 * - `ev` inserts the events, for a head that moved;
 * - `done` deletes the finished work item if this owner still holds it; `queued` reads it, so a
 *   new item may take over the finished one's key;
 * - the final SELECT always returns a row, and raises `JO001` if the head did not move, else
 *   `JO002` if the item was not deleted: the error undoes everything the statement wrote.
 *
 * Parameters are numbered in the order `paramsOf` pushes them.
 */
function singleAppendSql(shape: Shape): string {
  let count = 0;
  const param = (type: string): string => `$${(count += 1)}::${type}`;
  const table = shape.table;
  const key = table === 'journeys' ? 'journey_id' : 'work_id';
  const ctes: string[] = [];

  const columns = headColumnsOf(shape);
  const values = columns.map((column) => param(column.type));
  let streamId: string;
  let expected = '0';
  if (shape.created) {
    streamId = values[0] ?? '';
    ctes.push(
      `head AS (INSERT INTO ${table} AS h (${columns.map((c) => c.name).join(', ')})
        VALUES (${values.join(', ')})
        ON CONFLICT (${key}) DO NOTHING RETURNING h.version)`,
    );
  } else {
    streamId = param('text');
    expected = param('integer');
    ctes.push(
      `head AS (UPDATE ${table} AS h SET ${columns.map((c, i) => `${c.name} = ${values[i] ?? ''}`).join(', ')}
        WHERE h.${key} = ${streamId} AND h.version = ${expected}
        RETURNING h.version)`,
    );
  }

  const stream = ['stream_id', 'stream_type', 'journey_id', 'recorded_at'].map((column) =>
    column === 'recorded_at' ? param('timestamptz') : param('text'),
  );
  const tuples = Array.from(
    { length: shape.events },
    () => `(${EVENT_COLUMNS.map(([, type]) => param(type)).join(', ')})`,
  );
  const eventNames = EVENT_COLUMNS.map(([name]) => name);
  ctes.push(
    `ev AS (INSERT INTO events AS e (stream_id, stream_type, journey_id, recorded_at, ${eventNames.join(', ')})
      SELECT ${stream.join(', ')}, ${eventNames.map((name) => `v.${name}`).join(', ')}
        FROM head, (VALUES ${tuples.join(', ')}) AS v (${eventNames.join(', ')})
      RETURNING e.version, e.position, e.tx)`,
  );

  let leaseLost = '';
  let queueAfter = 'EXISTS (SELECT FROM head)';
  if (shape.complete) {
    const itemId = param('bigint');
    const owner = param('text');
    ctes.push(
      `done AS (DELETE FROM work_items
        WHERE id = ${itemId} AND lease_owner = ${owner} AND EXISTS (SELECT FROM head) RETURNING id)`,
    );
    queueAfter = 'EXISTS (SELECT FROM done)';
    leaseLost = `WHEN NOT EXISTS (SELECT FROM done) THEN journey_refuse('JO002', ${itemId}::text,
         format('work item %s is no longer leased by %s', ${itemId}, ${owner}))`;
  }

  if (shape.enqueue) {
    const items = param('jsonb');
    const now = param('timestamptz');
    ctes.push(
      `queued AS (INSERT INTO work_items (kind, key, journey_id, payload, due_at, available_at, created_at)
        SELECT x.kind, x.key, x.journey_id, x.payload, x.due_at, x.due_at, ${now}
          FROM jsonb_to_recordset(${items}) AS x (kind text, key text, journey_id text, payload jsonb, due_at timestamptz)
         WHERE ${queueAfter}
        ON CONFLICT (key) DO NOTHING)`,
    );
  }

  return `WITH ${ctes.join(',\n')}
    SELECT ev.version, ev.position, ev.tx,
      CASE
        WHEN NOT EXISTS (SELECT FROM head) THEN journey_refuse('JO001', ${streamId},
          format('stream %s is not at version %s', ${streamId}, ${expected}))
        ${leaseLost}
      END AS refused
    FROM (SELECT) AS one LEFT JOIN ev ON true`;
}

/** The statement's parameters, in the order `singleAppendSql` numbers them. */
function paramsOf(shape: Shape, plan: CommitPlan, append: AppendPlan): SqlValue[] {
  const params: SqlValue[] = [];
  const record = append.head.record as never;
  for (const column of headColumnsOf(shape)) {
    params.push(column.value(record));
  }
  if (!shape.created) {
    params.push(append.streamId, append.expectedVersion);
  }
  const first = append.events[0];
  params.push(
    append.streamId,
    first?.stream_type ?? '',
    first?.journey_id ?? '',
    first?.recorded_at ?? plan.now,
  );
  for (const e of append.events) {
    params.push(
      e.event_id,
      e.version,
      e.type,
      JSON.stringify(e.data),
      JSON.stringify(e.metadata),
      e.occurred_at,
    );
  }
  if (plan.complete !== undefined) {
    params.push(plan.complete.itemId, plan.complete.leaseOwner);
  }
  if (shape.enqueue) {
    params.push(
      JSON.stringify(
        plan.enqueue.map((item) => ({
          kind: item.kind,
          key: item.key ?? null,
          journey_id: item.journeyId ?? null,
          payload: item.payload,
          due_at: item.dueAt,
        })),
      ),
      plan.now,
    );
  }
  return params;
}

/** The row of a head as column -> value, as the function reads it. */
function headColumns(dialect: Dialect, head: HeadRow): Record<string, SqlValue | object> {
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

async function refusal(
  driver: SqlDriver,
  dialect: Dialect,
  plan: CommitPlan,
  error: Error,
): Promise<Error> {
  const { code, detail } = error as { code?: unknown; detail?: unknown };
  if (code === '40P01' || code === '40001') {
    return new TransactionConflictError(error.message, { cause: error });
  }
  if (code === 'JO002' && plan.complete !== undefined) {
    return new LeaseLostError(plan.complete.itemId, plan.complete.leaseOwner);
  }
  if (code === 'JO001') {
    const append = plan.appends.find((a) => a.streamId === detail);
    if (append !== undefined) {
      const key = append.head.table === 'journeys' ? 'journey_id' : 'work_id';
      const [row] = await driver.all(`SELECT version FROM ${append.head.table} WHERE ${key} = $1`, [
        append.streamId,
      ]);
      return new ConcurrencyConflictError(
        append.streamId,
        append.expectedVersion,
        row === undefined ? 0 : Number(row.version),
      );
    }
  }
  if (dialect.isActiveJourneyViolation(error)) {
    const started = plan.appends.find(
      (a) => a.head.table === 'journeys' && a.expectedVersion === 0,
    );
    return new ActiveJourneyExistsError(
      started?.head.table === 'journeys' ? started.head.record.clientId : 'unknown',
    );
  }
  return error;
}
