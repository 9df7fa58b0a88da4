import { toError } from '../../application/errors.js';
import { ApiProblemError, ServerUnreachableError, UnexpectedAnswerError } from './api-errors.js';
import type {
  ControlsView,
  DeadLetterPage,
  EventList,
  EvidenceView,
  ExitCriteriaView,
  FreezeRequest,
  IssuedSignOffLinkView,
  JourneyPage,
  JourneyView,
  OutletList,
  Problem,
  ReadinessView,
  SignOffLinkList,
  SignOffLinkRequest,
  SignOffLinkView,
  SuccessMetricsView,
  UnitOfWorkView,
} from './views.js';

/** Where the API is and how to call it. */
export interface ApiClientOptions {
  /** The server's base URL, without a trailing slash, e.g. `http://127.0.0.1:7400`. */
  readonly url: string;
  readonly token: string;
  /**
   * How long one request may take. A promotion reads every exit criterion first (each bounded
   * by the server's 10 s observation timeout), so this leaves room for that. @default 30 s
   */
  readonly timeoutMs?: number;
}

export interface JourneyListQuery {
  readonly stage?: string;
  readonly status?: string;
  readonly active?: boolean;
  readonly limit?: number;
  readonly cursor?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The HTTP API as typed calls (docs/api.md). The one place that turns answers into values and
 * refusals into errors: a problem+json becomes an ApiProblemError, no answer a
 * ServerUnreachableError, anything else an UnexpectedAnswerError.
 */
export class ApiClient {
  readonly #options: ApiClientOptions;

  constructor(options: ApiClientOptions) {
    this.#options = options;
  }

  get url(): string {
    return this.#options.url;
  }

