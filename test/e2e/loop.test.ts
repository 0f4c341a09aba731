// The 12345 closed loop end to end (issue 17): one complaint around the whole loop in Chromium
// against the real reference server with a controllable clock (ManualClock: the test moves the
// loop's time; it never sleeps). Filed from the community portal (demo/community/, the widget's
// inline form and status), dispatched by the dispatcher to the wrong office, returned by it with a
// reason, re-dispatched, overdue and escalated, replied, resolved, rated 不满意, sent back to be
// redone, resolved again, rated 满意. At each step: the resident's view (the portal page's status
// widget), the queue of the console signed in as the relevant demo account (each in its own browser
// context), the audit log (the supervisor's #/audit view) and the month's assessment figures.
// Every wait is for a state; time limits are only a safety net for a slow, busy machine.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ManualClock } from '../../demo/server/loop/clock.js';
import type { StaffRequestDetail } from '../../demo/server/staff/staff-api.js';
import { closeAll, launchChromium, screenshot, startDemoServer, startReferenceServer, VIEWPORTS, waitFor, type DemoServer, type ReferenceServer } from '../helpers/e2e.js';
import { go, openDesk, queueRow, waitInQueue, waitInView, type Desk, type DemoLogin } from '../helpers/loop-desks.js';

const SITE = 'riverside/xinhua/garden';
/** Wednesday 2 December 2026, 09:30 in Asia/Shanghai: a working day, mid-month, no holiday near. */
const START = new Date('2026-12-02T01:30:00Z');
const WRONG = 'market-regulation';

