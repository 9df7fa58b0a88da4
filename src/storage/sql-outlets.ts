import type {
  DeadLetter,
  GlobalPosition,
  NewDeadLetter,
  OutletCheckpoint,
  OutletLease,
  Page,
} from '../application/ports.js';
import { addMillis, type Instant, type JsonValue } from '../domain/index.js';
import { instantOf, parseJson, textOrNull } from './dialect.js';
import type { Row, SqlDriver, SqlSession } from './sql.js';

/**
 * The relay's durable state (OutletLog): one checkpoint row per outlet carrying the lease of the
 * process delivering to it, and the outlet's dead letters. The lease is the fence: a checkpoint
 * only moves for its current owner, so a process that lost its lease (paused, partitioned)
 * cannot move it back or forward; at worst it delivered a few events twice (at least once).
 */

const LEASE_FREE = `(lease_owner IS NULL OR lease_owner = $2 OR lease_expires_at <= $3)`;

export async function acquireOutlet(
  driver: SqlDriver,
  lease: OutletLease & { readonly initialPosition: GlobalPosition },
): Promise<OutletCheckpoint | null> {
  const now = iso(lease.now);
  return driver.transaction(async (session) => {
    await session.run(
      `INSERT INTO outlet_checkpoints (outlet, position, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (outlet) DO NOTHING`,
      [lease.outlet, lease.initialPosition, now],
    );
    const [row] = await session.all(
      `UPDATE outlet_checkpoints SET lease_owner = $2, lease_expires_at = $4
       WHERE outlet = $1 AND ${LEASE_FREE} RETURNING *`,
      [lease.outlet, lease.owner, now, addMillis(now, lease.leaseFor)],
    );
    return row === undefined ? null : checkpointFromRow(row);
  });
}

export async function advanceOutlet(
  driver: SqlDriver,
  lease: OutletLease & {
    readonly position: GlobalPosition;
    readonly delivered: number;
    readonly deadLetters: readonly NewDeadLetter[];
  },
): Promise<boolean> {
  const now = iso(lease.now);
  return driver.transaction(async (session) => {
    // Only the owner moves it, even if its lease ran out meanwhile: nobody else took it then.
    const moved = await session.run(
      `UPDATE outlet_checkpoints
         SET position = $3, delivered = delivered + $4, lease_expires_at = $5, updated_at = $6
       WHERE outlet = $1 AND lease_owner = $2`,
      [
        lease.outlet,
        lease.owner,
        lease.position,
        lease.delivered,
        addMillis(now, lease.leaseFor),
        now,
      ],
    );
    if (moved === 0) {
      return false;
    }
    for (const letter of lease.deadLetters) {
      await insertDeadLetter(session, lease.outlet, letter);
    }
    return true;
  });
}

async function insertDeadLetter(
  session: SqlSession,
  outlet: string,
  letter: NewDeadLetter,
): Promise<void> {
  // A replayed event that fails again is already here: keep one row with the latest failure.
  await session.run(
    `INSERT INTO outlet_dead_letters
       (outlet, event_id, journey_id, type, position, envelope, attempts, last_error, dead_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (outlet, event_id) DO UPDATE SET attempts = excluded.attempts,
       last_error = excluded.last_error, dead_at = excluded.dead_at, replay_requested_at = NULL`,
    [
      outlet,
      letter.eventId,
      letter.journeyId,
      letter.type,
      letter.position,
      JSON.stringify(letter.envelope),
      letter.attempts,
      letter.lastError,
      iso(letter.deadAt),
    ],
  );
}

/** Every outlet lease at once: only for the SQLite owner at start (see releaseAllLeases). */
export async function releaseAllOutletLeases(driver: SqlDriver): Promise<void> {
  await driver.run('UPDATE outlet_checkpoints SET lease_owner = NULL, lease_expires_at = NULL');
}

export async function releaseOutlet(
  driver: SqlDriver,
  outlet: string,
  owner: string,
): Promise<void> {
  await driver.run(
    `UPDATE outlet_checkpoints SET lease_owner = NULL, lease_expires_at = NULL
     WHERE outlet = $1 AND lease_owner = $2`,
    [outlet, owner],
  );
}

export async function findOutlet(
  driver: SqlDriver,
  outlet: string,
): Promise<OutletCheckpoint | null> {
  const [row] = await driver.all('SELECT * FROM outlet_checkpoints WHERE outlet = $1', [outlet]);
  return row === undefined ? null : checkpointFromRow(row);
}

export async function listOutlets(driver: SqlDriver): Promise<OutletCheckpoint[]> {
  const rows = await driver.all('SELECT * FROM outlet_checkpoints ORDER BY outlet');
  return rows.map(checkpointFromRow);
}

