// Issue 15, item 2, end to end: a photo attached offline is queued with the request (its bytes
// kept in IndexedDB), the check step says where it is, and once the network is back — after the
// page was closed and opened again — the request arrives carrying it. Real reference server, the
// form from the sources (Vite), Debian's Chromium at phone size.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { closeAll, REPO_ROOT, launchChromium, screenshot, startDemoServer, startReferenceServer, staffCall, waitFor, PNG_1PX, VIEWPORTS, type DemoServer, type ReferenceServer } from '../helpers/e2e.js';

const SITE = 'riverside/xinhua/garden';
const PAGE = `.tmp/e2e-offline-photo-${process.pid}.html`;

describe('a photo attached offline (issue 15)', () => {
  let api: ReferenceServer;
  let demo: DemoServer;
  let browser: Browser;

  before(async () => {
    api = await startReferenceServer();
    demo = await startDemoServer();
    browser = await launchChromium();
    await mkdir(`${REPO_ROOT}.tmp`, { recursive: true });
    await writeFile(`${REPO_ROOT}${PAGE}`, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Offline photo</title></head><body>
      <intake-form endpoint="${api.apiBase}" site="${SITE}" locale="en"></intake-form>
      <script type="module">import '/src/components/form/form.ts';</script></body></html>`);
  });
  after(async () => {
    await closeAll();
    await rm(`${REPO_ROOT}${PAGE}`, { force: true });
  });

  const requests = async () => {
    const { items } = await staffCall<{ items: { item: string; id: string; reference?: string; site: { id: string } }[] }>(api, 'GET', '/queue?item=request');
    return items.filter((i) => i.item === 'request' && i.site.id === SITE);
  };

  test('queued with the request, shown as waiting, delivered with the request after a reload', async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS.phone, isMobile: true, hasTouch: true });
    const errors: string[] = [];
    let page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${demo.url}/${PAGE}`);
    let form = page.locator('intake-form');
    await form.locator('form').waitFor({ timeout: 30000 });
    await form.locator('input[name="kind"][value="complaint"]').check();
    await form.locator('button[type="submit"]').click();
    await form.locator('#service-search').fill('rubbish');
    await form.locator('input[name="service"][value="rubbish-collection"]').check();
    await form.locator('button[type="submit"]').click();
    await form.locator('#f-description').fill('Overflowing bins by the east gate, photo attached.');
    await form.locator('#f-fields-location').fill('East gate, Garden Road');
    await form.locator('input[name="bin_type"][value="household"]').check();

    await context.setOffline(true);
    await page.evaluate(() => window.dispatchEvent(new Event('offline')));
    await form.locator('#f-fields-photos').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG_1PX });
    await form.locator('.file.queued').waitFor({ timeout: 15000 });
    assert.match(await form.locator('.file').innerText(), /Waiting to upload/);
    assert.equal(await form.locator('.error-message').count(), 0, 'no "could not be uploaded" offline');
    await form.locator('button[type="submit"]').click();
    await form.locator('input[name="contact"][value="reply"]').check();
    await form.locator('#f-contact-email').fill('resident@example.com');
    await form.locator('#f-consent').check();
    await form.locator('button[type="submit"]').click();
    await form.locator('.summary-list').waitFor();
    assert.match(await form.locator('.summary-list').innerText(), /photo\.png \(Waiting to upload: it goes with the request\)/);
    await screenshot(page, 'form-offline-photo-check');
    await form.locator('button[type="submit"]').click();
    await form.locator('.outcome').first().waitFor({ timeout: 15000 });
    assert.equal(await form.locator('.confirmation').count(), 0, 'not "sent" while offline');
    await page.close();
    assert.deepEqual(await requests(), [], 'nothing reached the server while offline');

    // Reopened with the intake server still out of reach (the page itself loads): only saved, never "sent".
    await context.setOffline(false);
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    const unreachable = `${api.apiBase}/**`;
    await page.route(unreachable, (route) => route.abort('internetdisconnected'));
    await page.goto(`${demo.url}/${PAGE}`);
    form = page.locator('intake-form');
    await form.locator('.pending-state[data-state="waiting"]').waitFor({ timeout: 30000 });
    assert.match(await form.locator('.outcome').innerText(), /Saved on this device\. It will be sent when you are back online/);
    assert.equal(await form.locator('.confirmation').count(), 0, 'not "sent" after the reload while the server is out of reach');
    assert.deepEqual(await requests(), [], 'still nothing on the server');

    // The network is back: delivered by the outbox of the reloaded page.
    await page.unroute(unreachable);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    const [item] = await waitFor(async () => { const list = await requests(); return list.length ? list : undefined; }, { timeout: 30000, message: 'the request delivered after the reload' });
    assert.equal((await requests()).length, 1, 'one request');
    const detail = await staffCall<{ attachments?: { name: string }[]; reference: string }>(api, 'GET', `/requests/${encodeURIComponent(item!.reference ?? item!.id)}`);
    assert.deepEqual(detail.attachments?.map((a) => a.name), ['photo.png'], 'the photo arrived with the request');
    // The form that waited for it shows the reference number the server has, not only "sent".
    await form.locator('.reference-number').waitFor({ timeout: 20000 });
    assert.equal((await form.locator('.reference-number').innerText()).trim(), detail.reference);
    assert.match(await form.locator('.confirmation').innerText(), /Request sent/);
    await screenshot(page, 'form-offline-photo-sent-after-reload');

    // Reloaded once more after the delivery: the resident sees a fresh form, not a second send.
    await page.reload();
    await form.locator('form').waitFor({ timeout: 30000 });
    assert.equal((await requests()).length, 1, 'still one request');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
