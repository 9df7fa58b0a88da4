import type {
  IdempotencyClaim,
  IdempotentRequest,
  IdempotentResponse,
} from '../application/ports.js';
import type { Instant } from '../domain/index.js';
import { instantOf, parseJson } from './dialect.js';
import type { SqlDriver, SqlSession } from './sql.js';

/**
 * The `idempotency_keys` table: one row per caller and key, `status` NULL while the first
 * request is in flight. A claim's `created_at` identifies it: completing or releasing a claim
 * matches it, so a request whose key was taken over (as abandoned) can no longer write.
 */

/** A claim meets a row that vanished (expired and removed) at most this often before giving up. */
const CLAIM_ROUNDS = 3;

export function claimIdempotencyKey(
  driver: SqlDriver,
  request: IdempotentRequest,
  at: { readonly now: Instant; readonly expiredBefore: Instant; readonly abandonedBefore: Instant },
): Promise<IdempotencyClaim> {
  return driver.transaction(async (session) => {
    for (let round = 0; round < CLAIM_ROUNDS; round += 1) {
      const claim = await claimOnce(session, request, at);
      if (claim !== null) {
        return claim;
      }
    }
    // Only reachable if the row is removed again and again between two statements.
    return { kind: 'in_flight', since: at.now };
  });
}

async function claimOnce(
  session: SqlSession,
  request: IdempotentRequest,
  at: { readonly now: Instant; readonly expiredBefore: Instant; readonly abandonedBefore: Instant },
): Promise<IdempotencyClaim | null> {
  const { actor, key, method, path, requestHash } = request;
  // ON CONFLICT DO NOTHING: a concurrent first use (PostgreSQL) waits for the other to commit.
  const inserted = await session.run(
    `INSERT INTO idempotency_keys (actor, key, method, path, request_hash, status, response, created_at, completed_at)
     VALUES ($1, $2, $3, $4, $5, NULL, NULL, $6, NULL) ON CONFLICT (actor, key) DO NOTHING`,
    [actor, key, method, path, requestHash, at.now],
  );
  if (inserted === 1) {
    return { kind: 'claimed', claimedAt: at.now };
  }
  // The conditions are checked again by the UPDATE itself: of two takeovers, one wins.
  const takenOver = await session.run(
    `UPDATE idempotency_keys
        SET method = $3, path = $4, request_hash = $5, status = NULL, response = NULL,
            created_at = $6, completed_at = NULL
      WHERE actor = $1 AND key = $2
        AND (created_at < $7 OR (status IS NULL AND created_at < $8))`,
    [actor, key, method, path, requestHash, at.now, at.expiredBefore, at.abandonedBefore],
  );
  if (takenOver === 1) {
    return { kind: 'claimed', claimedAt: at.now };
  }
  const [row] = await session.all(
    `SELECT method, path, request_hash, status, response, created_at
       FROM idempotency_keys WHERE actor = $1 AND key = $2`,
    [actor, key],
  );
  if (row === undefined) {
    return null;
  }
  if (row.method !== method || row.path !== path || row.request_hash !== requestHash) {
    return { kind: 'mismatch', method: String(row.method), path: String(row.path) };
  }
  if (row.status == null) {
    return { kind: 'in_flight', since: instantOf(row.created_at) };
  }
  return { kind: 'replay', response: parseJson<IdempotentResponse>(row.response) };
}

export async function completeIdempotencyKey(
  driver: SqlDriver,
  actor: string,
  key: string,
  claimedAt: Instant,
  response: IdempotentResponse,
  now: Instant,
): Promise<boolean> {
  const changed = await driver.run(
    `UPDATE idempotency_keys SET status = $4, response = $5, completed_at = $6
      WHERE actor = $1 AND key = $2 AND created_at = $3 AND status IS NULL`,
    [actor, key, claimedAt, response.status, JSON.stringify(response), now],
  );
  return changed === 1;
}

export async function releaseIdempotencyKey(
  driver: SqlDriver,
  actor: string,
  key: string,
  claimedAt: Instant,
): Promise<void> {
  await driver.run(
    `DELETE FROM idempotency_keys
      WHERE actor = $1 AND key = $2 AND created_at = $3 AND status IS NULL`,
    [actor, key, claimedAt],
  );
}

export function removeExpiredIdempotencyKeys(
  driver: SqlDriver,
  createdBefore: Instant,
): Promise<number> {
  return driver.run('DELETE FROM idempotency_keys WHERE created_at < $1', [createdBefore]);
}
