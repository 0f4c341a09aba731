// A request end to end: the real reference server (in-memory database), the form and My requests
// views served by Vite from the sources, Debian's Chromium. The resident files a complaint with a
// photo, staff route and reply through the staff API, the timeline shows it, the resident rates,
// and the staff metrics count the rating.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import {
  closeAll,
  REPO_ROOT,
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

const SITE = 'riverside/xinhua/garden';
// Served by Vite from disk: a page answered through page.route() counts as a public address and
// Chromium then refuses its calls to the loopback server (Local Network Access).
const PAGE = `.tmp/e2e-requests-${process.pid}.html`;

describe('requests end to end', () => {
  let api: ReferenceServer;
  let demo: DemoServer;
  let browser: Browser;
  let page: Page;
  let reference = '';
  const pageErrors: string[] = [];

  const staff = <T = unknown>(method: string, path: string, body?: unknown): Promise<T> => staffCall<T>(api, method, path, body);

  async function openPage(): Promise<void> {
    await page.goto(`${demo.url}/${PAGE}`);
    await page.locator('intake-form form').waitFor({ timeout: 30000 });
  }

  before(async () => {
    api = await startReferenceServer();
    demo = await startDemoServer();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: VIEWPORTS.phone });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => { if (message.type() === 'error') console.log('[page]', message.text()); });
    const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Requests e2e</title></head><body>
      <intake-form endpoint="${api.apiBase}" site="${SITE}" locale="en"></intake-form>
      <intake-status endpoint="${api.apiBase}" site="${SITE}" locale="en"></intake-status>
      <script type="module">import '/src/components/form/form.ts'; import '/src/components/status/status.ts';</script>
    </body></html>`;
    await mkdir(`${REPO_ROOT}.tmp`, { recursive: true });
    await writeFile(`${REPO_ROOT}${PAGE}`, body);
  });

  after(async () => {
    await closeAll();
    await rm(`${REPO_ROOT}${PAGE}`, { force: true });
  });

  test('a resident files a complaint with a photo and gets a reference number', async () => {
    await openPage();
    const form = page.locator('intake-form');
    await form.locator('input[name="kind"][value="complaint"]').check();
    await form.locator('button[type="submit"]').click();
    await form.locator('#service-search').fill('rubbish');
    await form.locator('input[name="service"][value="rubbish-collection"]').check();
    await form.locator('button[type="submit"]').click();
    await form.locator('#f-description').fill('The bins on Garden Road have not been emptied since Monday.');
    await form.locator('#f-fields-location').fill('12 Garden Road');
    await form.locator('input[name="bin_type"][value="household"]').check();
    await form.locator('#f-fields-photos').setInputFiles({ name: 'bins.png', mimeType: 'image/png', buffer: PNG_1PX });
    await form.locator('.file.done').waitFor({ timeout: 15000 });
    await form.locator('button[type="submit"]').click();
    await form.locator('input[name="contact"][value="reply"]').check();
    await form.locator('#f-contact-email').fill('li.hua@example.com');
    await form.locator('#f-consent').check();
    await form.locator('button[type="submit"]').click();
    await form.locator('.summary-list').waitFor();
    assert.match(await form.locator('.summary-list').innerText(), /bins\.png/);
    await form.locator('button[type="submit"]').click();
    await form.locator('.reference-number').waitFor({ timeout: 20000 });
    reference = (await form.locator('.reference-number').innerText()).trim();
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
