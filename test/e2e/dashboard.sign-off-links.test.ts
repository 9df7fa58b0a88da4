import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { CONTROL_BUTTONS } from './action-buttons.js';
import { describeWithChromium } from './chromium.js';
import { NAMES, useDashboard, type Dashboard } from './dashboard-fixture.js';

const DEMO = 'Demo approved by client';

/**
 * The journey's sign-off links in the dashboard, against a real `journey serve`: issued and
 * listed as open, revoked through the dialog (checked through the API and the link's page), a
 * revocation refused because the client used the link meanwhile, and a viewer without buttons.
 */
describeWithChromium('dashboard: sign-off links', () => {
  const dashboard = useDashboard();

  it('lists the links, revokes an open one and shows why a revocation is refused', async () => {
    expect(
      (await dashboard.api('POST', '/v1/journeys', { body: { clientId: 'initech' } })).status,
    ).toBe(201);
    const page = await dashboard.newPage();
    await dashboard.signIn(page, 'operator');
    await openJourney(page, 'initech');

    // Issue a link: the list shows it as open at once.
    await page.getByRole('button', { name: `Sign-off link for “${DEMO}”…` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/Client's name/).fill('Carol');
    await dialog.getByRole('button', { name: 'Issue link' }).click();
    const url = await dialog.getByLabel(/Sign-off link \(shown only now/).inputValue();
    await dialog.getByRole('button', { name: 'Done' }).click();
    const carol = linkRow(page, 'Carol');
    await carol.and(page.locator('[data-status="open"]')).waitFor();
    await expect(carol.textContent()).resolves.toContain(`by ${NAMES.operator}`);
    await expect(carol.textContent()).resolves.toContain(DEMO);

    // Revoke it through the dialog, with a reason.
    await carol.getByRole('button', { name: 'Revoke the link for Carol…' }).click();
    await dialog.getByLabel(/Why revoke/).fill('Sent to the wrong address');
    await dialog.getByRole('button', { name: 'Revoke link' }).click();
    await page.getByText('Revoked the sign-off link for Carol.').waitFor();
    await carol.and(page.locator('[data-status="revoked"]')).waitFor();
    await expect(carol.textContent()).resolves.toMatch(
      new RegExp(`Revoked by ${NAMES.operator}.*Sent to the wrong address`),
    );
    await expect(carol.getByRole('button').count()).resolves.toBe(0);
    const [revoked] = await links(dashboard, 'initech');
    expect(revoked).toMatchObject({
      status: 'revoked',
      revokedBy: NAMES.operator,
      revokeReason: 'Sent to the wrong address',
    });
    expect((await fetch(url)).status).toBe(410);

    // A link issued elsewhere shows within the poll; the client uses it while the operator is
    // about to revoke it: the API's refusal is shown and the list says what happened.
    const issued = await dashboard.api('POST', '/v1/journeys/initech/sign-off-links', {
      as: 'operator',
      body: { criterion: 'demo_approved', approverName: 'Dave' },
    });
    expect(issued.status).toBe(201);
    const dave = linkRow(page, 'Dave');
    await dave.and(page.locator('[data-status="open"]')).waitFor({ timeout: 10_000 });
    await dave.getByRole('button', { name: 'Revoke the link for Dave…' }).click();
    const used = await fetch(String(issued.body['url']), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'decision=approved&comment=Looks+good',
    });
    expect(used.status).toBe(200);
    await dialog.getByRole('button', { name: 'Revoke link' }).click();
    const refusal = page.locator('.sign-off-links-panel .action-outcome [role="alert"]');
    await expect(refusal.textContent()).resolves.toContain('SIGN_OFF_LINK_USED');
    await dave.and(page.locator('[data-status="used"]')).waitFor();
    await expect(dave.textContent()).resolves.toContain('Approved by the client');
    await dashboard.screenshot(page, 'journey-sign-off-links');
  }, 120_000);

  it('shows a viewer every link but no revoke button', async () => {
    expect(
      (
        await dashboard.api('POST', '/v1/journeys/initech/sign-off-links', {
          as: 'operator',
          body: { criterion: 'demo_approved', approverName: 'Erin' },
        })
      ).status,
    ).toBe(201);
    const viewer = await dashboard.newPage();
    await dashboard.signIn(viewer, 'viewer');
    await openJourney(viewer, 'initech');
    await linkRow(viewer, 'Erin').and(viewer.locator('[data-status="open"]')).waitFor();
    await expect(viewer.locator('table.sign-off-link-table tbody tr').count()).resolves.toBe(3);
    await expect(viewer.getByRole('button', { name: CONTROL_BUTTONS }).count()).resolves.toBe(0);
    await expect(
      viewer.locator('table.sign-off-link-table th', { hasText: 'Actions' }).count(),
    ).resolves.toBe(0);
  }, 60_000);
});

async function openJourney(page: Page, clientId: string): Promise<void> {
  await page.getByRole('link', { name: 'Journeys', exact: true }).click();
  await page.getByRole('link', { name: clientId, exact: true }).click();
  await page.getByRole('heading', { name: clientId, level: 1 }).waitFor();
}

/** The row of the link issued for a client's name. */
function linkRow(page: Page, name: string) {
  return page.locator('table.sign-off-link-table tbody tr').filter({
    has: page.getByRole('rowheader', { name, exact: true }),
  });
}

async function links(
  dashboard: Dashboard,
  clientId: string,
): Promise<readonly Record<string, unknown>[]> {
  const answer = await dashboard.api('GET', `/v1/journeys/${clientId}/sign-off-links`, {
    as: 'viewer',
  });
  return answer.body['items'] as Record<string, unknown>[];
}
