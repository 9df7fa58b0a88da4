import { useEffect, useState } from 'preact/hooks';

/** The pages, addressed by the URL's fragment so the server needs no route for them. */
export type Route =
  | { readonly page: 'overview' }
  | { readonly page: 'journey'; readonly clientId: string }
  | { readonly page: 'controls' }
  | { readonly page: 'not-found'; readonly hash: string };

/** The API's client id rule: a letter or digit, then up to 127 of `A-Za-z0-9._:-`. */
const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '' || path === '/') {
    return { page: 'overview' };
  }
  if (path === '/controls') {
    return { page: 'controls' };
  }
  const journey = /^\/journeys\/([^/]+)$/.exec(path);
  if (journey?.[1] !== undefined) {
    const clientId = safeDecode(journey[1]);
    if (clientId !== null && CLIENT_ID.test(clientId)) {
      return { page: 'journey', clientId };
    }
  }
  return { page: 'not-found', hash: path };
}

export function journeyHref(clientId: string): string {
  return `#/journeys/${encodeURIComponent(clientId)}`;
}

export const OVERVIEW_HREF = '#/';

export const CONTROLS_HREF = '#/controls';

/** The current route, following the fragment as it changes. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const follow = (): void => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  return route;
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