  startJourney(clientId: string, playbook?: string): Promise<JourneyView> {
    return this.#call('POST', '/v1/journeys', {
      clientId,
      ...(playbook === undefined ? {} : { playbook }),
    });
  }

  listJourneys(query: JourneyListQuery = {}): Promise<JourneyPage> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) {
        search.set(key, String(value));
      }
    }
    const suffix = search.size === 0 ? '' : `?${search.toString()}`;
    return this.#call('GET', `/v1/journeys${suffix}`);
  }

  journey(clientId: string): Promise<JourneyView> {
    return this.#call('GET', `/v1/journeys/${segment(clientId)}`);
  }

  events(clientId: string): Promise<EventList> {
    return this.#call('GET', `/v1/journeys/${segment(clientId)}/events`);
  }

  exitCriteria(clientId: string): Promise<ExitCriteriaView> {
    return this.#call('GET', `/v1/journeys/${segment(clientId)}/exit-criteria`);
  }

  promote(
    clientId: string,
    body: { to?: string; reason?: string; overrideFreeze?: { reason: string } },
  ): Promise<JourneyView> {
    return this.#call('POST', `/v1/journeys/${segment(clientId)}/promotions`, body);
  }

  rollback(clientId: string, body: { reason: string; to?: string }): Promise<JourneyView> {
    return this.#call('POST', `/v1/journeys/${segment(clientId)}/rollback`, body);
  }

  cancel(clientId: string, body: { reason: string }): Promise<JourneyView> {
    return this.#call('POST', `/v1/journeys/${segment(clientId)}/cancel`, body);
  }

  approve(
    clientId: string,
    body: { criterion: string; comment?: string; decision?: 'approved' | 'rejected' },
  ): Promise<JourneyView> {
    return this.#call('POST', `/v1/journeys/${segment(clientId)}/approvals`, body);
  }

  /** Accepts or rejects an exit criterion that is inconclusive now (docs/controls.md). */
  decideInconclusive(
    clientId: string,
    criterion: string,
    body: { decision: 'accept' | 'reject'; reason: string },
  ): Promise<JourneyView> {
    return this.#call(
      'POST',
      `/v1/journeys/${segment(clientId)}/exit-criteria/${segment(criterion)}/decisions`,
      body,
    );
  }

  pause(clientId: string, body: { reason: string }): Promise<JourneyView> {
    return this.#call('POST', `/v1/journeys/${segment(clientId)}/pause`, body);
  }

  resume(clientId: string, body: { reason?: string }): Promise<JourneyView> {
    return this.#call('POST', `/v1/journeys/${segment(clientId)}/resume`, body);
  }

  readiness(clientId: string): Promise<ReadinessView> {
    return this.#call('GET', `/v1/journeys/${segment(clientId)}/readiness`);
  }

  evidence(clientId: string): Promise<EvidenceView> {
    return this.#call('GET', `/v1/journeys/${segment(clientId)}/evidence`);
  }

  /** The evidence as the Markdown report the server renders (text/markdown). */
  evidenceMarkdown(clientId: string): Promise<string> {
    return this.#text(
      `/v1/journeys/${segment(clientId)}/evidence?format=markdown`,
      'text/markdown',
    );
  }

  issueSignOffLink(clientId: string, body: SignOffLinkRequest): Promise<SignOffLinkView> {
    return this.#call('POST', `/v1/journeys/${segment(clientId)}/sign-off-links`, body);
  }

  /** The journey's sign-off links with their status (never their tokens). */
  signOffLinks(clientId: string): Promise<SignOffLinkList> {
    return this.#call('GET', `/v1/journeys/${segment(clientId)}/sign-off-links`);
  }

  revokeSignOffLink(
    clientId: string,
    linkId: string,
    reason?: string,
  ): Promise<IssuedSignOffLinkView> {
    const suffix = reason === undefined ? '' : `?${new URLSearchParams({ reason }).toString()}`;
    return this.#call(
      'DELETE',
      `/v1/journeys/${segment(clientId)}/sign-off-links/${segment(linkId)}${suffix}`,
    );
  }

  controls(): Promise<ControlsView> {
    return this.#call('GET', '/v1/controls');
  }

  stopPromotions(body: { reason: string }): Promise<ControlsView> {
    return this.#call('POST', '/v1/controls/promotions/pause', body);
  }

  resumePromotions(body: { reason?: string }): Promise<ControlsView> {
    return this.#call('POST', '/v1/controls/promotions/resume', body);
  }

  addFreeze(body: FreezeRequest): Promise<ControlsView> {
    return this.#call('POST', '/v1/controls/freezes', body);
  }

  removeFreeze(freezeId: string, reason?: string): Promise<ControlsView> {
    const suffix = reason === undefined ? '' : `?${new URLSearchParams({ reason }).toString()}`;
    return this.#call('DELETE', `/v1/controls/freezes/${segment(freezeId)}${suffix}`);
  }

  unit(workId: string): Promise<UnitOfWorkView> {
    return this.#call('GET', `/v1/units-of-work/${segment(workId)}`);
  }

  retryUnit(workId: string): Promise<UnitOfWorkView> {
    return this.#call('POST', `/v1/units-of-work/${segment(workId)}/retry`);
  }

  successMetrics(): Promise<SuccessMetricsView> {
    return this.#call('GET', '/v1/reports/success-metrics');
  }

  outlets(): Promise<OutletList> {
    return this.#call('GET', '/v1/outlets');
  }

  deadLetters(
    outlet: string,
    page: { readonly limit?: number; readonly cursor?: string | null } = {},
  ): Promise<DeadLetterPage> {
    const search = new URLSearchParams();
    if (page.limit !== undefined) {
      search.set('limit', String(page.limit));
    }
    if (page.cursor != null) {
      search.set('cursor', page.cursor);
    }
    const suffix = search.size === 0 ? '' : `?${search.toString()}`;
    return this.#call('GET', `/v1/outlets/${segment(outlet)}/dead-letters${suffix}`);
  }

  /** Asks for one dead letter, or all of the outlet's, to be delivered again (202). */
  replayDeadLetters(outlet: string, eventId?: string): Promise<{ requested: number }> {
    return this.#call(
      'POST',
      `/v1/outlets/${segment(outlet)}/dead-letters/replay`,
      eventId === undefined ? {} : { eventId },
    );
  }

  /** Gives up on a dead letter for good (204). */
  async discardDeadLetter(outlet: string, eventId: string): Promise<void> {
    await this.#call<undefined>(
      'DELETE',
      `/v1/outlets/${segment(outlet)}/dead-letters/${segment(eventId)}`,
    );
  }

  /**
   * Opens `GET /v1/events/stream` (docs/events.md "Live stream") and resolves once the server
   * answered: with the response, whose body is the stream, or with null when the server does
   * not serve the stream (404: a release from before it). `lastEventId` resumes after that id.
   * Aborting `signal` closes the stream.
   */
  async eventStream(
    query: { readonly clientId?: string },
    lastEventId: string | undefined,
    signal: AbortSignal,
  ): Promise<Response | null> {
    const search = new URLSearchParams(query.clientId === undefined ? {} : query);
    const target = `${this.#options.url}/v1/events/stream${search.size === 0 ? '' : `?${search.toString()}`}`;
    // Only the answer's head is timed: the stream itself is meant to stay open.
    const answered = new AbortController();
    const timer = setTimeout(() => answered.abort(), this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const both = AbortSignal.any([signal, answered.signal]);
    let response: Response;
    try {
      response = await fetch(target, {
        headers: {
          authorization: `Bearer ${this.#options.token}`,
          accept: 'text/event-stream',
          ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
        },
        signal: both,
      });
    } catch (error) {
      if (signal.aborted) {
        throw error;
      }
      throw new ServerUnreachableError(this.#options.url, unreachableReason(error, both), {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
    if (
      response.ok &&
      (response.headers.get('content-type') ?? '').startsWith('text/event-stream')
    ) {
      return response;
    }
    const text = await response.text().catch(() => '');
    if (response.status === 404) {
      return null;
    }
    const parsed = parseJson(text);
    if (isProblem(parsed)) {
      throw new ApiProblemError(parsed);
    }
    throw new UnexpectedAnswerError(
      `GET ${target} answered ${response.status} ${response.statusText} with ${describeBody(response, text)}, not an event stream`,
    );
  }

  async #call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: object): Promise<T> {
    const { response, text, target } = await this.#send(method, path, 'application/json', body);
    const parsed = parseJson(text);
    if (response.ok && (parsed !== undefined || response.status === 204)) {
      return parsed as T;
    }
    throw answerError(method, target, response, text, "the API's JSON");
  }

  /** A GET answered with text of `type` (e.g. the Markdown evidence), refusals as problems. */
  async #text(path: string, type: string): Promise<string> {
    const { response, text, target } = await this.#send('GET', path, type);
    if (response.ok && (response.headers.get('content-type') ?? '').startsWith(type)) {
      return text;
    }
    throw answerError('GET', target, response, text, type);
  }

  async #send(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    accept: string,
    body?: object,
  ): Promise<{ response: Response; text: string; target: string }> {
    const target = `${this.#options.url}${path}`;
    const signal = AbortSignal.timeout(this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    try {
      const response = await fetch(target, {
        method,
        headers: {
          authorization: `Bearer ${this.#options.token}`,
          accept: `${accept}, application/problem+json`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal,
      });
      return { response, text: await response.text(), target };
    } catch (error) {
      throw new ServerUnreachableError(this.#options.url, unreachableReason(error, signal), {
        cause: error,
      });
    }
  }
}

