import { expect, it } from 'vitest';
import { describeWithChromium } from './chromium.js';
import { NAMES, useDashboard } from './dashboard-fixture.js';

/**
 * An operator's day in the dashboard, against a real `journey serve` and the example agents:
 * a journey's unit of work progressing live, a gate refusing a promotion (with the API's
 * reason), an approval, a promotion, a rollback with a reason; and the pages on a phone.
 */
describeWithChromium('dashboard: a journey from sign-in to rollback', () => {
  const dashboard = useDashboard();

  it('shows the unit of work live, refuses a failing gate, approves, promotes and rolls back', async () => {
    const { agents } = dashboard;
    // Slow agents, so that the tasks are seen running (the first long enough for the page to
    // open); a search quality below the sandbox's threshold (80), so that the gate fails first.
    agents.behaviour.set('tenancy', 'create_tenant', { kind: 'slow', delayMs: 2_000 });
    agents.behaviour.set('connectors', 'install_connectors', { kind: 'slow', delayMs: 500 });
    agents.behaviour.set('dataops', 'provision_test_dataset', { kind: 'slow', delayMs: 500 });
    agents.behaviour.set('quality', 'capture_search_baseline', { kind: 'slow', delayMs: 1_000 });
    agents.behaviour.setMetric('quality', 'measure_search_quality', { value: 72 });

    const page = await dashboard.newPage();
    await dashboard.signIn(page, 'admin');
    await page.locator('.connection-live').waitFor();

    // A journey started elsewhere appears on the overview without a reload.
    expect(
      (await dashboard.api('POST', '/v1/journeys', { body: { clientId: 'acme' } })).status,
    ).toBe(201);
    const card = page.locator('.stage-column[data-stage="sandbox"] [data-client-id="acme"]');
    await card.waitFor();
    await card.getByRole('link', { name: 'acme' }).click();
    await page.getByRole('heading', { name: 'acme', level: 1 }).waitFor();

    // The graph: every task of the sandbox setup, changing state as the agents work.
    const node = (taskId: string, status?: string) =>
      page.locator(
        `.dag-node[data-task-id="${taskId}"]${status === undefined ? '' : `[data-status="${status}"]`}`,
      );
    await node('create_tenant', 'running').waitFor();
    await expect(node('create_tenant').textContent()).resolves.toContain('Running');
    await node('capture_search_baseline', 'running').waitFor({ timeout: 20_000 });
    for (const taskId of [
      'create_tenant',
      'install_connectors',
      'provision_test_dataset',
      'capture_search_baseline',
    ]) {
      await node(taskId, 'succeeded').waitFor({ timeout: 20_000 });
    }
    await page.locator('.unit[data-status="completed"]').waitFor();
    await dashboard.screenshot(page, 'journey-sandbox');

    // Attempts on click (and by keyboard: the nodes are buttons).
    await node('create_tenant').focus();
    await page.keyboard.press('Enter');
    const details = page.locator('.task-details[data-task-id="create_tenant"]');
    await details.getByRole('table', { name: 'Attempts' }).waitFor();
    await expect(details.locator('tbody tr').count()).resolves.toBe(1);
    await details.getByRole('button', { name: 'Close' }).click();

    // The gate: observed against threshold, and the approval still missing.
    const quality = page.locator('table.criteria tr[data-criterion-id="search_quality"]').first();
    await quality.waitFor();
    await expect(quality.textContent()).resolves.toMatch(/72.*> 80.*Failed/);

    // Promote now: refused, with the API's reason.
    await page.getByRole('button', { name: 'Promote to pilot' }).click();
    const refusal = page.locator('.action-outcome [role="alert"]');
    await refusal.waitFor();
    const refusalText = await refusal.textContent();
    expect(refusalText).toContain('EXIT_CRITERIA_NOT_MET');
    expect(refusalText).toContain('Search quality > 80%');
    await dashboard.screenshot(page, 'journey-refused');

    // Approve the demo (an admin may, by the default playbook's policy).
    await page.getByRole('button', { name: /Approve “Demo approved by client”/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/Comment/).fill('Demo went well');
    await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.getByText('Approved “Demo approved by client”.').waitFor();
    const approval = page.locator('.timeline-entry[data-event-type="ApprovalGranted"]');
    await approval.waitFor();
    await expect(approval.textContent()).resolves.toMatch(
      new RegExp(`by ${NAMES.admin}.*Demo went well`),
    );

    // The search quality recovers; now the promotion goes through.
    agents.behaviour.setMetric('quality', 'measure_search_quality', { value: 93 });
    await page.getByRole('button', { name: 'Promote to pilot' }).click();
    await page.getByText('Promoted to pilot.').waitFor();
    await page.locator('.journey-facts[data-stage="pilot"]').waitFor();
    await node('create_pilot_tenant').waitFor();
    await page.locator('.unit[data-status="completed"]').waitFor({ timeout: 20_000 });
    await page.locator('.timeline-entry[data-event-type="StagePromoted"]').waitFor();
    await dashboard.screenshot(page, 'journey');
    // What a laptop screen shows, for docs/images/dashboard.png (see docs/dashboard.md).
    await dashboard.screenshot(page, 'dashboard', { fullPage: false });

    // Roll back, which asks why.
    await page.getByRole('button', { name: 'Roll back to sandbox…' }).click();
    await dialog.getByRole('button', { name: 'Roll back' }).click();
    await dialog.getByText('Please give a reason.').waitFor();
    await dialog.getByLabel(/Why roll back/).fill('Pilot users report slow search');
    await dialog.getByRole('button', { name: 'Roll back' }).click();
    await page.getByText('Rolling back to sandbox.').waitFor();
    await node('delete_pilot_tenant').waitFor();
    await page.locator('.journey-facts[data-stage="sandbox"]').waitFor({ timeout: 20_000 });
    const rollback = page.locator('.timeline-entry[data-event-type="RollbackInitiated"]');
    await expect(rollback.textContent()).resolves.toMatch(
      new RegExp(`Pilot to Sandbox.*by ${NAMES.admin}.*Pilot users report slow search`),
    );
    await page.locator('.timeline-entry[data-event-type="RollbackCompleted"]').waitFor();

    // Back on the overview: the journey is in the sandbox again, and the metrics count it.
    await page.getByRole('link', { name: 'All journeys' }).click();
    await page.locator('.stage-column[data-stage="sandbox"] [data-client-id="acme"]').waitFor();
    await page.getByText('1 rollback of 1 promotion', { exact: false }).waitFor();
    await dashboard.screenshot(page, 'overview');
  }, 120_000);

  it('fits a phone: no sideways scrolling, the graph stacked, the controls too', async () => {
    const page = await dashboard.newPage({ width: 390, height: 844 });
    await dashboard.signIn(page, 'admin');
    await page.locator('[data-client-id="acme"]').waitFor();
    // Evaluated in the page (a string: the tests' TypeScript has no DOM types).
    const overflow = () =>
      page.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
    expect(await overflow()).toBeLessThanOrEqual(0);
    await dashboard.screenshot(page, 'overview-phone');
    await page.getByRole('link', { name: 'acme' }).click();
    await page.locator('.dag-node').first().waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await dashboard.screenshot(page, 'journey-phone');
    await page.getByRole('link', { name: 'Controls', exact: true }).click();
    await page.getByRole('button', { name: 'Add freeze' }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await dashboard.screenshot(page, 'controls-phone');
  }, 60_000);
});