/** Oldest first by dead time, then event id; the cursor is the last row's `<deadAt> <eventId>`. */
export async function listDeadLetters(
  driver: SqlDriver,
  outlet: string,
  page: { readonly limit?: number; readonly after?: string | null } = {},
): Promise<Page<DeadLetter>> {
  const limit = Math.min(Math.max(1, Math.floor(page.limit ?? 50)), 500);
  const after = page.after == null ? null : splitCursor(page.after);
  const rows = await driver.all(
    `SELECT * FROM outlet_dead_letters WHERE outlet = $1
       ${after === null ? '' : 'AND (dead_at > $3 OR (dead_at = $3 AND event_id > $4))'}
     ORDER BY dead_at, event_id LIMIT $2`,
    after === null ? [outlet, limit + 1] : [outlet, limit + 1, after.deadAt, after.eventId],
  );
  const items = rows.slice(0, limit).map(deadLetterFromRow);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last !== undefined ? `${last.deadAt} ${last.eventId}` : null,
  };
}

export async function countDeadLetters(driver: SqlDriver, outlet: string): Promise<number> {
  const [row] = await driver.all(
    'SELECT COUNT(*) AS n FROM outlet_dead_letters WHERE outlet = $1',
    [outlet],
  );
  return Number(row?.n ?? 0);
}

export function requestReplay(
  driver: SqlDriver,
  outlet: string,
  eventId: string | null,
  now: Instant,
): Promise<number> {
  return eventId === null
    ? driver.run(
        'UPDATE outlet_dead_letters SET replay_requested_at = $2 WHERE outlet = $1 AND replay_requested_at IS NULL',
        [outlet, iso(now)],
      )
    : driver.run(
        'UPDATE outlet_dead_letters SET replay_requested_at = $3 WHERE outlet = $1 AND event_id = $2',
        [outlet, eventId, iso(now)],
      );
}

export async function replayRequests(
  driver: SqlDriver,
  outlet: string,
  limit: number,
): Promise<DeadLetter[]> {
  const rows = await driver.all(
    `SELECT * FROM outlet_dead_letters WHERE outlet = $1 AND replay_requested_at IS NOT NULL
     ORDER BY dead_at, event_id LIMIT $2`,
    [outlet, Math.max(1, Math.floor(limit))],
  );
  return rows.map(deadLetterFromRow);
}

export async function settleReplay(
  driver: SqlDriver,
  outlet: string,
  eventId: string,
  outcome:
    | { readonly delivered: true }
    | { readonly delivered: false; readonly error: string; readonly attempts: number },
): Promise<void> {
  if (outcome.delivered) {
    await driver.run('DELETE FROM outlet_dead_letters WHERE outlet = $1 AND event_id = $2', [
      outlet,
      eventId,
    ]);
    return;
  }
  await driver.run(
    `UPDATE outlet_dead_letters SET replay_requested_at = NULL, last_error = $3, attempts = $4
     WHERE outlet = $1 AND event_id = $2`,
    [outlet, eventId, outcome.error, outcome.attempts],
  );
}

export async function discardDeadLetter(
  driver: SqlDriver,
  outlet: string,
  eventId: string,
): Promise<boolean> {
  const removed = await driver.run(
    'DELETE FROM outlet_dead_letters WHERE outlet = $1 AND event_id = $2',
    [outlet, eventId],
  );
  return removed > 0;
}

function checkpointFromRow(row: Row): OutletCheckpoint {
  return {
    outlet: String(row.outlet),
    position: String(row.position),
    leaseOwner: textOrNull(row.lease_owner),
    leaseExpiresAt: row.lease_expires_at == null ? null : instantOf(row.lease_expires_at),
    delivered: Number(row.delivered),
    updatedAt: instantOf(row.updated_at),
  };
}

function deadLetterFromRow(row: Row): DeadLetter {
  return {
    outlet: String(row.outlet),
    eventId: String(row.event_id),
    journeyId: String(row.journey_id),
    type: String(row.type),
    position: String(row.position),
    envelope: parseJson<JsonValue>(row.envelope),
    attempts: Number(row.attempts),
    lastError: String(row.last_error),
    deadAt: instantOf(row.dead_at),
    replayRequestedAt: row.replay_requested_at == null ? null : instantOf(row.replay_requested_at),
  };
}

function splitCursor(cursor: string): { deadAt: string; eventId: string } {
  const space = cursor.indexOf(' ');
  const deadAt = space < 0 ? '' : cursor.slice(0, space);
  if (space < 0 || Number.isNaN(Date.parse(deadAt)) || new Date(deadAt).toISOString() !== deadAt) {
    throw new RangeError(`"${cursor.slice(0, 80)}" is not a dead-letter cursor this server gave`);
  }
  return { deadAt, eventId: cursor.slice(space + 1) };
}

function iso(instant: Instant): string {
  return new Date(instant).toISOString();
}
