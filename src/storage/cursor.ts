/**
 * Keyset paging cursors: the sort key of the last row returned, opaque to callers (base64url
 * JSON) so the order can change without breaking their code. A bad cursor is a caller error.
 */
export class CursorError extends Error {
  override readonly name = 'CursorError';
}

export interface JourneyCursor {
  readonly startedAt: string;
  readonly journeyId: string;
}

export function encodeCursor(cursor: JourneyCursor): string {
  return Buffer.from(JSON.stringify([cursor.startedAt, cursor.journeyId])).toString('base64url');
}

export function decodeCursor(text: string): JourneyCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      value.every((part) => typeof part === 'string')
    ) {
      const [startedAt, journeyId] = value as [string, string];
      // Only the canonical ISO form this module writes: anything else would reach the SQL.
      if (!Number.isNaN(Date.parse(startedAt)) && new Date(startedAt).toISOString() === startedAt) {
        return { startedAt, journeyId };
      }
    }
  } catch {
    // Falls through to the error below: the cursor was not ours.
  }
  throw new CursorError(`cursor "${text.slice(0, 40)}" is not one this API returned`);
}
