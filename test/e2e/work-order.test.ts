// 转工单 end to end: the real reference server (demo accounts), the console served by Vite,
// Debian's Chromium. A resident chats (plain fetch, as the widget does) and sends a photo; the
// dispatcher, signed in as a person, inserts a canned reply, edits and sends it, then turns the
// chat into a work order from the console; the console links the reference; the resident's chat
// carries the reference and the chat token opens the request, photo included. Axe-clean, keyboard
// only, phone and desktop.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { EventsPage, RequestDetail } from '../../src/client/protocol.js';
import { closeAll, launchChromium, PNG_1PX, screenshot, startDemoServer, startReferenceServer, VIEWPORTS, waitFor, type DemoServer, type ReferenceServer } from '../helpers/e2e.js';

const SITE = 'riverside/xinhua/garden';
const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));

describe('转工单 in the console', () => {
  let api: ReferenceServer;
  let demo: DemoServer;
  let browser: Browser;
  const pageErrors: string[] = [];

  async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const response = await fetch(`${api.apiBase}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${path} → ${response.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  /** axe-core over the page, violations inside `within` (the console shell has its own tests). */
  async function axeViolations(target: Page, within = 'staff-conversation'): Promise<string[]> {
    if (!(await target.evaluate(() => 'axe' in window))) await target.addScriptTag({ path: AXE });
    return target.evaluate(async (within) => {
      const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
      const result = await axe.run(document);
      return result.violations
        .map((v) => ({ id: v.id, nodes: v.nodes.map((n) => JSON.stringify(n.target)).filter((t) => t.includes(within)) }))
        .filter((v) => v.nodes.length)
        .map((v) => `${v.id}: ${v.nodes.join(', ')}`);
    }, within);
  }

  /** Deepest focused element across shadow roots, as `tag#id`. */
  const focused = (target: Page) =>
    target.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el ? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}` : '';
    });

  async function signIn(page: Page, login = 'dispatcher') {
    await page.goto(`${demo.url}/demo/console/?api=${encodeURIComponent(api.apiBase)}&lang=zh-CN`);
    await page.locator('#login').fill(login);
    await page.locator('#password').fill(`demo-${login}`);
    await page.locator('#password').press('Enter');
    await page.locator('staff-queue').waitFor({ timeout: 20000 });
  }

  async function residentChat(text: string[]) {
    const conversation = await call<{ id: string; token: string }>('POST', '/conversations', { site: SITE, locale: 'zh-CN' });
    const auth = { authorization: `Bearer ${conversation.token}` };
    const form = new FormData();
    form.append('file', new Blob([PNG_1PX], { type: 'image/png' }), 'bins.png');
    const uploaded = await fetch(`${api.apiBase}/attachments?site=${encodeURIComponent(SITE)}`, { method: 'POST', body: form });
    assert.equal(uploaded.status, 201);
    const photo = (await uploaded.json()) as { id: string };
    for (const [i, t] of text.entries()) {
      await call('POST', `/conversations/${conversation.id}/messages`, { clientId: randomUUID(), text: t, attachments: i === 0 ? [photo.id] : [] }, auth);
    }
    return { ...conversation, auth, photo };
  }

  before(async () => {
    api = await startReferenceServer({ demoAccounts: true });
    demo = await startDemoServer();
    browser = await launchChromium();
  });
  after(async () => {
    await closeAll();
  });

  test('a department officer adds a canned reply on the canned-replies page and finds it in the picker', async () => {
    const page = await browser.newPage({ viewport: VIEWPORTS.desktop });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await signIn(page, 'sanitation');
      await page.goto(`${demo.url}/demo/console/?api=${encodeURIComponent(api.apiBase)}&lang=zh-CN#/canned`);
      const manager = page.locator('staff-canned-manager');
      await manager.locator('li').first().waitFor({ timeout: 20000 });
      await manager.locator('#canned-title').fill('清运时间');
      await manager.locator('#canned-text').fill('{居民称呼}您好，本区生活垃圾每天早上7点前清运。');
      await manager.locator('form button[type="submit"]').click();
      await manager.locator('li .title').filter({ hasText: '清运时间' }).waitFor();
      await screenshot(page, 'console-canned-manager-1280');
      assert.deepEqual((await axeViolations(page, 'staff-canned-manager')), [], 'canned-replies page');
      const stored = await api.db.query<{ department_id: string }>('SELECT department_id FROM canned_replies WHERE title = $1', ['清运时间']);
      assert.deepEqual(stored.map((r) => r.department_id), ['sanitation']);
    } finally {
      await page.close();
    }
    assert.deepEqual(pageErrors, []);
  });

  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    test(`${size}: a canned reply, then the chat becomes a work order the resident can follow`, async () => {
      const page = await browser.newPage({ viewport });
      page.on('pageerror', (e) => pageErrors.push(e.message));
      try {
        const chat = await residentChat(['小区东门的垃圾桶三天没人清运了，味道很大', '就在花园路8号东门']);
        await signIn(page);
        await page.goto(`${demo.url}/demo/console/?api=${encodeURIComponent(api.apiBase)}&lang=zh-CN#/conversation/${chat.id}`);
        const view = page.locator('staff-conversation');
        await view.locator('.msg[data-author="resident"]').first().waitFor({ timeout: 20000 });

        // A canned reply by keyboard: it lands in the composer, editable, and nothing is sent yet.
        await view.getByRole('button', { name: '常用语' }).focus();
        await page.keyboard.press('Enter');
        await page.keyboard.type('补充地址');
        await view.locator('staff-canned-replies li[role="option"]').first().waitFor();
        await screenshot(page, `console-chat-canned-picker-${viewport.width}`);
        assert.deepEqual(await axeViolations(page), [], 'canned-reply picker');
        await page.keyboard.press('Enter');
        const box = view.locator('#message-text');
        await waitFor(async () => ((await box.inputValue()).includes('具体地址') ? true : null), { message: 'canned reply in the composer' });
        assert.equal(await focused(page), 'textarea#message-text');
        const before = await call<EventsPage>('GET', `/conversations/${chat.id}/messages?after=0`, undefined, chat.auth);
        assert.ok(!before.events.some((e) => e.type === 'message' && e.message.author === 'staff'), 'a canned reply is never sent by itself');
        await box.press('End');
        await page.keyboard.type('谢谢！');
        await box.press('Enter');
        await view.locator('.msg[data-author="staff"]').filter({ hasText: '谢谢！' }).waitFor();
        await screenshot(page, `console-chat-canned-${viewport.width}`);

        // 转工单, by keyboard: the dialog, the service, the phone the resident gave, file.
        await view.getByRole('button', { name: '转工单' }).first().focus();
        await page.keyboard.press('Enter');
        const dialog = view.locator('dialog');
        await dialog.waitFor({ state: 'visible' });
        await view.locator('#wo-service option[value="rubbish-collection"]').waitFor({ state: 'attached', timeout: 20000 });
        assert.equal(await focused(page), 'select#wo-service');
        await view.locator('#wo-service').selectOption('rubbish-collection');
        assert.equal(await view.locator('#wo-description').inputValue(), '小区东门的垃圾桶三天没人清运了，味道很大\n就在花园路8号东门');
        await view.locator('#wo-contact-phone').fill('13900001111');
        await screenshot(page, `console-work-order-dialog-${viewport.width}`);
        assert.deepEqual(await axeViolations(page), [], 'work-order dialog');
        await view.locator('dialog button[type="submit"]').focus();
        await page.keyboard.press('Enter');
        const link = view.locator('ul.orders a');
        await link.waitFor({ timeout: 20000 });
        const reference = (await link.textContent())!.trim();
        assert.match(reference, /^[A-Z]+-/);
        assert.equal(await link.getAttribute('href'), `#/request/${encodeURIComponent(reference)}`);
        await view.locator('.msg.work-order').filter({ hasText: reference }).waitFor();
        await screenshot(page, `console-work-order-filed-${viewport.width}`);
        assert.deepEqual(await axeViolations(page), [], 'chat with its work order');

        // The resident: the reference in the chat, and the chat's token opens the request with the photo.
        const events = await call<EventsPage>('GET', `/conversations/${chat.id}/messages?after=0`, undefined, chat.auth);
        const notice = events.events.find((e) => e.type === 'message' && e.message.request?.reference === reference);
        assert.ok(notice, 'the resident is told the reference');
        const mine = await call<RequestDetail>('GET', `/requests/${encodeURIComponent(reference)}`, undefined, chat.auth);
        assert.equal(mine.service.id, 'rubbish-collection');
        assert.deepEqual(mine.attachments?.map((a) => a.id), [chat.photo.id]);

        // The link opens the request, which names the chat it came from.
        await link.click();
        await page.locator('staff-request').waitFor({ timeout: 20000 });
        await page.waitForFunction((ref) => location.hash === `#/request/${encodeURIComponent(ref)}`, reference);
        const back = page.locator('staff-request a[data-conversation]');
        await back.waitFor({ timeout: 20000 });
        assert.equal(await back.getAttribute('href'), `#/conversation/${encodeURIComponent(chat.id)}`);
      } finally {
        await page.close();
      }
      assert.deepEqual(pageErrors, []);
    });
  }
});
