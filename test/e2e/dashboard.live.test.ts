import { expect, it } from 'vitest';
import { describeWithChromium } from './chromium.js';
import { useDashboard } from './dashboard-fixture.js';

/**
 * The live connection: when the server goes away the header says the dashboard is
 * reconnecting, and when it is back the pages follow the events again without a reload.
 */
describeWithChromium('dashboard: live updates across a server restart', () => {
  const dashboard = useDashboard();

  it('says it is reconnecting, then catches up once the server is back', async () => {
    const page = await dashboard.newPage();
    await dashboard.signIn(page, 'admin');
    await page.locator('.connection-live').waitFor();

    await dashboard.server.stop();
    const reconnecting = page.locator('.connection-reconnecting');
    await reconnecting.waitFor();
    await expect(reconnecting.textContent()).resolves.toContain('Reconnecting');

    await dashboard.server.start();
    // Backoff doubles to 15 s: a slow restart may take a few attempts.
    await page.locator('.connection-live').waitFor({ timeout: 60_000 });
    expect(
      (await dashboard.api('POST', '/v1/journeys', { body: { clientId: 'initech' } })).status,
    ).toBe(201);
    await page.locator('.stage-column[data-stage="sandbox"] [data-client-id="initech"]').waitFor();
  }, 90_000);
});
