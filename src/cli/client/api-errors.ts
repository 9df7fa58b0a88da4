import { EXIT_CODES, exitCodeForStatus, type ExitCode } from '../exit-codes.js';
import type { Problem } from './views.js';

/** The API refused the request: its problem+json, kept whole for `--json` and `--verbose`. */
export class ApiProblemError extends Error {
  override readonly name = 'ApiProblemError';
  readonly exitCode: ExitCode;
  constructor(readonly problem: Problem) {
    // `title: detail [CODE]`, the one line a person reads.
    super(`${problem.title}: ${problem.detail} [${problem.code}]`);
    this.exitCode = exitCodeForStatus(problem.status);
  }
}

/** No answer: nothing listens at the URL, the connection broke, or the server took too long. */
export class ServerUnreachableError extends Error {
  override readonly name = 'ServerUnreachableError';
  readonly exitCode = EXIT_CODES.unavailable;
  constructor(
    readonly url: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot reach the journey server at ${url}: ${reason}`, options);
  }
}

/** An answer that is not the API's (a proxy's HTML page, a body that is not JSON). */
export class UnexpectedAnswerError extends Error {
  override readonly name = 'UnexpectedAnswerError';
  readonly exitCode = EXIT_CODES.failed;
}
