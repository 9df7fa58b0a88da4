/**
 * The API token lives in sessionStorage only: it survives a reload of this tab and is gone when
 * the tab closes; it is never written to localStorage or a cookie.
 */
const KEY = 'journey-orchestrator.api-token';

export function readToken(): string | null {
  const token = sessionStorage.getItem(KEY);
  return token === null || token === '' ? null : token;
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}
