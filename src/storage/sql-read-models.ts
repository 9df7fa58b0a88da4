import type { JourneyFilter, JourneyRecord, Page, UnitOfWorkRecord } from '../application/ports.js';
import {
  ALL_STAGES,
  type JourneyStatusKind,
  type Stage,
  type StartedJourney,
  type UnitOfWork,
  type UnitOfWorkStatus,
  type WorkingStage,
  type WorkPurpose,
} from '../domain/index.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { instantOf, parseJson, type Dialect } from './dialect.js';
import type { Row, SqlSession, SqlValue } from './sql.js';

/** The read models' questions: the specification's repository finders, plus paging. */

const JOURNEY_COLUMNS =
  'journey_id, client_id, stage, status, active, playbook_name, playbook_version, started_at, stage_entered_at, ended_at, updated_at, version, state';
const UNIT_COLUMNS =
  'work_id, journey_id, client_id, stage, purpose, status, created_at, updated_at, version, state';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export async function findJourney(
  session: SqlSession,
  journeyId: string,
): Promise<JourneyRecord | null> {
  const [row] = await session.all(`SELECT ${JOURNEY_COLUMNS} FROM journeys WHERE journey_id = $1`, [
    journeyId,
  ]);
  return row === undefined ? null : journeyFromRow(row);
}

/** The client's active journey if it has one, else the one it started last. */
export async function findJourneyByClientId(
  session: SqlSession,
  clientId: string,
): Promise<JourneyRecord | null> {
  const [row] = await session.all(
    `SELECT ${JOURNEY_COLUMNS} FROM journeys WHERE client_id = $1
     ORDER BY active DESC, started_at DESC, journey_id DESC LIMIT 1`,
    [clientId],
  );
  return row === undefined ? null : journeyFromRow(row);
}

/** Newest first, paged by keyset on (started_at, journey_id): stable under concurrent inserts. */
export async function listJourneys(
  session: SqlSession,
  dialect: Dialect,
  filter: JourneyFilter = {},
): Promise<Page<JourneyRecord>> {
  const limit = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(filter.limit ?? DEFAULT_PAGE_SIZE)));
  const where: string[] = [];
  const params: SqlValue[] = [];
  const add = (clause: (n: string) => string, ...values: SqlValue[]) => {
    const refs = values.map((value) => {
      params.push(value);
      return `$${params.length}`;
    });
    where.push(clause(refs.join(', ')));
    return refs;
  };
  if (filter.stage !== undefined) {
    add((p) => `stage = ${p}`, filter.stage);
  }
  if (filter.status !== undefined) {
    add((p) => `status = ${p}`, filter.status);
  }
  if (filter.active !== undefined) {
    add((p) => `active = ${p}`, dialect.bool(filter.active));
  }
  if (filter.clientId !== undefined) {
    add((p) => `client_id = ${p}`, filter.clientId);
  }
  if (filter.cursor != null) {
    const cursor = decodeCursor(filter.cursor);
    add((p) => `(started_at, journey_id) < (${p})`, cursor.startedAt, cursor.journeyId);
  }
  params.push(limit + 1);
  const rows = await session.all(
    `SELECT ${JOURNEY_COLUMNS} FROM journeys ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY started_at DESC, journey_id DESC LIMIT $${params.length}`,
    params,
  );
  const items = rows.slice(0, limit).map(journeyFromRow);
  const last = items.at(-1);
  return {
    items,
    nextCursor:
      rows.length > limit && last !== undefined
        ? encodeCursor({ startedAt: last.startedAt, journeyId: last.journeyId })
        : null,
  };
}

export async function findUnitOfWork(
  session: SqlSession,
  workId: string,
): Promise<UnitOfWorkRecord | null> {
  const [row] = await session.all(`SELECT ${UNIT_COLUMNS} FROM units_of_work WHERE work_id = $1`, [
    workId,
  ]);
  return row === undefined ? null : unitFromRow(row);
}

export async function findUnitsOfWorkByClientAndStage(
  session: SqlSession,
  clientId: string,
  stage: WorkingStage,
): Promise<UnitOfWorkRecord[]> {
  const rows = await session.all(
    `SELECT ${UNIT_COLUMNS} FROM units_of_work WHERE client_id = $1 AND stage = $2 ORDER BY created_at, work_id`,
    [clientId, stage],
  );
  return rows.map(unitFromRow);
}

/** One grouped count (the stage index answers it): cheap enough for every /metrics scrape. */
export async function countJourneysByStage(session: SqlSession): Promise<Record<Stage, number>> {
  const counts = Object.fromEntries(ALL_STAGES.map((stage) => [stage, 0])) as Record<Stage, number>;
  const rows = await session.all('SELECT stage, COUNT(*) AS n FROM journeys GROUP BY stage');
  for (const row of rows) {
    const stage = String(row.stage);
    if (stage in counts) {
      counts[stage as Stage] = Number(row.n);
    }
  }
  return counts;
}

function journeyFromRow(row: Row): JourneyRecord {
  return {
    journeyId: String(row.journey_id),
    clientId: String(row.client_id),
    stage: row.stage as Stage,
    status: row.status as JourneyStatusKind,
    active: Boolean(row.active),
    playbook: { name: String(row.playbook_name), version: Number(row.playbook_version) },
    startedAt: instantOf(row.started_at),
    stageEnteredAt: instantOf(row.stage_entered_at),
    endedAt: row.ended_at == null ? null : instantOf(row.ended_at),
    updatedAt: instantOf(row.updated_at),
    version: Number(row.version),
    state: parseJson<StartedJourney>(row.state),
  };
}

function unitFromRow(row: Row): UnitOfWorkRecord {
  return {
    workId: String(row.work_id),
    journeyId: String(row.journey_id),
    clientId: String(row.client_id),
    stage: row.stage as WorkingStage,
    purpose: row.purpose as WorkPurpose,
    status: row.status as UnitOfWorkStatus,
    createdAt: instantOf(row.created_at),
    updatedAt: instantOf(row.updated_at),
    version: Number(row.version),
    state: parseJson<UnitOfWork>(row.state),
  };
}
