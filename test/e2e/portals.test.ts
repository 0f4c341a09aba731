// The demo city end to end: the three portal pages (demo/district, demo/street, demo/community)
// served by Vite as `npm start` serves them, the reference server on another origin (CORS allowed
// for the demo's origin only, so it is exercised for real), the staff console in a second page,
// Debian's Chromium. Each scenario leaves phone (390×844) and desktop (1280×800) screenshots in
// test-results/screenshots/portal-*.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  closeAll,
  E2E_STAFF_TOKEN,
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

const SIZES = VIEWPORTS;

type Portal = 'district' | 'street' | 'community';
const SITES: Record<Portal, string> = { district: 'riverside', street: 'riverside/xinhua', community: 'riverside/xinhua/garden' };

interface QueueRow { item: string; id: string; reference?: string; site: { id: string } }

describe('demo portals end to end', () => {
  let demo: DemoServer;
  let api: ReferenceServer;
  let browser: Browser;
  const pageErrors: string[] = [];

  before(async () => {
    demo = await startDemoServer();
    api = await startReferenceServer({ allowedOrigins: [demo.url] });
    browser = await launchChromium();
  });

  after(async () => {
    await closeAll();
  });

  /* ------------------------------------------------------------ helpers */

  const staff = <T = unknown>(method: string, path: string, body?: unknown): Promise<T> => staffCall<T>(api, method, path, body);

  async function queue(item: 'request' | 'conversation', site: string): Promise<QueueRow[]> {
    const { items } = await staff<{ items: QueueRow[] }>('GET', `/queue?item=${item}`);
    return items.filter((i) => i.item === item && i.site.id === site);
  }

  /** The portal's address with this run's API base (demo-config.js reads `?api=`). */
  function portalUrl(portal: Portal, lang: 'zh-CN' | 'en' = 'zh-CN'): string {
    return `${demo.url}/demo/${portal}/?api=${encodeURIComponent(api.apiBase)}${lang === 'en' ? '&lang=en' : ''}`;
  }

  async function resident(viewport: { width: number; height: number } = SIZES.desktop): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    return { context, page };
  }

  async function openPortal(page: Page, portal: Portal, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<void> {
    await page.goto(portalUrl(portal, lang));
    await page.locator('intake-widget [part~="launcher"]').waitFor({ state: 'visible', timeout: 30000 });
  }

  /** Opens the widget's chat with the launcher; resolves when the composer is there. */
  async function openChat(page: Page): Promise<void> {
    await page.locator('intake-widget [part~="launcher"]').click();
    await page.locator('intake-widget intake-chat textarea').waitFor({ state: 'visible', timeout: 30000 });
  }

  async function send(page: Page, text: string): Promise<void> {
    const box = page.locator('intake-widget intake-chat textarea');
    await box.fill(text);
    await box.press('Enter');
  }

  const bubbles = (page: Page, author: 'resident' | 'staff' | 'system') =>
    page.locator(`intake-widget [part~="message-${author}"] [part~="bubble"]`).allTextContents();

  /** After a reload or a link in the same tab, the widget opens again where the resident was. */
  async function reopened(page: Page): Promise<void> {
    await page.locator('intake-widget[open]').waitFor({ state: 'attached', timeout: 30000 });
    await page.locator('intake-widget intake-chat textarea').waitFor({ state: 'visible', timeout: 30000 });
  }

  /** The staff console in its own page, signed in with the e2e token. */
  async function signInConsole(): Promise<Page> {
    const context = await browser.newContext({ viewport: SIZES.desktop, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`console: ${error.message}`));
    // English (the names matched below); a token in the address signs in by itself.
    await page.goto(`${demo.url}/demo/console/?api=${encodeURIComponent(api.apiBase)}&lang=en&token=${encodeURIComponent(E2E_STAFF_TOKEN)}`);
    await page.getByRole('heading', { name: 'Queue' }).waitFor({ timeout: 30000 });
    await page.locator('.duty.on').waitFor({ timeout: 20000 });
    return page;
  }

  /** Waits until layout and the panel's animations have settled. */
  async function settle(page: Page): Promise<void> {
    await page.evaluate(async () => {
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const root = document.querySelector('intake-widget')?.shadowRoot;
      // The newest message in view, as after it arrived (a resize keeps the old scroll position).
      const log = root?.querySelector('intake-chat')?.shadowRoot?.querySelector('[part~="log"]');
      if (log) log.scrollTop = log.scrollHeight;
      await Promise.all([...(root?.querySelector('.panel')?.getAnimations() ?? [])].map((a) => a.finished.catch(() => undefined)));
    });
  }

  /** Screenshots at phone and desktop size: test-results/screenshots/portal-<name>-<size>.png. */
  async function shots(page: Page, name: string): Promise<void> {
    const original = page.viewportSize();
    for (const [size, viewport] of Object.entries(SIZES)) {
      await page.setViewportSize(viewport);
      await settle(page);
      await screenshot(page, `portal-${name}-${size}`);
    }
    if (original) {
      await page.setViewportSize(original);
      await settle(page);
    }
  }

  /** Whether the half-typed `text` is saved in the widget's IndexedDB drafts (the save is debounced). */
  function draftSaved(page: Page, text: string): Promise<boolean> {
    return page.evaluate(async (text) => {
      for (const { name } of await indexedDB.databases()) {
        if (!name) continue;
        const found = await new Promise<boolean>((resolve) => {
          const open = indexedDB.open(name);
          open.onerror = () => resolve(false);
          open.onsuccess = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains('drafts')) return (db.close(), resolve(false));
            const all = db.transaction('drafts').objectStore('drafts').getAll();
            all.onerror = () => (db.close(), resolve(false));
            all.onsuccess = () => {
              db.close();
              resolve((all.result as { value: unknown }[]).some((d) => d.value === text));
            };
          };
        });
        if (found) return true;
      }
      return false;
    }, text);
  }

  /* ------------------------------------------------------------ scenarios */

  test('community portal: a resident asks in chat, the dispatcher answers in the console, live, and the department is shown', async () => {
    const desk = await signInConsole();
    const { context, page } = await resident();
    await openPortal(page, 'community', 'en');
    // The inline form and status are on the page too, with their endpoint from ?api=.
    assert.equal(await page.locator('intake-form').getAttribute('endpoint'), api.apiBase);
    await page.locator('intake-form input[name="kind"]').first().waitFor({ timeout: 30000 });
    // "Ask about this" beside a notice opens the floating widget's chat on that topic.
    await page.locator('intake-ask').first().locator('button').click();
    await page.locator('intake-widget intake-chat textarea').waitFor({ state: 'visible', timeout: 30000 });
    await page.locator('intake-widget intake-chat .topic').filter({ hasText: 'Rubbish collection times' }).waitFor({ timeout: 20000 });

    const question = 'The bins at the north gate were not emptied this morning. Who handles it?';
    await send(page, question);
    const id = await waitFor(async () => (await queue('conversation', SITES.community))[0]?.id, { timeout: 30000, message: 'conversation in the queue' });

    // The dispatcher sees it arrive live, routes it and answers it — in the console.
    const row = desk.locator(`staff-queue li[data-id="${id}"]`);
    await row.waitFor({ timeout: 30000 });
    await row.locator('a').click();
    await desk.locator('staff-conversation .msg[data-author="resident"]').filter({ hasText: 'north gate' }).waitFor({ timeout: 20000 });
    const select = desk.locator('#chat-department');
    const options = await select.locator('option').evaluateAll((els) => els.map((e) => ({ value: (e as HTMLOptionElement).value, label: (e.textContent ?? '').trim() })));
    const department = options.find((o) => o.value === 'sanitation') ?? options.find((o) => o.value)!;
    await select.selectOption(department.value);
    await desk.getByRole('button', { name: 'Route', exact: true }).click();
    const answer = 'Thank you — the sanitation team will empty them before noon today.';
    await desk.getByLabel('Message to the resident').fill(answer);
    await desk.getByLabel('Message to the resident').press('Enter');
    await desk.locator('staff-conversation .msg[data-author="staff"]').filter({ hasText: answer }).waitFor({ timeout: 20000 });

    // The resident sees the answer and the department without reloading.
    await waitFor(async () => (await bubbles(page, 'staff')).some((t) => t.includes(answer)), { timeout: 30000, message: 'answer shown live' });
    await waitFor(async () => (await bubbles(page, 'system')).some((t) => t.includes(department.label)), {
      timeout: 30000,
      message: `routing to "${department.label}" shown`,
    });
    await shots(page, 'community-chat-answered');
    await screenshot(desk, 'portal-community-console-chat-desktop');
    await desk.context().close();
    await context.close();
    assert.deepEqual(pageErrors, []);
  });

  test('district portal: a complaint with a photo through the script tag; routed, answered, resolved; followed and rated; the rating in the console metrics', async () => {
    const { context, page } = await resident();
    await openPortal(page, 'district');
    // The page's service button goes through the IntakeWidgets command queue.
    await page.locator('button[data-service="road-hazard"]').click();
    const form = page.locator('intake-widget intake-form');
    await form.locator('input[name="kind"][value="complaint"]').check({ timeout: 30000 });
    await form.locator('button[type="submit"]').click();
    await form.locator('#f-description').fill('滨江路12号门口井盖缺失，晚上很危险。');
    await form.locator('#f-fields-location').fill('滨江路12号');
    await form.locator('input[name="hazard"][value="manhole"]').check();
    await form.locator('#f-fields-photos').setInputFiles({ name: 'manhole.png', mimeType: 'image/png', buffer: PNG_1PX });
    await form.locator('.file.done').waitFor({ timeout: 20000 });
    await shots(page, 'district-form-details');
    await form.locator('button[type="submit"]').click();
    await form.locator('input[name="contact"][value="reply"]').check();
    await form.locator('#f-contact-email').fill('wang.fang@example.com');
    await form.locator('#f-consent').check();
    await form.locator('button[type="submit"]').click();
    await form.locator('.summary-list').waitFor();
    assert.match(await form.locator('.summary-list').innerText(), /manhole\.png/);
    await form.locator('button[type="submit"]').click();
    await form.locator('.reference-number').waitFor({ timeout: 30000 });
    const reference = (await form.locator('.reference-number').innerText()).trim();
    assert.match(reference, /^[A-Z]+-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/);
    await shots(page, 'district-form-sent');
    const detail = await staff<{ attachments?: unknown[]; site?: { id: string } }>('GET', `/requests/${encodeURIComponent(reference)}`);
    assert.equal(detail.attachments?.length, 1, 'the photo arrived with the request');

    // The dispatcher routes it, replies and resolves it in the console.
    const desk = await signInConsole();
    const row = desk.locator('staff-queue li').filter({ hasText: reference });
    await row.waitFor({ timeout: 30000 });
    await row.locator('a').click();
    await desk.getByRole('heading', { name: reference }).waitFor({ timeout: 20000 });
    const select = desk.locator('#route-department');
    const current = await select.inputValue();
    const target = (await select.locator('option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value))).find((v) => v && v !== current)!;
    await select.selectOption(target);
    await desk.getByRole('button', { name: 'Route', exact: true }).click();
    await desk.locator('staff-request [data-status="routed"]').first().waitFor({ timeout: 20000 });
    const reply = '已安排市政养护队今天下午补装井盖，感谢您的反映。';
    await desk.getByLabel('Reply text').fill(reply);
    await desk.getByRole('button', { name: 'Send reply' }).click();
    await desk.locator('staff-request [data-reply]').filter({ hasText: reply }).waitFor({ timeout: 20000 });
    await desk.locator('#status-select').selectOption('resolved');
    await desk.locator('#status-note').fill('井盖已补装');
    await desk.getByRole('button', { name: 'Set status' }).click();
    await desk.locator('staff-request [data-status="resolved"]').first().waitFor({ timeout: 20000 });

    // The resident comes back later: the launcher says a reply is waiting; My requests has the
    // timeline and the reply; the resident rates it.
    await page.reload();
    await page.locator('intake-widget [part~="badge"]').waitFor({ state: 'visible', timeout: 30000 });
    await page.evaluate(() => (window as unknown as { IntakeWidgets: { showStatus(r?: string): Promise<void> } }).IntakeWidgets.showStatus());
    const status = page.locator('intake-widget intake-status');
    await status.locator(`[data-reference="${reference}"]`).click({ timeout: 30000 });
    await status.locator('.detail').waitFor({ timeout: 20000 });
    await waitFor(async () => (await status.locator('.reply-text').allInnerTexts()).some((t) => t.includes(reply)), { timeout: 20000, message: 'reply shown' });
    const timeline = await status.locator('.timeline').innerText();
    for (const step of ['已受理', '已派单', '已答复', '已办结']) assert.ok(timeline.includes(step), `timeline shows ${step}: ${timeline}`);
    assert.ok((await status.locator('.timeline li').count()) >= 4, `timeline has received, routed, replied, resolved: ${timeline}`);
    await shots(page, 'district-timeline');
    await status.locator('input[name="rating"][value="5"]').check();
    await status.locator('input[name="resolved"][value="yes"]').check();
    await status.locator('#f-comment').fill('处理很快，谢谢。');
    await status.locator('.rate button[type="submit"]').click();
    await status.locator('.thanks').waitFor({ timeout: 20000 });
    await shots(page, 'district-rated');

    // The rating shows in the console's metrics.
    await desk.getByRole('link', { name: 'Overview' }).click();
    const cell = desk.locator(`staff-metrics table[data-table="site"] tr[data-id="${SITES.district}"] [data-average]`);
    await waitFor(async () => ((await cell.textContent({ timeout: 1000 }).catch(() => '')) ?? '').trim() === '5.0', { timeout: 30000, message: 'rating 5.0 in the metrics' });
    await screenshot(desk, 'portal-district-console-metrics-desktop');
    await desk.context().close();
    await context.close();
    assert.deepEqual(pageErrors, []);
  });

  test('street portal: a request filed offline arrives exactly once when the network is back', async () => {
    const { context, page } = await resident(SIZES.phone);
    await openPortal(page, 'street');
    const before = (await queue('request', SITES.street)).length;
    await page.locator('button[data-widget-action="openForm"][data-service="parking"]').click();
    const form = page.locator('intake-widget intake-form');
    await form.locator('input[name="kind"][value="complaint"]').check({ timeout: 30000 });
    await form.locator('button[type="submit"]').click();
    await form.locator('#f-description').fill('新华路26号门口长期有车辆占用消防通道。');
    await form.locator('#f-fields-location').fill('新华路26号');
    await form.locator('button[type="submit"]').click();
    await form.locator('input[name="contact"][value="anonymous"]').check();
    await form.locator('#f-consent').check();
    await form.locator('button[type="submit"]').click();
    await form.locator('.summary-list').waitFor();

    await context.setOffline(true);
    await page.evaluate(() => window.dispatchEvent(new Event('offline')));
    await form.locator('button[type="submit"]').click();
    // The form says the request waits on the device; nothing has reached the server.
    await form.locator('.pending-state[data-state="waiting"]').waitFor({ timeout: 20000 });
    assert.equal(await form.locator('.reference-number').count(), 0, 'no reference number while offline');
    await shots(page, 'street-offline-pending');
    assert.equal((await queue('request', SITES.street)).length, before, 'nothing arrived while offline');

    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await form.locator('.reference-number').waitFor({ timeout: 60000 });
    const reference = (await form.locator('.reference-number').innerText()).trim();
    await waitFor(async () => (await queue('request', SITES.street)).length === before + 1, { timeout: 20000, message: 'the request arrived' });
    const rows = (await queue('request', SITES.street)).filter((r) => r.reference === reference);
    assert.equal(rows.length, 1, 'exactly one request with that reference');
    assert.equal((await queue('request', SITES.street)).length, before + 1, 'exactly one request arrived');
    await shots(page, 'street-offline-delivered');
    await context.close();
    assert.deepEqual(pageErrors, []);
  });

  test('street portal: a reload in the middle of a chat keeps the history and the half-typed message', async () => {
    const { context, page } = await resident(SIZES.phone);
    await openPortal(page, 'street');
    await openChat(page);
    const question = '请问街道政务服务中心周六上午可以办理居住证吗？';
    await send(page, question);
    const id = await waitFor(async () => (await queue('conversation', SITES.street))[0]?.id, { timeout: 30000, message: 'conversation in the queue' });
    const answer = '可以，周六9:00—12:00在一楼窗口办理。';
    await staff('POST', `/conversations/${encodeURIComponent(id)}/messages`, { text: answer });
    await waitFor(async () => (await bubbles(page, 'staff')).some((t) => t.includes(answer)), { timeout: 30000, message: 'answer shown' });

    const draft = '还需要带哪些材料';
    await page.locator('intake-widget intake-chat textarea').fill(draft);
    await waitFor(() => draftSaved(page, draft), { timeout: 20000, message: 'draft saved' });
    await shots(page, 'street-chat-before-reload');
    await page.reload();
    await reopened(page);
    await waitFor(async () => (await bubbles(page, 'staff')).some((t) => t.includes(answer)), { timeout: 30000, message: 'history after reload' });
    assert.ok((await bubbles(page, 'resident')).includes(question), 'the question after reload');
    await waitFor(async () => (await page.locator('intake-widget intake-chat textarea').inputValue()) === draft, { timeout: 20000, message: 'half-typed message restored' });
    assert.deepEqual((await queue('conversation', SITES.street)).map((c) => c.id), [id], 'the same conversation resumed');
    // Each message once: the history from the server and the live stream must not both be shown.
    assert.deepEqual((await bubbles(page, 'staff')).filter((t) => t.includes(answer)).length, 1, 'the answer shown once after reload');
    assert.deepEqual((await bubbles(page, 'resident')).filter((t) => t === question).length, 1, 'the question shown once after reload');
    await shots(page, 'street-chat-after-reload');
    await context.close();
    assert.deepEqual(pageErrors, []);
  });

  test('district portal: the language switch (zh-CN → en) and large-text mode reach the widget', async () => {
    const { context, page } = await resident();
    await openPortal(page, 'district');
    await openChat(page);
    const tabs = page.locator('intake-widget [part~="tab"]');
    const zhTabs = (await tabs.allInnerTexts()).join(' ');
    assert.match(zhTabs, /[\u4e00-\u9fff]/, `Chinese tabs: ${zhTabs}`);
    await shots(page, 'district-zh');

    await page.locator('a[data-lang-switch]').click();
    await page.waitForURL(/lang=en/);
    assert.ok(page.url().includes(`api=${encodeURIComponent(api.apiBase)}`), 'the switch keeps ?api=');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await reopened(page);
    await waitFor(async () => /Chat/.test((await tabs.allInnerTexts()).join(' ')), { timeout: 20000, message: 'English tabs' });
    const enTabs = (await tabs.allInnerTexts()).join(' ');
    assert.doesNotMatch(enTabs, /[\u4e00-\u9fff]/, `English tabs: ${enTabs}`);

    const fontSize = () => page.locator('intake-widget intake-chat textarea').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    const normal = await fontSize();
    await page.locator('[data-large-text-toggle]').click();
    assert.equal(await page.locator('[data-large-text-toggle]').getAttribute('aria-pressed'), 'true');
    await waitFor(async () => (await fontSize()) >= 20, { timeout: 20000, message: 'large text in the widget (≥ 20px)' });
    assert.ok((await fontSize()) > normal, `larger than before (${normal}px)`);
    assert.ok(await page.evaluate(() => document.documentElement.classList.contains('large-text')), 'the page itself in large text');
    await shots(page, 'district-en-large');
    await context.close();
    assert.deepEqual(pageErrors, []);
  });
});
