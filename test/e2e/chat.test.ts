// A web team pastes the README's snippets into a plain page on its own origin; a resident chats
// with the city through the real reference server; a dispatcher answers through the staff API.
// Covers: live staff reply, routing shown to the resident, offline → send → online delivered
// once, and reload with history and the half-typed message intact. Both builds are exercised.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { closeAll, launchChromium, screenshot, startReferenceServer, waitFor, E2E_STAFF_TOKEN, type ReferenceServer } from '../helpers/e2e.js';
import { startStaticServer, type StaticServer } from '../helpers/static-server.js';

const SITE = 'riverside/xinhua/garden';

interface StaffEvent {
  type: string;
  message?: { author: string; text: string; clientId?: string | null };
}

describe('chat end to end (README snippets, reference server)', () => {
  let api: ReferenceServer;
  let host: StaticServer;
  let browser: Browser;

  before(async () => {
    host = await startStaticServer('.');
    api = await startReferenceServer({ allowedOrigins: [host.url] });
    browser = await launchChromium();
    // The README's two snippets, with this run's addresses.
    host.page('/es.html', `<!doctype html><html lang="en"><head><meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1"><title>Garden community</title></head>
      <body><h1>Garden community</h1><p>Questions? Use the button.</p>
      <script type="module" src="/dist/intake-widgets.js"></script>
      <intake-widget endpoint="${api.apiBase}" site="${SITE}" locale="en"></intake-widget></body></html>`);
    // The district portal's way (classic script), and the street's (module), each on its own site:
    // the issue-15 cases below count conversations per site.
    host.page('/district.html', `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1"><title>河畔区</title></head>
      <body><h1>河畔区人民政府</h1>
      <script src="/dist/intake-widgets.iife.js" data-endpoint="${api.apiBase}" data-site="riverside" data-locale="zh-CN" async></script>
      </body></html>`);
    host.page('/street.html', `<!doctype html><html lang="en"><head><meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1"><title>Xinhua street</title></head>
      <body><h1>Xinhua street office</h1>
      <script type="module" src="/dist/intake-widgets.js"></script>
      <intake-widget endpoint="${api.apiBase}" site="riverside/xinhua" locale="en"></intake-widget></body></html>`);
    host.page('/iife.html', `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1"><title>花园社区</title></head>
      <body><h1>花园社区</h1>
      <script src="/dist/intake-widgets.iife.js" data-endpoint="${api.apiBase}" data-site="${SITE}" data-locale="zh-CN" async></script>
      </body></html>`);
  });
  after(async () => {
    await closeAll();
    await host?.close();
  });

  const staff = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${api.apiBase}/staff${path}`, {
      ...init,
      headers: { authorization: `Bearer ${E2E_STAFF_TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
    assert.ok(res.ok, `staff ${path}: ${res.status} ${await res.clone().text()}`);
    return (await res.json()) as T;
  };

  async function conversationIds(site = SITE): Promise<string[]> {
    const { items } = await staff<{ items: { item: string; id: string; site: { id: string } }[] }>(`/queue?item=conversation`);
    return items.filter((i) => i.item === 'conversation' && i.site.id === site).map((i) => i.id);
  }

  async function residentMessages(id: string): Promise<string[]> {
    const { events } = await staff<{ events: StaffEvent[] }>(`/conversations/${encodeURIComponent(id)}`);
    return events.filter((e) => e.type === 'message' && e.message?.author === 'resident').map((e) => e.message!.text);
  }

  async function openChat(page: Page): Promise<void> {
    await page.locator('intake-widget').first().waitFor({ state: 'attached' });
    await page.locator('intake-widget [part~="launcher"]').click();
    await page.locator('intake-widget textarea').waitFor({ state: 'visible', timeout: 20000 });
  }

  async function send(page: Page, text: string): Promise<void> {
    const box = page.locator('intake-widget textarea');
    await box.fill(text);
    await box.press('Enter');
  }

  const bubbles = (page: Page, author: string) =>
    page.locator(`intake-widget [part~="message-${author}"] [part~="bubble"]`).allTextContents();

  test('ES module snippet: ask, the dispatcher answers live, routing is shown; offline send is delivered once; reload keeps everything', async () => {
    const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${host.url}/es.html`);
    await openChat(page);

    const question = 'The rubbish on Garden Road has not been collected for three days.';
    await send(page, question);
    const id = await waitFor(async () => (await conversationIds())[0], { timeout: 20000, message: 'conversation in the staff queue' });
    await waitFor(async () => (await residentMessages(id)).includes(question), { message: 'question stored' });
    await waitFor(async () => (await page.locator('intake-widget [data-state="sent"], intake-widget [data-state="read"]').count()) >= 1, { message: 'shown as sent' });

    // The dispatcher routes it and answers; both appear live without a reload.
    await staff(`/conversations/${encodeURIComponent(id)}/route`, { method: 'POST', body: JSON.stringify({ department: 'sanitation' }) });
    const answer = 'Thank you — the sanitation team will collect it this afternoon.';
    await staff(`/conversations/${encodeURIComponent(id)}/messages`, { method: 'POST', body: JSON.stringify({ text: answer }) });
    await waitFor(async () => (await bubbles(page, 'staff')).some((t) => t.includes(answer)), { timeout: 20000, message: 'staff answer shown live' });
    await waitFor(async () => (await bubbles(page, 'system')).some((t) => /sanitation/i.test(t)), { timeout: 20000, message: 'routing shown' });
    await screenshot(page, 'chat-es-answered');

    // Offline: the message waits on the device and says so; back online it arrives exactly once.
    await context.setOffline(true);
    await page.evaluate(() => window.dispatchEvent(new Event('offline')));
    const offlineText = 'Also the street lamp at number 12 is broken.';
    await send(page, offlineText);
    await waitFor(async () => (await bubbles(page, 'resident')).includes(offlineText), { message: 'offline message shown' });
    const state = await page.locator('intake-widget [part~="message-resident"]').last().locator('[data-state]').getAttribute('data-state');
    assert.notEqual(state, 'sent', 'an offline message must not claim to be sent');
    await screenshot(page, 'chat-es-offline');
    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await waitFor(async () => (await residentMessages(id)).includes(offlineText), { timeout: 30000, message: 'offline message delivered' });
    await waitFor(async () => (await page.locator('intake-widget [part~="message-resident"]').last().locator('[data-state="sent"], [data-state="read"]').count()) === 1, { timeout: 20000, message: 'shown as sent after reconnecting' });
    assert.equal((await residentMessages(id)).filter((t) => t === offlineText).length, 1, 'delivered exactly once');

    // A half-typed message and the history survive a reload.
    const draft = 'And one more thing about';
    await page.locator('intake-widget textarea').fill(draft);
    await page.waitForTimeout(700); // the draft is saved 300 ms after the last keystroke
    await page.reload();
    await page.locator('intake-widget textarea').waitFor({ state: 'visible', timeout: 20000 }).catch(async () => openChat(page));
    await waitFor(async () => (await bubbles(page, 'staff')).some((t) => t.includes(answer)), { timeout: 20000, message: 'history after reload' });
    const residentAfter = await bubbles(page, 'resident');
    assert.ok(residentAfter.includes(question) && residentAfter.includes(offlineText), 'both resident messages after reload');
    assert.equal(await page.locator('intake-widget textarea').inputValue(), draft, 'half-typed message restored');
    assert.deepEqual(await conversationIds(), [id], 'the reload resumed the same conversation');
    await screenshot(page, 'chat-es-after-reload');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('classic script snippet on a phone: the question reaches the staff and the reply comes back', async () => {
    const before = new Set(await conversationIds());
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${host.url}/iife.html`);
    await openChat(page);
    const question = '我想问一下居住证怎么办理？';
    await send(page, question);
    const id = await waitFor(async () => (await conversationIds()).find((c) => !before.has(c)), { timeout: 20000, message: 'new conversation' });
    await waitFor(async () => (await residentMessages(id)).includes(question), { message: 'question stored' });
    const answer = '请带身份证到街道便民服务中心办理。';
    await staff(`/conversations/${encodeURIComponent(id)}/messages`, { method: 'POST', body: JSON.stringify({ text: answer }) });
    await waitFor(async () => (await bubbles(page, 'staff')).some((t) => t.includes(answer)), { timeout: 20000, message: 'reply on the phone' });
    await screenshot(page, 'chat-iife-phone');
    assert.deepEqual(errors, []);
    await context.close();
  });

  // Issue 15, item 1: the first message written offline is kept, queued with its conversation,
  // and delivered once the network is back, after the page was closed and opened again.
  test('district portal on a phone: the first messages written offline start the conversation after a reload, once, in order', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const errors: string[] = [];
    let page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${host.url}/district.html`);
    await openChat(page);
    await context.setOffline(true);
    await page.evaluate(() => window.dispatchEvent(new Event('offline')));
    const first = '小区门口的路灯坏了一个星期了。';
    const second = '晚上很黑，老人出门不方便。';
    await send(page, first);
    await waitFor(async () => (await bubbles(page, 'resident')).includes(first), { message: 'first offline message shown' });
    await send(page, second);
    await waitFor(async () => (await bubbles(page, 'resident')).includes(second), { message: 'second offline message shown' });
    // One thing said, and only what is true: offline, saved, not "could not start".
    const banner = (await page.locator('intake-widget .banner').textContent()) ?? '';
    assert.match(banner, /您已离线。消息已保存，联网后会自动发送。/);
    assert.doesNotMatch(banner, /暂时无法开始对话/);
    assert.equal(await page.locator('intake-widget textarea').inputValue(), '', 'the messages left the composer: they are queued');
    const states = await page.locator('intake-widget [part~="message-resident"] [data-state]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
    assert.ok(states.every((s) => s !== 'sent' && s !== 'read'), `nothing claims to be sent offline: ${states.join(', ')}`);
    await screenshot(page, 'chat-district-offline-queued');
    // The resident closes the page while still offline; nothing has reached the server.
    await page.close();
    assert.deepEqual(await conversationIds('riverside'), []);

    await context.setOffline(false);
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${host.url}/district.html`);
    await openChat(page);
    const id = await waitFor(async () => (await conversationIds('riverside'))[0], { timeout: 30000, message: 'the conversation created after the reload' });
    await waitFor(async () => (await residentMessages(id)).length === 2, { timeout: 30000, message: 'both messages delivered' });
    assert.deepEqual(await residentMessages(id), [first, second], 'once each, in the order written');
    assert.deepEqual(await conversationIds('riverside'), [id], 'one conversation');
    await waitFor(async () => (await page.locator('intake-widget [part~="message-resident"] [data-state="sent"]').count()) === 2, { timeout: 20000, message: 'both shown as sent' });
    assert.equal(await page.locator('intake-widget textarea').inputValue(), '', 'no copy left in the composer to send twice');
    assert.deepEqual(errors, []);
    await context.close();
  });

  // Issue 15, item 3: staff close the chat; the resident is told once, after a reload too, and the
  // composer starts a new conversation with what they type instead of failing forever.
  test('street portal: a chat closed by staff says so once, after a reload too, and the next message starts a new conversation', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${host.url}/street.html`);
    await openChat(page);
    await send(page, 'Is the library open on Sunday?');
    const id = await waitFor(async () => (await conversationIds('riverside/xinhua'))[0], { timeout: 20000, message: 'conversation' });
    await waitFor(async () => (await residentMessages(id)).length === 1, { message: 'question stored' });
    await staff(`/conversations/${encodeURIComponent(id)}/close`, { method: 'POST' });
    const ended = page.locator('intake-widget [part~="message-system"]', { hasText: 'This conversation has ended.' });
    await waitFor(async () => (await ended.count()) >= 1, { timeout: 20000, message: 'closed notice' });
    await waitFor(async () => (await page.locator('intake-widget [part~="send-button"]').textContent())?.includes('Start a new conversation'), { message: 'new conversation offered' });
    assert.equal(await ended.count(), 1, 'one notice, not two');

    await page.reload();
    await page.locator('intake-widget textarea').waitFor({ state: 'visible', timeout: 20000 }).catch(async () => openChat(page));
    await waitFor(async () => (await ended.count()) === 1, { timeout: 20000, message: 'closed notice after the reload' });
    assert.match((await page.locator('intake-widget [part~="send-button"]').textContent()) ?? '', /Start a new conversation/);
    await screenshot(page, 'chat-street-closed');

    const next = 'Thanks. And is it open on public holidays?';
    await send(page, next);
    const fresh = await waitFor(async () => (await conversationIds('riverside/xinhua')).find((c) => c !== id), { timeout: 20000, message: 'a new conversation' });
    await waitFor(async () => (await residentMessages(fresh)).includes(next), { timeout: 20000, message: 'the text went into the new conversation' });
    await waitFor(async () => (await page.locator('intake-widget [part~="message-resident"] [data-state="sent"]').count()) === 1, { timeout: 20000, message: 'shown as sent' });
    assert.equal(await page.locator('intake-widget [data-state="failed"]').count(), 0, 'no "not sent" left behind');
    assert.deepEqual(await residentMessages(id), ['Is the library open on Sunday?'], 'nothing more went to the closed one');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
