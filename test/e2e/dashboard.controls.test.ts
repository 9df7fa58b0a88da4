import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { CONTROL_BUTTONS } from './action-buttons.js';
import { describeWithChromium } from './chromium.js';
import { NAMES, useDashboard, type Dashboard } from './dashboard-fixture.js';

const DEMO = 'Demo approved by client';
const QUALITY = 'Search quality > 80%';

/**
 * The gate controls in the dashboard, against a real `journey serve`: each button clicked and
 * its effect checked through the API (the event recorded, the state changed), refusals shown
 * with the API's problem, and who sees which buttons.
 */
describeWithChromium('dashboard: the gate controls', () => {
  const dashboard = useDashboard();

  it('lets an operator pause and resume, decide an inconclusive criterion, withdraw an approval and issue a sign-off link', async () => {
    // initech's search quality source fails: the criterion is inconclusive and waits for a person.
    dashboard.agents.behaviour.set(
      'quality',
      'measure_search_quality',
      { kind: 'fail', message: 'quality service down' },
      { clientId: 'initech' },
    );
    expect(
      (await dashboard.api('POST', '/v1/journeys', { body: { clientId: 'initech' } })).status,
    ).toBe(201);
    const page = await dashboard.newPage();
    await dashboard.signIn(page, 'operator');
    await openJourney(page, 'initech');
    await page
      .locator('table.criteria tr[data-criterion-id="search_quality"][data-outcome="inconclusive"]')
      .waitFor({ timeout: 30_000 });
    await page.locator('[data-blocker="CRITERION_INCONCLUSIVE"]').waitFor();

    // Pause: the banner says who, when and why; the API has it; a promotion is refused.
    await page.getByRole('button', { name: 'Pause journey…' }).click();
    const dialog = page.getByRole('dialog');
    // The modal dialog takes the focus to its text box.
    await expect(focused(page)).resolves.toBe('action-dialog-text');
    await dialog.getByRole('button', { name: 'Pause journey' }).click();
    await dialog.getByText('Please give a reason.').waitFor();
    await dialog.getByLabel(/Why pause/).fill('Client asked to hold');
    await dialog.getByRole('button', { name: 'Pause journey' }).click();
    const banner = page.locator('.paused-banner');
    await banner.waitFor();
    await expect(banner.textContent()).resolves.toMatch(
      new RegExp(`Paused.*by ${NAMES.operator}.*Client asked to hold`),
    );
    expect((await journey(dashboard, 'initech'))['paused']).toMatchObject({
      pausedBy: NAMES.operator,
      reason: 'Client asked to hold',
    });
    await page.locator('[data-blocker="JOURNEY_PAUSED"]').waitFor();
    await page.getByRole('button', { name: 'Promote to pilot' }).click();
    await expect(refusal(page).textContent()).resolves.toContain('JOURNEY_PAUSED');
    // The overview shows it too, live.
    await page.getByRole('link', { name: 'Journeys', exact: true }).click();
    await page.locator('[data-client-id="initech"]').filter({ hasText: 'Paused' }).waitFor();
    await openJourney(page, 'initech');

    // Resume (the reason may be left out).
    await page.getByRole('button', { name: 'Resume journey…' }).click();
    await dialog.getByRole('button', { name: 'Resume journey' }).click();
    await page.getByText('Journey resumed.').waitFor();
    await banner.waitFor({ state: 'detached' });
    expect((await journey(dashboard, 'initech'))['paused']).toBeNull();
    await expect(eventTypes(dashboard, 'initech')).resolves.toEqual(
      expect.arrayContaining(['JourneyPaused', 'JourneyResumed']),
    );

    // The inconclusive criterion: accepted with a reason, recorded with who and why.
    await page.getByRole('button', { name: `Accept or reject “${QUALITY}”…` }).click();
    await dialog.getByLabel(/Why\?/).fill('Quality service outage; 91% last week');
    await dialog.getByRole('button', { name: 'Accept (counts as passed)' }).click();
    await page.getByText(`Accepted “${QUALITY}”.`).waitFor();
    const resolved = (await events(dashboard, 'initech')).find(
      (event) => event.type === 'InconclusiveResolved',
    );
    expect(resolved?.data).toMatchObject({
      criterionId: 'search_quality',
      decision: 'accept',
      decidedBy: NAMES.operator,
      reason: 'Quality service outage; 91% last week',
    });
    await page
      .locator('table.readiness-criteria tr[data-criterion-id="search_quality"]')
      .getByText(`accepted by ${NAMES.operator}`)
      .waitFor();

    // Approve, then withdraw the approval: ApprovalRevoked.
    await page.getByRole('button', { name: new RegExp(`Approve “${DEMO}”`) }).click();
    await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.getByText(`Approved “${DEMO}”.`).waitFor();
    await page.getByRole('button', { name: `Withdraw my approval of “${DEMO}”…` }).click();
    await dialog.getByLabel(/Why withdraw/).fill('Approved the wrong client');
    await dialog.getByRole('button', { name: 'Withdraw approval' }).click();
    await page.getByText(`Withdrew your approval of “${DEMO}”.`).waitFor();
    const revoked = (await events(dashboard, 'initech')).find(
      (event) => event.type === 'ApprovalRevoked',
    );
    expect(revoked?.data).toMatchObject({
      criterionId: 'demo_approved',
      approverId: NAMES.operator,
      reason: 'Approved the wrong client',
    });

    // A sign-off link for the client: the URL once, copied, and listed as open afterwards.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: dashboard.server.url,
    });
    await page.getByRole('button', { name: `Sign-off link for “${DEMO}”…` }).click();
    await dialog.getByLabel(/Client's name/).fill('Carol');
    await dialog.getByLabel('Works for').selectOption('7d');
    await dialog.getByLabel(/Note shown/).fill('Please confirm the demo');
    await dialog.getByRole('button', { name: 'Issue link' }).click();
    const url = dialog.getByLabel(/Sign-off link \(shown only now/);
    await url.waitFor();
    await expect(focused(page)).resolves.toBe('issued-link-url');
    const link = await url.inputValue();
    expect(link.startsWith(`${dashboard.server.url}/sign-off/`)).toBe(true);
    await dialog.getByRole('button', { name: 'Copy link' }).click();
    await dialog.getByText('Copied.', { exact: false }).waitFor();
    await expect(page.evaluate<string>('navigator.clipboard.readText()')).resolves.toBe(link);
    await dashboard.screenshot(page, 'journey-sign-off-link', { fullPage: false });
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page
      .locator('.sign-off-links li')
      .filter({ hasText: `for Carol, issued by ${NAMES.operator}` })
      .waitFor();
    const readiness = await dashboard.api('GET', '/v1/journeys/initech/readiness');
    const criteria = readiness.body['criteria'] as {
      approval: { openSignOffLinks: unknown[] } | null;
    }[];
    expect(criteria.flatMap((c) => c.approval?.openSignOffLinks ?? [])).toHaveLength(1);
    expect((await fetch(link)).status).toBe(200);
    await dashboard.screenshot(page, 'journey-controls');
  }, 120_000);

  it('lets an admin stop the line, add and remove a freeze, and promote through it', async () => {
    const page = await dashboard.newPage();
    await dashboard.signIn(page, 'admin');
    await page.getByRole('link', { name: 'Controls', exact: true }).click();
    await page.getByRole('heading', { name: 'Controls', level: 1 }).waitFor();

    // Stop the line: the API has it, and every page says so.
    await page.getByRole('button', { name: 'Stop the line…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/Why stop/).fill('Incident 42: search cluster degraded');
    await dialog.getByRole('button', { name: 'Stop the line' }).click();
    await page.getByText('The line is stopped.').waitFor();
    const controls = await dashboard.api('GET', '/v1/controls', { as: 'viewer' });
    expect(controls.body['promotions']).toMatchObject({
      paused: true,
      pausedBy: NAMES.admin,
      reason: 'Incident 42: search cluster degraded',
    });
    const stopped = page.locator('.stop-line-banner');
    await expect(stopped.textContent()).resolves.toContain('Incident 42');
    await openJourney(page, 'initech');
    await stopped.waitFor();
    await page.locator('[data-blocker="PROMOTIONS_PAUSED"]').waitFor();
    await page.getByRole('button', { name: 'Promote to pilot' }).click();
    await expect(refusal(page).textContent()).resolves.toContain('PROMOTIONS_PAUSED');
    await dashboard.screenshot(page, 'journey-line-stopped');

    // Resume the line.
    await page.getByRole('link', { name: 'Controls', exact: true }).click();
    await page.getByRole('button', { name: 'Resume the line…' }).click();
    await dialog.getByRole('button', { name: 'Resume the line' }).click();
    await page.getByText('The line runs again.').waitFor();
    await stopped.waitFor({ state: 'detached' });
    expect((await dashboard.api('GET', '/v1/controls')).body['promotions']).toMatchObject({
      paused: false,
    });

    // A freeze with an unknown time zone is refused, the problem shown at its field.
    const hour = 3_600_000;
    await page.getByLabel(/^Id/).fill('incident-42');
    await page.getByLabel(/^Description/).fill('Incident 42');
    await page.getByLabel(/^From/).fill(localMinute(Date.now() - hour));
    await page.getByLabel(/^To/).fill(localMinute(Date.now() + 2 * hour));
    await page.getByLabel(/^Time zone/).fill('Mars/Olympus_Mons');
    await page.getByRole('button', { name: 'Add freeze' }).click();
    await expect(page.locator('.freeze-form .problem').textContent()).resolves.toContain(
      'FREEZE_INVALID',
    );
    await expect(page.locator('#freeze-timezone-errors').textContent()).resolves.toMatch(
      /Mars\/Olympus_Mons/,
    );
    await expect(page.getByLabel(/^Time zone/).getAttribute('aria-invalid')).resolves.toBe('true');
    await dashboard.screenshot(page, 'controls-freeze-invalid');

    // Fixed: the freeze is in force now.
    await page.getByLabel(/^Time zone/).fill('UTC');
    await page.getByRole('button', { name: 'Add freeze' }).click();
    await page.getByText('Added freeze “incident-42”.').waitFor();
    await page
      .locator('table.freezes tr[data-freeze-id="incident-42"][data-active="true"]')
      .waitFor();
    const freezes = (await dashboard.api('GET', '/v1/controls')).body['freezes'] as {
      freeze: Record<string, string>;
      activeNow: unknown;
    }[];
    expect(freezes.map((f) => [f.freeze['id'], f.activeNow !== null])).toEqual([
      ['incident-42', true],
    ]);
    await dashboard.screenshot(page, 'controls');

    // The freeze refuses the promotion; an admin overrides it with a reason.
    expect(
      (
        await dashboard.api('POST', '/v1/journeys/initech/approvals', {
          body: { criterion: 'demo_approved', comment: 'Demo signed off' },
        })
      ).status,
    ).toBe(201);
    // An operator is refused too, and is not offered the override (admins only).
    const operator = await dashboard.newPage();
    await dashboard.signIn(operator, 'operator');
    await openJourney(operator, 'initech');
    await operator.getByRole('button', { name: 'Promote to pilot' }).click();
    await expect(refusal(operator).textContent()).resolves.toContain('FREEZE_IN_FORCE');
    await operator.getByText('An admin may promote through the freeze', { exact: false }).waitFor();
    await expect(operator.getByRole('button', { name: 'Override freeze…' }).count()).resolves.toBe(
      0,
    );

    await openJourney(page, 'initech');
    await page.locator('[data-blocker="FREEZE_IN_FORCE"]').waitFor();
    await page.getByRole('button', { name: 'Promote to pilot' }).click();
    await expect(refusal(page).textContent()).resolves.toContain('FREEZE_IN_FORCE');
    await page.getByRole('button', { name: 'Override freeze…' }).click();
    await dialog.getByLabel(/Why override/).fill('Client launch cannot wait');
    await dialog.getByRole('button', { name: 'Override freeze and promote' }).click();
    await page.getByText('Promoted to pilot. (freeze overridden)').waitFor();
    await page.locator('.journey-facts[data-stage="pilot"]').waitFor();
    const promoted = (await events(dashboard, 'initech')).find((e) => e.type === 'StagePromoted');
    expect(promoted?.data['freezeOverride']).toMatchObject({
      reason: 'Client launch cannot wait',
      overriddenBy: NAMES.admin,
      freezes: [expect.objectContaining({ freezeId: 'incident-42' })],
    });

    // Remove the freeze; the audit lists every change.
    await page.getByRole('link', { name: 'Controls', exact: true }).click();
    await page.getByRole('button', { name: 'Remove freeze “incident-42”…' }).click();
    await dialog.getByLabel(/Why remove/).fill('Incident resolved');
    await dialog.getByRole('button', { name: 'Remove freeze' }).click();
    await page.getByText('Removed freeze “incident-42”.').waitFor();
    expect((await dashboard.api('GET', '/v1/controls')).body['freezes']).toEqual([]);
    const audit = page.locator('table.control-changes tbody tr');
    await page.locator('table.control-changes tr[data-action="freeze_removed"]').waitFor();
    await expect(audit.count()).resolves.toBe(4);
    await expect(audit.first().textContent()).resolves.toMatch(
      new RegExp(`Removed freeze “incident-42”.*${NAMES.admin}.*Incident resolved`),
    );
  }, 120_000);

  it('shows an operator the fleet controls without their admin buttons, and a viewer no control at all', async () => {
    const operator = await dashboard.newPage();
    await dashboard.signIn(operator, 'operator');
    await operator.getByRole('link', { name: 'Controls', exact: true }).click();
    // The audit table is the page's last part to render: every button would be there by then.
    await operator.locator('table.control-changes tr[data-action="freeze_removed"]').waitFor();
    await expect(
      operator
        .getByRole('button', { name: /Stop the line|Resume the line|Remove freeze|Add freeze/ })
        .count(),
    ).resolves.toBe(0);

    const viewer = await dashboard.newPage();
    await dashboard.signIn(viewer, 'viewer');
    await openJourney(viewer, 'initech');
    await viewer.locator('table.readiness-criteria tbody tr').first().waitFor();
    await viewer.locator('.timeline-entry[data-event-type="StagePromoted"]').waitFor();
    await expect(viewer.getByRole('button', { name: CONTROL_BUTTONS }).count()).resolves.toBe(0);
    await expect(
      viewer.locator('table.readiness-criteria th', { hasText: 'Actions' }).count(),
    ).resolves.toBe(0);
    await viewer.getByRole('link', { name: 'Controls', exact: true }).click();
    await viewer.locator('table.control-changes tr[data-action="freeze_removed"]').waitFor();
    await expect(viewer.getByRole('button', { name: CONTROL_BUTTONS }).count()).resolves.toBe(0);
  }, 60_000);
});

async function openJourney(page: Page, clientId: string): Promise<void> {
  await page.getByRole('link', { name: 'Journeys', exact: true }).click();
  await page.getByRole('link', { name: clientId, exact: true }).click();
  await page.getByRole('heading', { name: clientId, level: 1 }).waitFor();
}

/** The id of the element that has the focus (evaluated in the page: no DOM types here). */
function focused(page: Page): Promise<string> {
  return page.evaluate<string>('document.activeElement?.id ?? ""');
}

/** The refusal shown for the journey's actions. */
function refusal(page: Page) {
  return page.locator('.actions .action-outcome [role="alert"]');
}

async function journey(dashboard: Dashboard, clientId: string): Promise<Record<string, unknown>> {
  return (await dashboard.api('GET', `/v1/journeys/${clientId}`)).body;
}

interface EventView {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

async function events(dashboard: Dashboard, clientId: string): Promise<readonly EventView[]> {
  return (await dashboard.api('GET', `/v1/journeys/${clientId}/events`)).body[
    'items'
  ] as EventView[];
}

async function eventTypes(dashboard: Dashboard, clientId: string): Promise<readonly string[]> {
  return (await events(dashboard, clientId)).map((event) => event.type);
}

/** `YYYY-MM-DDTHH:MM` in UTC, as a datetime-local input takes it (the freeze is in UTC). */
function localMinute(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 16);
}
