// The Open311 portal end to end: demo/open311 served by Vite as `npm start` serves it (the built
// library from dist/), the widget with transport="open311" on the reference server's Open311
// GeoReport v2 door (another origin, CORS allowed for the demo only), Debian's Chromium. A
// resident files a report through the form and gets its number; staff route and close it through
// the staff API; My requests shows the new status, the department and the note. Phone (390×844) and
// desktop (1280×800) screenshots land in test-results/screenshots/open311-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import {
  closeAll,
  launchChromium,
  screenshot,
  startDemoServer,
  startReferenceServer,
  waitFor,
  type DemoServer,
  type ReferenceServer,
  staffCall,
  VIEWPORTS,
} from '../helpers/e2e.js';

const { phone: PHONE, desktop: DESKTOP } = VIEWPORTS;

describe('Open311 portal end to end', () => {
  let demo: DemoServer;
  let api: ReferenceServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let reference = '';
  const pageErrors: string[] = [];

  before(async () => {
    demo = await startDemoServer();
    api = await startReferenceServer({ allowedOrigins: [demo.url] });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1 });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') console.log('[page]', message.text());
    });
  });

  after(async () => {
    await closeAll();
  });

  const staff = <T = unknown>(method: string, path: string, body?: unknown): Promise<T> => staffCall<T>(api, method, path, body);

  /** The portal with this run's server (demo-config.js reads `?api=`). */
  async function openPortal(lang: 'zh-CN' | 'en'): Promise<void> {
    await page.goto(`${demo.url}/demo/open311/?api=${encodeURIComponent(api.apiBase)}${lang === 'en' ? '&lang=en' : ''}`);
    await page.locator('intake-widget [part~="launcher"]').waitFor({ state: 'visible', timeout: 30000 });
  }

  const widget = (): Locator => page.locator('intake-widget');
  const form = (): Locator => page.locator('intake-widget intake-form');
  const status = (): Locator => page.locator('intake-widget intake-status');

  async function tabs(): Promise<string[]> {
    return (await widget().locator('[role="tab"]').allInnerTexts()).map((t) => t.trim());
  }

  /** Shows My requests afresh (the view reads the list and asks for news when its tab is shown). */
  async function showMyRequests(): Promise<void> {
    await widget().locator('#tab-form').click();
    await widget().locator('#tab-status').click();
    await status().locator('.list-title').waitFor();
  }

  async function next(): Promise<void> {
    await form().locator('button[type="submit"]').click();
  }

  test('the portal links from the landing page and offers the widget with only Form and My requests', async () => {
    await page.goto(`${demo.url}/demo/`);
    const link = page.locator('a[href="/demo/open311/"]');
    assert.equal(await link.count(), 1, 'the landing page links the Open311 portal');
    await openPortal('en');
    assert.match(await page.locator('[data-open311-base]').innerText(), /\/open311\/v2$/);
    assert.equal(await widget().getAttribute('endpoint'), `${api.apiBase.replace(/\/api\/v1$/, '')}/open311/v2`);
    await page.locator('[data-recent-state]').filter({ hasText: /No reports yet/ }).waitFor({ timeout: 15000 });
    await screenshot(page, 'open311-phone-page');
    await page.locator('[data-widget-action="openForm"]').first().click();
    await form().locator('form').waitFor({ timeout: 30000 });
    assert.deepEqual(await tabs(), ['Form', 'My requests']);
    assert.equal(await widget().locator('intake-chat').count(), 0, 'no chat on an Open311 backend');
    await waitFor(async () => (await form().locator('input[name="kind"]').count()) > 1, { message: 'kinds from the services' });
  });

  test('a resident files a report through the form and gets its number and department', async () => {
    await form().locator('input[name="kind"][value="complaint"]').check();
    await next();
    await form().locator('#service-search').fill('rubbish');
    await form().locator('input[name="service"][value="rubbish-collection"]').check();
    await next();
    await form().locator('#f-description').fill('The bins behind building 5 on Garden Road have not been emptied since Monday.');
    await form().locator('input[name="bin_type"][value="household"]').check();
    await form().locator('#f-fields-location').fill('Building 5, 8 Garden Road');
    assert.equal(await form().locator('input[type="file"]').count(), 0, 'Open311 takes no uploads: no file input');
    await next();
    await form().locator('input[name="contact"][value="reply"]').check();
    await form().locator('#f-contact-email').fill('li.hua@example.com');
    await form().locator('#f-consent').check();
    await next();
    await form().locator('.summary-list').waitFor();
    await screenshot(page, 'open311-phone-check');
    await next();
    await form().locator('.reference-number').waitFor({ timeout: 30000 });
    reference = (await form().locator('.reference-number').innerText()).trim();
    assert.match(reference, /^[A-Z]+-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/, 'the door gives the request its reference as service_request_id');
    const department = (await form().locator('.department').innerText()).trim();
    assert.ok(department.length > 0, 'the department (agency_responsible) is shown');
    await screenshot(page, 'open311-phone-confirmation');

    // The same request, in the staff queue, filed through the Open311 door.
    const detail = await staff<{ reference: string; channel?: string; contact?: { email?: string } | null }>('GET', `/requests/${encodeURIComponent(reference)}`);
    assert.equal(detail.reference, reference);
    assert.equal(detail.channel, 'open311');
    // Staff see the contact on demand (POST …/contact, audited), not in the detail.
    const shown = await staff<{ contact: { email?: string } | null }>('POST', `/requests/${encodeURIComponent(reference)}/contact`);
    assert.equal(shown.contact?.email, 'li.hua@example.com', 'staff see the contact');
    // The page's public list (GET requests.json) shows it, without the contact.
    await page.locator('[data-recent-list] .report-number').filter({ hasText: reference }).waitFor({ timeout: 15000 });
    assert.doesNotMatch(await page.locator('[data-recent-list]').innerText(), /li\.hua/);
  });

  test('staff route it and close it; My requests shows the new department, the status and the note', async () => {
    assert.ok(reference, 'needs the report from the test before');
    const { departments } = await staff<{ departments: { id: string; name: string }[] }>('GET', '/departments');
    assert.ok(departments.some((d) => d.id === 'xinhua-office'), 'the seed has the street office');
    await staff('POST', `/requests/${encodeURIComponent(reference)}/route`, { department: 'xinhua-office', note: 'Passed to the street office cleaning team.' });

    await showMyRequests();
    const item = status().locator(`[data-reference="${reference}"]`);
    await waitFor(async () => /Xinhua Street Office/.test(await item.innerText()), { message: 'new department in the list', timeout: 20000 });
    assert.match(await item.innerText(), /Sent to a department/);
    await item.click();
    await status().locator('.detail').waitFor();
    assert.equal((await status().locator('.department').innerText()).trim(), 'Xinhua Street Office');
    assert.match(await status().locator('.reply-text').innerText(), /Passed to the street office cleaning team\./);
    assert.equal(await status().locator('.reply-due').count(), 1, 'the reply-by time (expected_datetime) is shown');
    await screenshot(page, 'open311-phone-status-routed');

    await staff('POST', `/requests/${encodeURIComponent(reference)}/status`, { status: 'in_progress' });
    await staff('POST', `/requests/${encodeURIComponent(reference)}/status`, { status: 'resolved', note: 'The bins were emptied this morning.' });
    await status().locator('.back').click();
    await showMyRequests();
    await waitFor(async () => /Resolved/.test(await item.innerText()), { message: 'resolved in the list (the door\'s servicerequestupdates say fixed)', timeout: 20000 });
    await item.click();
    await status().locator('.detail').waitFor();
    assert.equal((await status().locator('.facts .badge').innerText()).trim(), 'Resolved');
    assert.equal((await status().locator('.department').innerText()).trim(), 'Xinhua Street Office');
    assert.match(await status().locator('.reply-text').last().innerText(), /The bins were emptied this morning\./, 'each update is a reply; the newest last');
    assert.equal(await status().locator('input[name="rating"]').count(), 0, 'no rating on Open311');
    assert.equal(await status().locator('.reopen').count(), 0, 'no reopening on Open311');
    assert.match(await status().locator('.no-feedback').innerText(), /does not take ratings/);
    // "What you wrote" opens with its chevron.
    await status().locator('.description summary').click();
    await status().locator('.description-text').waitFor();
    await page.waitForTimeout(300); // the chevron's turn
    await screenshot(page, 'open311-phone-status-closed');

    // On a phone the panel is a full-screen sheet: close it to use the page again.
    await widget().locator('button.close').click();
    await page.locator('[data-recent-refresh]').click();
    await waitFor(async () => /Closed/.test(await page.locator('[data-recent-list] .report').first().innerText()), { message: 'closed in the public list' });
  });

  test('desktop and Chinese: the same report, screenshots', async () => {
    assert.ok(reference, 'needs the report from the tests before');
    await page.setViewportSize(DESKTOP);
    await openPortal('zh-CN');
    await page.locator('[data-recent-list] .report').first().waitFor({ timeout: 15000 });
    await screenshot(page, 'open311-desktop-page');
    await screenshot(page, 'open311-desktop-page-full', true);
    await page.locator('[data-widget-action="showStatus"]').first().click();
    await status().locator(`[data-reference="${reference}"] .badge`).waitFor({ timeout: 30000 });
    assert.deepEqual(await tabs(), ['提交诉求', '我的诉求']);
    assert.match(await status().locator(`[data-reference="${reference}"]`).innerText(), /新华街道办事处/);
    await screenshot(page, 'open311-desktop-status');
    await status().locator(`[data-reference="${reference}"]`).click();
    await status().locator('.detail').waitFor();
    assert.equal((await status().locator('.facts .badge').innerText()).trim(), '已办结');
    await screenshot(page, 'open311-desktop-status-detail');
    await widget().locator('#tab-form').click();
    await form().locator('form').waitFor();
    await screenshot(page, 'open311-desktop-form');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'open311-phone-form-zh');
    assert.deepEqual(pageErrors, []);
  });
});
