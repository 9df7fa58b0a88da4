import type { FastifyReply } from 'fastify';
import {
  ConcurrencyConflictError,
  StorageUnavailableError,
  TransactionConflictError,
} from '../application/errors.js';
import { PlaybookMissingError } from '../application/playbook-catalog.js';
import { ERROR_CATALOG, isDomainError, type DomainErrorCode } from '../domain/index.js';

/**
 * Errors as RFC 9457 problem details (`application/problem+json`). Every problem carries the
 * stable `code` clients match on: a DomainError's code with its status from ERROR_CATALOG, or
 * one of the HTTP-level codes below. `type` is a URN made from the code.
 */

export const HTTP_PROBLEMS = {
  VALIDATION_FAILED: { status: 400, title: 'The request does not match the schema' },
  BAD_REQUEST: { status: 400, title: 'The request is malformed' },
  CURSOR_INVALID: { status: 400, title: 'The cursor is not one this API returned' },
  IDEMPOTENCY_KEY_INVALID: { status: 400, title: 'The Idempotency-Key header is not valid' },
  UNAUTHORIZED: { status: 401, title: 'A valid bearer token is required' },
  FORBIDDEN: { status: 403, title: "The token's role may not do this" },
  NOT_FOUND: { status: 404, title: 'There is no such resource' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'The resource does not support this method' },
  NOT_ACCEPTABLE: { status: 406, title: 'No acceptable representation' },
  REQUEST_TIMEOUT: { status: 408, title: 'The request took too long to arrive' },
  CONCURRENT_CHANGE: {
    status: 409,
    title: 'The journey kept changing while the request was decided; try again',
  },
  PLAYBOOK_NOT_LOADED: {
    status: 409,
    title: "The journey's playbook is not loaded in this process",
  },
  IDEMPOTENCY_KEY_IN_FLIGHT: {
    status: 409,
    title: 'A request with this Idempotency-Key is still being answered',
  },
  SIGN_OFF_LINK_NOT_FOUND: { status: 404, title: 'The journey has no such sign-off link' },
  SIGN_OFF_LINK_USED: {
    status: 409,
    title: 'The sign-off link was used already, so it cannot be revoked',
  },
  SIGN_OFF_LINK_REVOKED: { status: 409, title: 'The sign-off link was revoked already' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  URI_TOO_LONG: { status: 414, title: 'The request URI is too long' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The request body must be application/json' },
  PLAYBOOK_NOT_FOUND: { status: 422, title: 'No playbook of that name is loaded' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    title: 'This Idempotency-Key was used for another request',
  },
  HEADERS_TOO_LARGE: { status: 431, title: 'The request headers are too large' },
  INTERNAL_ERROR: { status: 500, title: 'The server failed to answer' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'The database does not answer' },
} as const satisfies Record<string, { status: number; title: string }>;

export type HttpProblemCode = keyof typeof HTTP_PROBLEMS;
export type ProblemCode = DomainErrorCode | HttpProblemCode;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** One field that failed validation: where (`in`), which (a JSON Pointer) and why. */
export interface FieldError {
  readonly in: string;
  readonly path: string;
  readonly message: string;
}

export interface ProblemDocument {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: ProblemCode;
  /** The request path the problem occurred on. */
  readonly instance?: string;
  readonly requestId?: string;
  /** VALIDATION_FAILED: the failing fields. */
  readonly errors?: readonly FieldError[];
  /** EXIT_CRITERIA_NOT_MET: the results that did not pass. */
  readonly results?: readonly unknown[];
  /** A DomainError's details (ids, stages) for other codes. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A refusal the HTTP layer makes itself (auth, a missing resource, a bad cursor). */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly code: HttpProblemCode,
    readonly detail: string,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly extensions: Partial<Pick<ProblemDocument, 'errors' | 'details'>> = {},
  ) {
    super(detail);
  }
}

export function problemType(code: ProblemCode): string {
  return `urn:journey-orchestrator:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}

export function problemOf(
  code: ProblemCode,
  detail: string,
  extensions: Partial<Omit<ProblemDocument, 'type' | 'title' | 'status' | 'code' | 'detail'>> = {},
): ProblemDocument {
  const { status, title } = catalogEntry(code);
  return { type: problemType(code), title, status, detail, code, ...extensions };
}

function catalogEntry(code: ProblemCode): { status: number; title: string } {
  return code in HTTP_PROBLEMS
    ? HTTP_PROBLEMS[code as HttpProblemCode]
    : ERROR_CATALOG[code as DomainErrorCode];
}

/** What to answer for something thrown while handling a request. */
export interface ProblemAnswer {
  readonly problem: ProblemDocument;
  readonly headers: Readonly<Record<string, string>>;
  /** A failure of ours (5xx) that the log should show with its stack. */
  readonly internal: boolean;
}

const MAX_FIELD_ERRORS = 20;

const STATUS_CODES: Readonly<Record<number, HttpProblemCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  431: 'HEADERS_TOO_LARGE',
  503: 'SERVICE_UNAVAILABLE',
};

export function problemFromError(error: unknown): ProblemAnswer {
  if (error instanceof HttpProblem) {
    return answer(problemOf(error.code, error.detail, error.extensions), error.headers);
  }
  if (isDomainError(error)) {
    const { results, ...details } = error.details;
    return answer(
      problemOf(error.code, error.message, {
        ...(Array.isArray(results) ? { results } : {}),
        ...(Object.keys(details).length > 0 ? { details } : {}),
      }),
    );
  }
  if (error instanceof PlaybookMissingError) {
    return answer(problemOf('PLAYBOOK_NOT_LOADED', error.message));
  }
  if (error instanceof ConcurrencyConflictError || error instanceof TransactionConflictError) {
    return answer(problemOf('CONCURRENT_CHANGE', error.message));
  }
  if (error instanceof StorageUnavailableError) {
    return answer(problemOf('SERVICE_UNAVAILABLE', 'The database does not answer.'), {}, true);
  }
  // The store's bad-cursor error; matched by name since http/ does not import storage/.
  if (error instanceof Error && error.name === 'CursorError') {
    return answer(problemOf('CURSOR_INVALID', error.message));
  }
  const framework = error as {
    statusCode?: unknown;
    message?: unknown;
    validation?: unknown;
    validationContext?: unknown;
  };
  if (Array.isArray(framework.validation)) {
    return answer(validationProblem(framework.validation, framework.validationContext));
  }
  const status = typeof framework.statusCode === 'number' ? framework.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code = STATUS_CODES[status] ?? 'BAD_REQUEST';
    const message = typeof framework.message === 'string' ? framework.message : '';
    return answer({ ...problemOf(code, clip(message || HTTP_PROBLEMS[code].title)), status });
  }
  return answer(
    problemOf('INTERNAL_ERROR', 'The server failed to answer; the log says why.'),
    {},
    true,
  );
}

/** The failing fields, each message cut short: a body of 3,000 unknown keys gets one line. */
function validationProblem(validation: unknown[], context: unknown): ProblemDocument {
  const where = typeof context === 'string' ? context : 'body';
  const errors = (validation as { instancePath?: unknown; message?: unknown }[])
    .slice(0, MAX_FIELD_ERRORS)
    .map((issue) => ({
      in: where,
      path: clip(
        typeof issue.instancePath === 'string' && issue.instancePath !== '/'
          ? issue.instancePath
          : '',
      ),
      message: clip(typeof issue.message === 'string' ? issue.message : 'invalid'),
    }));
  const summary = errors.map((e) => `${e.path || '(root)'}: ${e.message}`).join('; ');
  return problemOf('VALIDATION_FAILED', clip(`The ${where} is invalid: ${summary}`, 1_000), {
    errors,
  });
}

function clip(text: string, max = 300): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function answer(
  problem: ProblemDocument,
  headers: Readonly<Record<string, string>> = {},
  internal = false,
): ProblemAnswer {
  return { problem, headers, internal };
}

/** Sends a problem, stamped with the request's path and id. */
export function sendProblem(
  reply: FastifyReply,
  problem: ProblemDocument,
  headers: Readonly<Record<string, string>> = {},
): FastifyReply {
  const body: ProblemDocument = {
    ...problem,
    instance: reply.request.url.split('?')[0] ?? '/',
    requestId: reply.request.id,
  };
  return reply.code(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(body);
}
