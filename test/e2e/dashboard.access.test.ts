import { expect, it } from 'vitest';
import { CONTROL_BUTTONS, JOURNEY_ACTIONS } from './action-buttons.js';
import { describeWithChromium } from './chromium.js';
import { useDashboard } from './dashboard-fixture.js';

/**
 * Roles in the dashboard: an operator opens a failed task's attempts, retries the failed setup
 * and approves; a viewer sees everything but no action; the token stays in the tab.
 */
describeWithChromium('dashboard: roles and failed tasks', () => {
  const dashboard = useDashboard();

  it("lets an operator see a failed task's attempts and retry it", async () => {
    // Every attempt of globex's tenant creation fails (retries included) until told otherwise.
    dashboard.agents.behaviour.set(
      'tenancy',
      'create_tenant',
      { kind: 'fail', message: 'tenant quota exceeded' },
      { clientId: 'globex' },
    );
    expect(
      (await dashboard.api('POST', '/v1/journeys', { body: { clientId: 'globex' } })).status,
    ).toBe(201);
    // hooli is healthy: its setup succeeds and its approval is given, so it is ready to promote.
    expect(
      (await dashboard.api('POST', '/v1/journeys', { body: { clientId: 'hooli' } })).status,
    ).toBe(201);
    expect(
      (
        await dashboard.api('POST', '/v1/journeys/hooli/approvals', {
          as: 'operator',
          body: { criterion: 'demo_approved' },
        })
      ).status,
    ).toBe(201);

    const page = await dashboard.newPage();
    await dashboard.signIn(page, 'operator');
    const card = page.locator('[data-client-id="globex"]');
    const healthy = page.locator('[data-client-id="hooli"]');
    await card.filter({ hasText: 'Blocked' }).waitFor({ timeout: 20_000 });
    await healthy.filter({ hasText: 'Ready to promote' }).waitFor({ timeout: 20_000 });
    await expect(card.getAttribute('class')).resolves.toContain('attention');
    await expect(healthy.getAttribute('class')).resolves.not.toContain('attention');
    // The filter hides the healthy journey and keeps the blocked one.
    await page.getByLabel('Show').selectOption('attention');
    await healthy.waitFor({ state: 'detached' });
    await expect(page.locator('.journey-card').count()).resolves.toBe(1);
    await expect(card.count()).resolves.toBe(1);
    await page.getByLabel('Show').selectOption('all');
    await healthy.waitFor();
    await page.getByLabel('Show').selectOption('attention');
    await healthy.waitFor({ state: 'detached' });
    await card.getByRole('link', { name: 'globex' }).click();

    const failed = page.locator('.dag-node[data-task-id="create_tenant"][data-status="failed"]');
    await failed.waitFor();
    await expect(failed.textContent()).resolves.toMatch(/Failed.*attempt 4/);
    await failed.click();
    const attempts = page.locator('.task-details table.attempts tbody tr');
    await expect(attempts.count()).resolves.toBe(4);
    await expect(attempts.last().textContent()).resolves.toContain('tenant quota exceeded');

    // The agent recovers; the failed task is retried from the dashboard and the setup completes.
    await page.locator('.unit[data-status="failed"]').waitFor();
    dashboard.agents.behaviour.reset();
    await page.getByRole('button', { name: 'Retry failed tasks' }).click();
    await page.getByText('The failed tasks run again.').waitFor();
    await page
      .locator('.dag-node[data-task-id="capture_search_baseline"][data-status="succeeded"]')
      .waitFor({ timeout: 20_000 });
    await page.locator('.unit[data-status="completed"]').waitFor();
    await expect(attempts.count()).resolves.toBe(5);

    // The default playbook lets operators decide the demo for the client.
    await page.getByRole('button', { name: /Approve “Demo approved by client”/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Approve', exact: true }).click();
    await page.locator('.journey-facts[data-status="ready_to_promote"]').waitFor();
  }, 90_000);

  it('shows a viewer everything but no action it may not take', async () => {
    const page = await dashboard.newPage();
    await dashboard.signIn(page, 'viewer');
    await page.getByText('Signed in as').filter({ hasText: 'viewer' }).waitFor();
    await page.getByRole('link', { name: 'globex' }).click();
    await page.locator('.dag-node').first().waitFor();
    // Wait for what renders last (the readiness, evaluated for the page, and the events the
    // timeline shows), so a button that would come with them would be there by now.
    await page.locator('table.readiness-criteria tbody tr').first().waitFor();
    await page.locator('.timeline-entry[data-event-type="ApprovalGranted"]').waitFor();
    await expect(page.getByRole('heading', { name: 'Actions' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: JOURNEY_ACTIONS }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: CONTROL_BUTTONS }).count()).resolves.toBe(0);
    // Reading is allowed: the tasks open, the criteria can be checked now (records nothing).
    await page.locator('.dag-node').first().click();
    await page.locator('.task-details').waitFor();
    await page.getByRole('button', { name: 'Check now' }).click();
    await page.getByText('Checked just now, not recorded', { exact: false }).waitFor();
    await dashboard.screenshot(page, 'journey-viewer');
  }, 60_000);

  it('keeps the token in this tab only and asks again after signing out', async () => {
    const page = await dashboard.newPage();
    await dashboard.signIn(page, 'viewer');
    // Evaluated in the page (a string: the tests' TypeScript has no DOM types).
    const stored = () =>
      page.evaluate<{ session: number; local: number; cookies: string }>(
        '({ session: sessionStorage.length, local: localStorage.length, cookies: document.cookie })',
      );
    await expect(stored()).resolves.toEqual({ session: 1, local: 0, cookies: '' });
    await page.reload();
    await page.locator('.caller').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    await expect(stored()).resolves.toEqual({ session: 0, local: 0, cookies: '' });
    await page.getByLabel('API token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('.sign-in [role="alert"]').textContent()).resolves.toContain(
      'UNAUTHORIZED',
    );
  }, 60_000);
});
