import { toError } from '../application/errors.js';

/**
 * A thrown thing as one readable clause. undici reports a refused connection as
 * `TypeError: fetch failed` with the useful part in `cause` (sometimes an AggregateError with
 * one error per address tried), so the cause wins when there is one.
 */
export function describeError(thrown: unknown): string {
  const error = toError(thrown);
  const cause: unknown = error.cause;
  if (cause instanceof AggregateError && cause.errors.length > 0) {
    return describeError(cause.errors[0]);
  }
  if (cause instanceof Error) {
    return cause.message === '' ? `${error.message} (${cause.name})` : cause.message;
  }
  return error.message;
}
