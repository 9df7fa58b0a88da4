import type {
  ControlChange,
  GlobalFreezeRecord,
  PromotionStopRecord,
} from '../application/ports.js';
import type { Instant, JsonValue } from '../domain/index.js';
import { instantOf, parseJson, textOrNull } from './dialect.js';
import type { Row, SqlDriver, SqlSession } from './sql.js';

/**
 * The fleet controls (docs/controls.md): `promotion_stop` holds at most one row (its presence
 * is the stop), `global_freezes` one row per fleet-wide freeze window, and `control_changes`
 * every change with who, when and why. A change and its audit row are one transaction, and the
 * change itself is one conditional statement, so of two racing admins exactly one wins.
 */

type Change = { readonly actor: string; readonly reason: string | null; readonly at: Instant };

async function audit(
  session: SqlSession,
  action: ControlChange['action'],
  subject: string | null,
  change: Change,
): Promise<void> {
  await session.run(
    'INSERT INTO control_changes (action, subject, actor, reason, at) VALUES ($1, $2, $3, $4, $5)',
    [action, subject, change.actor, change.reason, change.at],
  );
}

export async function findPromotionStop(driver: SqlDriver): Promise<PromotionStopRecord | null> {
  const [row] = await driver.all(
    'SELECT stopped_by, reason, stopped_at FROM promotion_stop WHERE id = 1',
  );
  return row === undefined ? null : stopFromRow(row);
}

export function stopPromotions(driver: SqlDriver, stop: PromotionStopRecord): Promise<boolean> {
  return driver.transaction(async (session) => {
    const inserted = await session.run(
      `INSERT INTO promotion_stop (id, stopped_by, reason, stopped_at) VALUES (1, $1, $2, $3)
       ON CONFLICT (id) DO NOTHING`,
      [stop.stoppedBy, stop.reason, stop.at],
    );
    if (inserted === 1) {
      await audit(session, 'promotions_paused', null, {
        actor: stop.stoppedBy,
        reason: stop.reason,
        at: stop.at,
      });
    }
    return inserted === 1;
  });
}

export function resumePromotions(
  driver: SqlDriver,
  change: Change,
): Promise<PromotionStopRecord | null> {
  return driver.transaction(async (session) => {
    const [row] = await session.all(
      'DELETE FROM promotion_stop WHERE id = 1 RETURNING stopped_by, reason, stopped_at',
    );
    if (row === undefined) {
      return null;
    }
    await audit(session, 'promotions_resumed', null, change);
    return stopFromRow(row);
  });
}

export async function listGlobalFreezes(driver: SqlDriver): Promise<GlobalFreezeRecord[]> {
  const rows = await driver.all(
    'SELECT freeze_id, definition, created_by, reason, created_at FROM global_freezes ORDER BY freeze_id',
  );
  return rows.map(freezeFromRow);
}

export function addGlobalFreeze(driver: SqlDriver, freeze: GlobalFreezeRecord): Promise<boolean> {
  return driver.transaction(async (session) => {
    const inserted = await session.run(
      `INSERT INTO global_freezes (freeze_id, definition, created_by, reason, created_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (freeze_id) DO NOTHING`,
      [
        freeze.freezeId,
        JSON.stringify(freeze.definition),
        freeze.createdBy,
        freeze.reason,
        freeze.createdAt,
      ],
    );
    if (inserted === 1) {
      await audit(session, 'freeze_added', freeze.freezeId, {
        actor: freeze.createdBy,
        reason: freeze.reason,
        at: freeze.createdAt,
      });
    }
    return inserted === 1;
  });
}

export function removeGlobalFreeze(
  driver: SqlDriver,
  freezeId: string,
  change: Change,
): Promise<GlobalFreezeRecord | null> {
  return driver.transaction(async (session) => {
    const [row] = await session.all(
      `DELETE FROM global_freezes WHERE freeze_id = $1
       RETURNING freeze_id, definition, created_by, reason, created_at`,
      [freezeId],
    );
    if (row === undefined) {
      return null;
    }
    await audit(session, 'freeze_removed', freezeId, change);
    return freezeFromRow(row);
  });
}

export async function listControlChanges(
  driver: SqlDriver,
  limit: number,
): Promise<ControlChange[]> {
  const rows = await driver.all(
    'SELECT action, subject, actor, reason, at FROM control_changes ORDER BY id DESC LIMIT $1',
    [Math.max(1, Math.min(1_000, Math.floor(limit)))],
  );
  return rows.map((row) => ({
    action: row.action as ControlChange['action'],
    subject: textOrNull(row.subject),
    actor: String(row.actor),
    reason: textOrNull(row.reason),
    at: instantOf(row.at),
  }));
}

/** Parked items (due at `parkedUntil`, not leased) of the journey become due at `dueAt`. */
export function wakeParkedWork(
  driver: SqlDriver,
  journeyId: string,
  parkedUntil: Instant,
  dueAt: Instant,
): Promise<number> {
  return driver.run(
    `UPDATE work_items SET due_at = $1, available_at = $1
      WHERE journey_id = $2 AND due_at = $3 AND lease_owner IS NULL`,
    [dueAt, journeyId, parkedUntil],
  );
}

function stopFromRow(row: Row): PromotionStopRecord {
  return {
    stoppedBy: String(row.stopped_by),
    reason: String(row.reason),
    at: instantOf(row.stopped_at),
  };
}

function freezeFromRow(row: Row): GlobalFreezeRecord {
  return {
    freezeId: String(row.freeze_id),
    definition: parseJson<JsonValue>(row.definition),
    createdBy: String(row.created_by),
    reason: textOrNull(row.reason),
    createdAt: instantOf(row.created_at),
  };
}
