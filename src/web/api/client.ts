import type { Problem } from './types.js';

/** A refusal or failure, carrying the API's problem details (or one made up for a non-API error). */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(readonly problem: Problem) {
    super(problem.detail === '' ? problem.title : `${problem.title}: ${problem.detail}`);
  }
}

/** The problem an error carries: the API's for an ApiError, else one describing the error. */
export function toProblem(error: unknown): Problem {
  if (error instanceof ApiError) {
    return error.problem;
  }
  return {
    type: 'about:blank',
    title: 'Something went wrong in the dashboard',
    status: 0,
    detail: error instanceof Error ? error.message : String(error),
    code: 'CLIENT',
  };
}

/** Called when the API says the token is no longer valid (401): the session ends. */
export type OnUnauthorized = (problem: Problem) => void;

/**
 * JSON over fetch with the bearer token. Every answer that is not 2xx becomes an ApiError with
 * the problem the API sent; a network failure becomes one too (status 0), so callers show one
 * kind of message. Each POST carries its own Idempotency-Key (docs/api.md), so a copy of the
 * request that reaches the server twice (a proxy or browser retrying) is done once.
 */
export class ApiClient {
  constructor(
    private readonly token: string,
    private readonly onUnauthorized: OnUnauthorized = () => undefined,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.#send<T>('GET', path, undefined);
  }

  post<T>(path: string, body?: object): Promise<T> {
    return this.#send<T>('POST', path, body);
  }

  /** A DELETE, with its `reason` (when given) in the query string, as the API takes it. */
  delete<T>(path: string, reason?: string): Promise<T> {
    const query =
      reason === undefined || reason === '' ? '' : `?reason=${encodeURIComponent(reason)}`;
    return this.#send<T>('DELETE', `${path}${query}`, undefined);
  }

  async #send<T>(method: string, path: string, body: object | undefined): Promise<T> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      accept: 'application/json, application/problem+json',
    };
    if (method === 'POST') {
      headers['idempotency-key'] = randomKey();
    }
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new ApiError(networkProblem(error));
    }
    if (response.ok) {
      return (await response.json()) as T;
    }
    const problem = await problemOf(response);
    if (response.status === 401) {
      this.onUnauthorized(problem);
    }
    throw new ApiError(problem);
  }
}

async function problemOf(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => '');
  const parsed = parseJson(text);
  if (isProblem(parsed)) {
    return parsed;
  }
  return {
    type: 'about:blank',
    title: response.statusText === '' ? `HTTP ${response.status}` : response.statusText,
    status: response.status,
    detail: text.slice(0, 300),
    code: `HTTP_${response.status}`,
  };
}

function networkProblem(error: unknown): Problem {
  return {
    type: 'about:blank',
    title: 'The server did not answer',
    status: 0,
    detail: error instanceof Error ? error.message : String(error),
    code: 'NETWORK',
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const fields = value as Record<string, unknown>;
  return (
    typeof fields['title'] === 'string' &&
    typeof fields['status'] === 'number' &&
    typeof fields['code'] === 'string' &&
    typeof fields['detail'] === 'string'
  );
}

/** A random UUID (v4 layout) from getRandomValues, which, unlike randomUUID, works over plain http. */
function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