describe('the closed loop: one complaint from the community portal around the whole loop', () => {
  const clock = new ManualClock(START);
  let api: ReferenceServer;
  let demo: DemoServer;
  let browser: Browser;
  let resident: { context: BrowserContext; page: Page };
  const desks = {} as Record<'dispatcher' | 'market' | 'sanitation' | 'supervisor', Desk>;
  const pageErrors: string[] = [];
  let reference = '';
  const requestHash = () => `#/request/${encodeURIComponent(reference)}`;

  /* ------------------------------------------------------------ helpers */

  /** The portal page's own status widget (the "查询进度" section), not the floating one. */
  const status = (): Locator => resident.page.locator('#track intake-status');

  async function openPortal(): Promise<void> {
    await resident.page.goto(`${demo.url}/demo/community/?api=${encodeURIComponent(api.apiBase)}`);
    await resident.page.locator('intake-widget [part~="launcher"]').waitFor({ state: 'visible', timeout: 30000 });
  }

  /** Opens the complaint in the page's status widget (after a reload it lists the resident's requests). */
  async function openInStatus(): Promise<void> {
    const item = status().locator(`[data-reference="${reference}"]`);
    // The list may be drawn again as its details arrive (a click on the old drawing is lost): click
    // until the detail is open.
    await waitFor(async () => {
      if (await status().locator('.detail').isVisible()) return true;
      await item.click({ timeout: 10000 });
      return status().locator('.detail').waitFor({ timeout: 3000 }).then(() => true, () => false);
    }, { timeout: 45000, interval: 500, message: `${reference} opened in the status widget` });
  }

  /**
   * Waits until the resident's view of the complaint satisfies `check` (its text, lower-cased not):
   * the status widget refreshes while open; if it has not yet, the resident reloads the page.
   */
  async function residentSees(check: (text: string) => boolean, message: string, timeout = 60000): Promise<string> {
    const deadline = Date.now() + timeout;
    let last = '';
    for (let round = 0; ; round++) {
      if (round > 0) await openPortal();
      await openInStatus();
      try {
        return await waitFor(async () => {
          last = await status().locator('.detail').innerText();
          return check(last) ? last : '';
        }, { timeout: 8000, message });
      } catch {
        if (Date.now() > deadline) throw new Error(`resident view: ${message} not shown within ${timeout} ms. Last:\n${last}`);
      }
    }
  }

  /** The complaint as the given person's staff API sees it. */
  const detailAs = (login: keyof typeof desks) => desks[login].call<StaffRequestDetail>('GET', `/requests/${encodeURIComponent(reference)}`);

  /** Opens the complaint in a desk's console from its queue, as a person clicks it. */
  async function openFromQueue(desk: Desk): Promise<void> {
    await waitInQueue(desk, reference);
    await queueRow(desk, reference).locator('a').first().click();
    await desk.page.locator('staff-request h2').filter({ hasText: reference }).waitFor({ timeout: 30000 });
  }

  /** The audit log's actions for the complaint as the supervisor's console shows them (#/audit, filtered by the item). */
  async function auditActions(expected: string[]): Promise<string[]> {
    const sup = desks.supervisor;
    const hash = `#/audit/?kind=request&id=${encodeURIComponent(reference)}`;
    let actions: string[] = [];
    await waitInView(sup, hash, () => sup.page.locator('staff-audit ol.entries > li'), 'audit entries');
    await waitFor(async () => {
      actions = await sup.page.locator('staff-audit ol.entries > li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-action') ?? ''));
      if (expected.every((a) => actions.includes(a))) return true;
      await go(sup, '#/');
      await go(sup, hash);
      await sup.page.locator('staff-audit ol.entries > li').first().waitFor({ timeout: 20000 });
      return false;
    }, { timeout: 60000, interval: 500, message: `audit log has ${expected.join(', ')}` });
    return actions;
  }

  async function shots(page: Page, name: string): Promise<void> {
    for (const [size, viewport] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(viewport);
      await screenshot(page, `loop-${name}-${size}`);
    }
    await page.setViewportSize(VIEWPORTS.desktop);
  }

  before(async () => {
    api = await startReferenceServer({ demoAccounts: true, clock });
    demo = await startDemoServer();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`portal: ${error.message}`));
    resident = { context, page };
    for (const login of ['dispatcher', 'market', 'sanitation', 'supervisor'] as const satisfies readonly DemoLogin[]) {
      desks[login] = await openDesk(browser, demo.url, api, login, pageErrors);
    }
  });

  after(async () => {
    await closeAll();
  });

  /* ------------------------------------------------------------ the loop */

  test('filed from the community portal: the resident sees it received, the dispatcher has it in the queue', async () => {
    await openPortal();
    const form = resident.page.locator('#report intake-form');
    await form.locator('input[name="kind"][value="complaint"]').check({ timeout: 30000 });
    await form.locator('button[type="submit"]').click();
    await form.locator('#service-search').fill('垃圾');
    await form.locator('input[name="service"][value="rubbish-collection"]').check();
    await form.locator('button[type="submit"]').click();
    await form.locator('#f-description').fill('花园路5号楼后面的厨余垃圾桶连续三天没有清运，已经满溢发臭。');
    await form.locator('#f-fields-location').fill('花园路5号楼');
    await form.locator('input[name="bin_type"][value="kitchen"]').check();
    await form.locator('button[type="submit"]').click();
    await form.locator('input[name="contact"][value="reply"]').check();
    await form.locator('#f-contact-name').fill('李女士');
    await form.locator('#f-contact-phone').fill('13800001234');
    await form.locator('#f-consent').check();
    await form.locator('button[type="submit"]').click();
    await form.locator('.summary-list').waitFor({ timeout: 20000 });
    await form.locator('button[type="submit"]').click();
    await form.locator('.reference-number').waitFor({ timeout: 30000 });
    reference = (await form.locator('.reference-number').innerText()).trim();
    assert.match(reference, /^[A-Z]+-/);

    // The resident's view: received, with the office it is routed to by the catalogue.
    const seen = await residentSees((t) => t.includes('已受理'), 'received');
    assert.ok(seen.includes('已受理'), seen);
    await shots(resident.page, 'filed');

    // The dispatcher's queue has it, live.
    await waitInQueue(desks.dispatcher, reference);
    const detail = await detailAs('dispatcher');
    assert.equal(detail.site.id, SITE);
    assert.equal(detail.service.id, 'rubbish-collection');
  });

  test('dispatched, by mistake, to the market regulation bureau: it is in their queue, not the sanitation officer\'s', async () => {
    const desk = desks.dispatcher;
    await openFromQueue(desk);
    await desk.page.locator('#route-department').selectOption(WRONG);
    await desk.page.getByRole('button', { name: 'Route', exact: true }).click();
    await waitInView(desk, requestHash(), () => desk.page.locator('staff-request [data-routed]').filter({ hasText: 'Market Regulation' }), 'routed to market regulation');
    assert.equal((await detailAs('dispatcher')).routedTo.id, WRONG);

    await waitInQueue(desks.market, reference);
    await waitInQueue(desks.sanitation, reference, false);
    const seen = await residentSees((t) => t.includes('区市场监督管理局'), 'routed to the market regulation bureau');
    assert.ok(seen.includes('已派单'), `the resident sees the dispatch: ${seen}`);
    await auditActions(['route']);
  });
});
