import type { ActiveFreeze, Instant, JsonValue } from '../../domain/index.js';
import {
  activeFreezes,
  freezeSchema,
  resolveFreezeWindow,
  type FreezeWindow,
} from '../../playbook/index.js';
import { toError } from '../errors.js';
import type { GlobalFreezeRecord } from '../ports.js';
import type { EngineLog } from './context.js';

/**
 * Fleet-wide freezes are stored as written (the keys of a playbook `freezes:` entry) and
 * checked again with the playbook's own rule (`freezeSchema`, `resolveFreezeWindow`) whenever
 * they are read. A stored freeze that no longer passes (edited by hand, written by a release
 * with other rules) must not break promotions, nor silently lift: freezes fail safe, so it is
 * held **in force until an admin removes it** (an override still lifts it), and reported: a
 * warn log line each time it is read, and `status: invalid` with its problems in the controls.
 */

/** One thing wrong with a freeze: where (dotted path, empty for the whole) and why. */
export interface FreezeIssue {
  readonly path: string;
  readonly message: string;
}

/** A freeze document checked: its window, or every problem it has. */
export type CheckedFreeze =
  | { readonly status: 'valid'; readonly window: FreezeWindow }
  | { readonly status: 'invalid'; readonly problems: readonly FreezeIssue[] };

/** A stored global freeze, checked, with the stretch it holds promotions back at `at`. */
export interface GlobalFreeze {
  readonly record: GlobalFreezeRecord;
  readonly checked: CheckedFreeze;
  /** The stretch in force at the time asked about, else null. */
  readonly activeNow: ActiveFreeze | null;
}

/** The `until` of an invalid freeze held in force: it lifts only when a person removes it. */
export const FREEZE_UNTIL_REMOVED: Instant = '9999-01-01T00:00:00.000Z';

/** Checks a freeze document with the playbook's rule; every problem is listed. */
export function checkFreeze(document: JsonValue, expectedId?: string): CheckedFreeze {
  const parsed = freezeSchema.safeParse(document);
  if (!parsed.success) {
    return {
      status: 'invalid',
      problems: parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      })),
    };
  }
  if (expectedId !== undefined && parsed.data.id !== expectedId) {
    return {
      status: 'invalid',
      problems: [{ path: 'id', message: `"${parsed.data.id}" is not the stored id ${expectedId}` }],
    };
  }
  try {
    return { status: 'valid', window: resolveFreezeWindow(parsed.data) };
  } catch (error) {
    return { status: 'invalid', problems: [{ path: '', message: toError(error).message }] };
  }
}

/** The stored freezes, each checked and judged at `at`; an invalid one is logged. */
export function checkGlobalFreezes(
  records: readonly GlobalFreezeRecord[],
  at: Instant,
  log: EngineLog,
): GlobalFreeze[] {
  return records.map((record) => {
    let checked = checkFreeze(record.definition, record.freezeId);
    let activeNow: ActiveFreeze | null = null;
    if (checked.status === 'valid') {
      try {
        activeNow = activeFreezes([{ window: checked.window, scope: 'global' }], at)[0] ?? null;
      } catch (error) {
        checked = { status: 'invalid', problems: [{ path: '', message: toError(error).message }] };
      }
    }
    if (checked.status === 'invalid') {
      log.warn('global freeze is invalid: held in force until removed', {
        freezeId: record.freezeId,
        problems: checked.problems,
      });
      activeNow = heldInForce(record, checked.problems);
    }
    return { record, checked, activeNow };
  });
}

/** The message of a refused freeze document (422 FREEZE_INVALID). */
export function describeFreezeProblems(problems: readonly FreezeIssue[]): string {
  return problems.map((p) => `${p.path || '(freeze)'}: ${p.message}`).join('; ');
}

function heldInForce(record: GlobalFreezeRecord, problems: readonly FreezeIssue[]): ActiveFreeze {
  return {
    freezeId: record.freezeId,
    scope: 'global',
    description: `its stored definition is invalid (${describeFreezeProblems(problems)}); held in force until an admin removes it`,
    from: record.createdAt,
    until: FREEZE_UNTIL_REMOVED,
  };
}