/** A refusal as its problem, or an answer that is not what was asked for. */
function answerError(
  method: string,
  target: string,
  response: Response,
  text: string,
  expected: string,
): Error {
  const parsed = parseJson(text);
  if (isProblem(parsed)) {
    return new ApiProblemError(parsed);
  }
  return new UnexpectedAnswerError(
    `${method} ${target} answered ${response.status} ${response.statusText} with ${describeBody(response, text)}, not ${expected}`,
  );
}

/** Why there was no answer, in words: `connection refused`, `no answer within 30 s`. */
function unreachableReason(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) {
    return 'no answer in time';
  }
  const cause = (toError(error).cause ?? error) as { code?: unknown; message?: unknown };
  const known: Readonly<Record<string, string>> = {
    ECONNREFUSED: 'connection refused (is `journey serve` running?)',
    ECONNRESET: 'the connection was reset',
    ENOTFOUND: 'no such host',
    EHOSTUNREACH: 'host unreachable',
  };
  if (typeof cause.code === 'string') {
    return known[cause.code] ?? cause.code;
  }
  return typeof cause.message === 'string' ? cause.message : toError(error).message;
}

function segment(id: string): string {
  return encodeURIComponent(id);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isProblem(value: unknown): value is Problem {
  const fields = value as Partial<Record<keyof Problem, unknown>> | null | undefined;
  return (
    typeof fields === 'object' &&
    fields !== null &&
    typeof fields.status === 'number' &&
    typeof fields.code === 'string' &&
    typeof fields.title === 'string' &&
    typeof fields.detail === 'string'
  );
}

function describeBody(response: Response, text: string): string {
  const type = response.headers.get('content-type') ?? 'no content type';
  return text === '' ? `an empty body (${type})` : `a ${type} body`;
}
