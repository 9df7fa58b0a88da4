import { LeaseLostError } from '../application/errors.js';
import type { ClaimRequest, NewWorkItem, WorkItem, WorkKind } from '../application/ports.js';
import { addMillis, type Instant, type JsonValue } from '../domain/index.js';
import { instantOf, parseJson, textOrNull, type Dialect } from './dialect.js';
import type { Row, SqlSession } from './sql.js';

/**
 * The durable work queue. `available_at` is when an item may next be claimed: its due time while
 * it waits, its lease expiry while it is claimed. One index on it serves every claim, and an
 * expired lease needs no sweeper: the item simply becomes claimable again.
 */

export async function enqueue(
  session: SqlSession,
  items: readonly NewWorkItem[],
  now: Instant,
): Promise<void> {
  for (const item of items) {
    const dueAt = new Date(item.dueAt).toISOString();
    await session.run(
      `INSERT INTO work_items (kind, key, journey_id, payload, due_at, available_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $5, $6) ON CONFLICT (key) DO NOTHING`,
      [
        item.kind,
        item.key ?? null,
        item.journeyId ?? null,
        JSON.stringify(item.payload),
        dueAt,
        now,
      ],
    );
  }
}

export async function claim(
  session: SqlSession,
  dialect: Dialect,
  request: ClaimRequest,
): Promise<WorkItem[]> {
  const now = new Date(request.now).toISOString();
  const kinds = request.kinds ?? [];
  const rows = await session.all(
    dialect.claimSql(kinds.length),
    [
      request.owner,
      addMillis(now, request.leaseFor),
      now,
      Math.max(1, Math.floor(request.limit)),
      ...kinds,
    ],
    // Workers claim all the time; one prepared statement per shape (number of kinds).
    `claim_${kinds.length}`,
  );
  return rows
    .map(itemFromRow)
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || Number(a.id) - Number(b.id));
}

/** Removes a finished item; only its current lease owner may. */
export async function completeItem(
  session: SqlSession,
  itemId: string,
  owner: string,
): Promise<void> {
  const removed = await session.run('DELETE FROM work_items WHERE id = $1 AND lease_owner = $2', [
    Number(itemId),
    owner,
  ]);
  if (removed === 0) {
    throw new LeaseLostError(itemId, owner);
  }
}

export async function releaseItem(
  session: SqlSession,
  itemId: string,
  owner: string,
  dueAt: Instant,
  error: string | undefined,
): Promise<void> {
  const at = new Date(dueAt).toISOString();
  const released = await session.run(
    `UPDATE work_items SET lease_owner = NULL, lease_expires_at = NULL, due_at = $1, available_at = $1,
       last_error = COALESCE($2, last_error)
     WHERE id = $3 AND lease_owner = $4`,
    [at, error ?? null, Number(itemId), owner],
  );
  if (released === 0) {
    throw new LeaseLostError(itemId, owner);
  }
}

export async function extendLease(
  session: SqlSession,
  itemId: string,
  owner: string,
  expiresAt: Instant,
): Promise<boolean> {
  const extended = await session.run(
    'UPDATE work_items SET lease_expires_at = $1, available_at = $1 WHERE id = $2 AND lease_owner = $3',
    [expiresAt, Number(itemId), owner],
  );
  return extended > 0;
}

/** Every leased item becomes claimable at its due time (for a sole owner, at start). */
export function releaseAllLeases(session: SqlSession): Promise<number> {
  return session.run(
    `UPDATE work_items SET lease_owner = NULL, lease_expires_at = NULL, available_at = due_at
     WHERE lease_owner IS NOT NULL`,
    [],
  );
}

export async function nextDueAt(session: SqlSession): Promise<Instant | null> {
  const [row] = await session.all('SELECT MIN(available_at) AS next FROM work_items');
  return row?.next == null ? null : instantOf(row.next);
}

export async function countQueued(session: SqlSession): Promise<number> {
  const [row] = await session.all('SELECT COUNT(*) AS n FROM work_items');
  return Number(row?.n ?? 0);
}

function itemFromRow(row: Row): WorkItem {
  return {
    id: String(row.id),
    kind: row.kind as WorkKind,
    key: textOrNull(row.key),
    journeyId: textOrNull(row.journey_id),
    payload: parseJson<JsonValue>(row.payload),
    dueAt: instantOf(row.due_at),
    attempts: Number(row.attempts),
    leaseOwner: String(row.lease_owner),
    leaseExpiresAt: instantOf(row.lease_expires_at),
    lastError: textOrNull(row.last_error),
  };
}
