import { OVERVIEW_HREF } from '../app/route.js';

export function NotFound({ hash }: { hash: string }) {
  return (
    <section>
      <h1>Nothing here</h1>
      <p>
        The dashboard has no page at <code>{hash}</code>.{' '}
        <a href={OVERVIEW_HREF}>See all journeys</a>.
      </p>
    </section>
  );
}
