import type { SignOffLink, SignOffRevocation } from '../application/ports.js';
import type { Instant, WorkingStage } from '../domain/index.js';
import { instantOf, textOrNull } from './dialect.js';
import type { Row, SqlDriver } from './sql.js';

/**
 * The `sign_off_links` table: one row per link an operator issued. `used_at` makes a link
 * single-use and `revoked_at` withdraws it: each is set by one conditional UPDATE that requires
 * both to be unset, so of a use and a revocation (on any processes sharing the database)
 * exactly one wins.
 */

const COLUMNS = `link_id, journey_id, client_id, stage, stage_entered_at, criterion_id,
  approver_name, note, issued_by, issued_at, expires_at, used_at, decision,
  revoked_at, revoked_by, revoke_reason`;

export async function saveSignOffLink(driver: SqlDriver, link: SignOffLink): Promise<void> {
  await driver.run(
    `INSERT INTO sign_off_links (${COLUMNS})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
    [
      link.linkId,
      link.journeyId,
      link.clientId,
      link.stage,
      link.stageEnteredAt,
      link.criterionId,
      link.approverName,
      link.note,
      link.issuedBy,
      link.issuedAt,
      link.expiresAt,
      link.usedAt,
      link.decision,
      link.revocation?.revokedAt ?? null,
      link.revocation?.revokedBy ?? null,
      link.revocation?.reason ?? null,
    ],
  );
}

export async function findSignOffLink(
  driver: SqlDriver,
  linkId: string,
): Promise<SignOffLink | null> {
  const [row] = await driver.all(`SELECT ${COLUMNS} FROM sign_off_links WHERE link_id = $1`, [
    linkId,
  ]);
  return row === undefined ? null : linkFromRow(row);
}

export async function listSignOffLinks(
  driver: SqlDriver,
  journeyId: string,
): Promise<SignOffLink[]> {
  const rows = await driver.all(
    `SELECT ${COLUMNS} FROM sign_off_links WHERE journey_id = $1 ORDER BY issued_at, link_id`,
    [journeyId],
  );
  return rows.map(linkFromRow);
}

export async function useSignOffLink(
  driver: SqlDriver,
  linkId: string,
  usedAt: Instant,
  decision: 'approved' | 'rejected',
): Promise<boolean> {
  const changed = await driver.run(
    `UPDATE sign_off_links SET used_at = $2, decision = $3
      WHERE link_id = $1 AND used_at IS NULL AND revoked_at IS NULL`,
    [linkId, usedAt, decision],
  );
  return changed === 1;
}

export async function revokeSignOffLink(
  driver: SqlDriver,
  linkId: string,
  revocation: SignOffRevocation,
): Promise<boolean> {
  const changed = await driver.run(
    `UPDATE sign_off_links SET revoked_at = $2, revoked_by = $3, revoke_reason = $4
      WHERE link_id = $1 AND used_at IS NULL AND revoked_at IS NULL`,
    [linkId, revocation.revokedAt, revocation.revokedBy, revocation.reason],
  );
  return changed === 1;
}

export async function releaseSignOffLink(
  driver: SqlDriver,
  linkId: string,
  usedAt: Instant,
): Promise<void> {
  await driver.run(
    `UPDATE sign_off_links SET used_at = NULL, decision = NULL WHERE link_id = $1 AND used_at = $2`,
    [linkId, usedAt],
  );
}

function linkFromRow(row: Row): SignOffLink {
  const decision = textOrNull(row.decision);
  return {
    linkId: String(row.link_id),
    journeyId: String(row.journey_id),
    clientId: String(row.client_id),
    stage: String(row.stage) as WorkingStage,
    stageEnteredAt: instantOf(row.stage_entered_at),
    criterionId: String(row.criterion_id),
    approverName: textOrNull(row.approver_name),
    note: textOrNull(row.note),
    issuedBy: String(row.issued_by),
    issuedAt: instantOf(row.issued_at),
    expiresAt: instantOf(row.expires_at),
    usedAt: row.used_at == null ? null : instantOf(row.used_at),
    decision: decision === 'approved' || decision === 'rejected' ? decision : null,
    revocation:
      row.revoked_at == null
        ? null
        : {
            revokedAt: instantOf(row.revoked_at),
            revokedBy: String(row.revoked_by),
            reason: textOrNull(row.revoke_reason),
          },
  };
}
