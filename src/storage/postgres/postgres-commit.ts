import {
  ActiveJourneyExistsError,
  ConcurrencyConflictError,
  LeaseLostError,
  toError,
  TransactionConflictError,
} from '../../application/errors.js';
import type { CommitPlan, WrittenEvent } from '../commit-plan.js';
import type { Dialect } from '../dialect.js';
import type { SqlDriver } from '../sql.js';
import { headColumns } from '../statement-commit.js';

/**
 * Sends a whole commit as one call of the `journey_commit` function (migration 0004): one round
 * trip, one implicit transaction. Its refusals come back as our SQLSTATEs and become the same
 * typed errors the statement-by-statement path throws.
 */
export async function executePostgresCommit(
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
  try {
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
  } catch (thrown) {
    throw await refusal(driver, dialect, plan, toError(thrown));
  }
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
