// A request end to end: the real reference server (in-memory database), the form and My requests
// views served by Vite from the sources, Debian's Chromium. The resident files a complaint with a
// photo, staff route and reply through the staff API, the timeline shows it, the resident rates,
// and the staff metrics count the rating.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
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
  PNG_1PX,
  VIEWPORTS,
} from '../helpers/e2e.js';
import { fileRubbishComplaint, writeFormAndStatusPage } from '../helpers/resident-e2e.js';

const SITE = 'riverside/xinhua/garden';

describe('requests end to end', () => {
  let api: ReferenceServer;
  let demo: DemoServer;
  let browser: Browser;
  let page: Page;
  let pagePath = '';
  let reference = '';
  const pageErrors: string[] = [];

  const staff = <T = unknown>(method: string, path: string, body?: unknown): Promise<T> => staffCall<T>(api, method, path, body);

  async function openPage(): Promise<void> {
    await page.goto(`${demo.url}/${pagePath}`);
    await page.locator('intake-form form').waitFor({ timeout: 30000 });
  }

  before(async () => {
    api = await startReferenceServer();
    demo = await startDemoServer();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: VIEWPORTS.phone });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => { if (message.type() === 'error') console.log('[page]', message.text()); });
    pagePath = await writeFormAndStatusPage(api, { name: 'requests', title: 'Requests e2e', site: SITE });
  });

  after(async () => {
    await closeAll();
  });

  test('a resident files a complaint with a photo and gets a reference number', async () => {
    await openPage();
    const form = page.locator('intake-form');
    const filed = await fileRubbishComplaint(form, {
      description: 'The bins on Garden Road have not been emptied since Monday.',
      location: '12 Garden Road',
      photo: { name: 'bins.png', mimeType: 'image/png', buffer: PNG_1PX },
      contact: { email: 'li.hua@example.com' },
    });
    assert.match(filed.summary, /bins\.png/, 'the check step lists the photo');
    reference = filed.reference;
    assert.match(reference, /^[A-Z]+-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/);
    assert.ok((await form.locator('.department').innerText()).trim().length > 0);
    await screenshot(page, 'requests-confirmation');
    const detail = await staff<{ attachments?: unknown[] }>('GET', `/requests/${encodeURIComponent(reference)}`);
    assert.equal(detail.attachments?.length, 1, 'the photo arrived with the request');
  });

  test('staff route and reply; the timeline shows it; the resident rates; metrics count the rating', async () => {
    assert.ok(reference, 'needs the first test');
    await staff('POST', `/requests/${encodeURIComponent(reference)}/route`, { department: 'sanitation', note: 'Street team' });
    await staff('POST', `/requests/${encodeURIComponent(reference)}/reply`, { text: 'We emptied the bins this morning.' });

    await openPage();
    const status = page.locator('intake-status');
    await status.locator(`[data-reference="${reference}"]`).click();
    await status.locator('.detail').waitFor();
    await waitFor(async () => (await status.locator('.reply-text').innerText()).includes('We emptied the bins this morning.'), { message: 'reply shown' });
    const timeline = await status.locator('.timeline').innerText();
    assert.match(timeline, /Received/);
    assert.match(timeline, /Replied/);
    await screenshot(page, 'requests-timeline');

    await status.locator('input[name="rating"][value="5"]').check();
    await status.locator('input[name="resolved"][value="yes"]').check();
    await status.locator('#f-comment').fill('Quick, thank you.');
    await status.locator('.rate button[type="submit"]').click();
    await waitFor(async () => (await status.locator('.thanks').innerText()).includes('Thank you for your rating.'), { timeout: 20000, message: 'rating acknowledged' });

    const metrics = await staff<{ satisfactionBySite: { site: { id: string }; average: number; count: number; solvedRate: number }[] }>('GET', '/metrics');
    const garden = metrics.satisfactionBySite.find((s) => s.site.id === SITE);
    assert.ok(garden, JSON.stringify(metrics));
    assert.equal(garden.count, 1);
    assert.equal(garden.average, 5);
    assert.equal(garden.solvedRate, 1);
    assert.deepEqual(pageErrors, []);
  });
});
