// Issue 16's scenario across roles, end to end: the real reference server with the demo accounts,
// the portals and the console served by Vite, Debian's Chromium, one browser context per person.
// The administrator sets the reply signature in the console; a resident files a complaint from the
// district portal; the dispatcher (signed in with login and password) routes it to sanitation; the
// sanitation officer, at another desk, sees it without the resident's contact (page and API) and
// replies; the resident sees the reply signed as configured; the market officer never sees it
// (queue, search, its address, the live stream); the supervisor's audit log shows every step; a
// chat on the community portal becomes a work order and the resident sees its reference in the chat.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { closeAll, launchChromium, screenshot, startDemoServer, startReferenceServer, VIEWPORTS, waitFor, type DemoServer, type ReferenceServer } from '../helpers/e2e.js';
import { apiCall, consoleUrl, sessionToken, signInAs } from '../helpers/console-e2e.js';

/** Every Server-Sent Event a console page receives, as `type data`, in window.__sse. */
const RECORD_SSE = `(() => {
  const Original = window.EventSource;
  window.__sse = [];
  window.EventSource = class extends Original {
    constructor(url, init) {
      super(url, init);
      for (const type of ['message', 'queue', 'gone']) this.addEventListener(type, (e) => window.__sse.push(type + ' ' + e.data));
    }
  };
})();`;

const EMAIL = 'wang.fang.e2e@example.com';
const NAME = '王芳芳';

describe('the intake centre across roles', () => {
  let api: ReferenceServer;
  let demo: DemoServer;
  let browser: Browser;
  const errors: string[] = [];
  let reference = '';
  let residentPage: Page;
  let market: Page;
  let sanitation: Page;

  const sse = (page: Page) => page.evaluate(() => (window as unknown as { __sse: string[] }).__sse.slice());

  before(async () => {
    api = await startReferenceServer({ demoAccounts: true });
    demo = await startDemoServer();
    browser = await launchChromium();
    // The market officer's console is open all along, recording its live stream.
    market = await signInAs(browser, demo, api, 'market', { errors, initScript: RECORD_SSE });
    await market.locator('.duty.on').waitFor({ timeout: 30000 });
  });
  after(async () => {
    await closeAll();
  });

  test('the administrator sets the reply signature in the console settings', async () => {
    const admin = await signInAs(browser, demo, api, 'admin', { errors });
    await admin.goto(consoleUrl(demo, api, { hash: '#/settings' }));
    await admin.locator('staff-settings [data-signature]').waitFor({ timeout: 30000 });
    assert.equal(await admin.locator('staff-settings #s-scope').inputValue(), 'global', 'global by default');
    await admin.locator('staff-settings input[value=office_number]').check();
    await admin.locator('staff-settings button[type=submit]').click();
    await admin.locator('staff-settings [role=status]', { hasText: '已保存' }).waitFor({ timeout: 20000 });
    await admin.context().close();
  });

  test('a resident files a complaint from the district portal', async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS.phone, deviceScaleFactor: 1 });
    residentPage = await context.newPage();
    residentPage.on('pageerror', (e) => errors.push(`resident: ${e.message}`));
    await residentPage.goto(`${demo.url}/demo/district/?api=${encodeURIComponent(api.apiBase)}`);
    await residentPage.locator('intake-widget [part~="launcher"]').waitFor({ state: 'visible', timeout: 30000 });
    await residentPage.locator('button[data-service="road-hazard"]').click();
    const form = residentPage.locator('intake-widget intake-form');
    await form.locator('input[name="kind"][value="complaint"]').check({ timeout: 30000 });
    await form.locator('button[type="submit"]').click();
    await form.locator('#f-description').fill('滨江路12号门口井盖缺失，晚上很危险，投诉养护单位一直不处理。');
    await form.locator('#f-fields-location').fill('滨江路12号');
    await form.locator('input[name="hazard"][value="manhole"]').check();
    await form.locator('button[type="submit"]').click();
    await form.locator('input[name="contact"][value="reply"]').check();
    await form.locator('#f-contact-name').fill(NAME);
    await form.locator('#f-contact-email').fill(EMAIL);
    assert.equal(await form.locator('#f-contact-shareWithOffice').isChecked(), false, 'the office sees the contact only if ticked');
    await form.locator('#f-consent').check();
    await form.locator('button[type="submit"]').click();
    await form.locator('.summary-list').waitFor();
    await form.locator('button[type="submit"]').click();
    await form.locator('.reference-number').waitFor({ timeout: 30000 });
    reference = (await form.locator('.reference-number').innerText()).trim();
    assert.match(reference, /^[A-Z]+-/);
  });

  test('the dispatcher signs in with login and password and routes it to sanitation', async () => {
    const desk = await signInAs(browser, demo, api, 'dispatcher', { errors });
    assert.equal((await desk.locator('.account [data-user]').textContent())?.trim(), '张敏');
    const row = desk.locator('staff-queue li').filter({ hasText: reference });
    await row.waitFor({ timeout: 30000 });
    await row.locator('a').click();
    await desk.getByRole('heading', { name: reference }).waitFor({ timeout: 20000 });
    // The intake centre sees the complainant.
    await desk.getByRole('button', { name: '显示联系方式' }).click();
    await desk.locator('staff-request [data-contact]').filter({ hasText: EMAIL }).waitFor({ timeout: 20000 });
    await desk.locator('#route-department').selectOption('sanitation');
    await desk.locator('#route-department').locator('xpath=ancestor::form').locator('button[type=submit]').click();
    await desk.locator('staff-request [data-routed]').filter({ hasText: '环境卫生局' }).waitFor({ timeout: 20000 });
    await screenshot(desk, 'intake-centre-dispatcher-routed-1280');
    await desk.context().close();
  });

  test('the sanitation officer, at another desk, sees it without the contact and replies', async () => {
    sanitation = await signInAs(browser, demo, api, 'sanitation', { errors });
    const row = sanitation.locator('staff-queue li').filter({ hasText: reference });
    await row.waitFor({ timeout: 30000 });
    await row.locator('a').click();
    await sanitation.getByRole('heading', { name: reference }).waitFor({ timeout: 20000 });
    const view = (await sanitation.locator('staff-request').innerText()) ?? '';
    assert.ok(!view.includes(EMAIL) && !view.includes(NAME), 'neither the email nor the name on the page');
    const token = await sessionToken(sanitation);
    const detail = await apiCall<{ contact?: unknown; contactHidden?: string | false }>(api, 'GET', `/staff/requests/${encodeURIComponent(reference)}`, undefined, { authorization: `Bearer ${token}` });
    const raw = JSON.stringify(detail);
    assert.ok(!raw.includes(EMAIL) && !raw.includes(NAME), `the API answer carries no contact: ${raw.slice(0, 300)}`);
    assert.equal(detail.contactHidden, 'complaint');
    const contact = await fetch(`${api.apiBase}/staff/requests/${encodeURIComponent(reference)}/contact`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    assert.equal(contact.status, 403, 'asking for the contact is refused');
    await screenshot(sanitation, 'intake-centre-officer-no-contact-1280');

    await sanitation.locator('staff-request [data-signature]').filter({ hasText: ' · 工号 sanitation' }).waitFor({ timeout: 20000 });
    await sanitation.locator('#reply-text').fill('已安排养护队今天下午补装井盖，感谢您的监督。');
    await sanitation.getByRole('button', { name: '发送答复' }).click();
    await sanitation.locator('staff-request [data-reply]').filter({ hasText: '补装井盖' }).waitFor({ timeout: 20000 });
  });

  test('the resident sees the reply signed as the administrator configured', async () => {
    await residentPage.reload();
    await residentPage.locator('intake-widget [part~="launcher"]').waitFor({ state: 'visible', timeout: 30000 });
    await residentPage.evaluate((r) => (window as unknown as { IntakeWidgets: { showStatus(r?: string): Promise<void> } }).IntakeWidgets.showStatus(r), reference);
    const status = residentPage.locator('intake-widget intake-status');
    await waitFor(async () => (await status.locator('.reply-text').allInnerTexts()).some((t) => t.includes('补装井盖')), { timeout: 30000, message: 'reply shown' });
    const meta = await status.locator('.reply-meta strong').first().innerText();
    assert.match(meta, /^区城市管理和环境卫生局 · 工号 sanitation$/, `signed office + staff number: ${meta}`);
    await screenshot(residentPage, 'intake-centre-resident-signed-reply-390');
  });

  test('the market officer never sees it: queue, search, its address, the live stream', async () => {
    // A sentinel the market officer does see, filed after everything above: once it has arrived
    // live, every earlier change has been through their stream.
    const sentinel = await apiCall<{ id: string; reference: string }>(api, 'POST', '/requests', {
      site: 'riverside', service: 'consumer-rights', type: 'complaint', description: '超市售卖过期食品 sentinel',
      fields: { shop_name: '好又多超市' }, contact: { name: '李先生', phone: '13700000000', preferred: 'phone' },
      consent: { version: '2026-01', given: true }, locale: 'zh-CN',
    });
    await market.locator(`staff-queue li[data-id="${sentinel.id}"]`).waitFor({ timeout: 30000 });
    const events = await sse(market);
    assert.ok(events.some((e) => e.includes(sentinel.reference)), 'the stream carries what is theirs');
    assert.ok(!events.some((e) => e.includes(reference)), `nothing about ${reference} in ${events.length} events`);
    assert.equal(await market.locator('staff-queue li').filter({ hasText: reference }).count(), 0);

    await market.locator('#queue-search').fill(reference.toLowerCase());
    await market.locator('#queue-search').press('Enter');
    await waitFor(async () => new URL(market.url()).searchParams.get('q'), { message: 'searched' });
    await market.locator('staff-queue .count[data-total="0"]').waitFor({ timeout: 20000 });
    await market.goto(consoleUrl(demo, api, { hash: `#/request/${encodeURIComponent(reference)}` }));
    await market.locator('staff-request').getByText('找不到该工单，或不在您的权限范围内。').waitFor({ timeout: 30000 });
    await screenshot(market, 'intake-centre-other-officer-not-found-1280');
    const token = await sessionToken(market);
    const direct = await fetch(`${api.apiBase}/staff/requests/${encodeURIComponent(reference)}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(direct.status, 404);
  });

  test('a chat becomes a work order and the resident sees its reference in the chat', async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop, deviceScaleFactor: 1 });
    const chat = await context.newPage();
    chat.on('pageerror', (e) => errors.push(`chat: ${e.message}`));
    await chat.goto(`${demo.url}/demo/community/?api=${encodeURIComponent(api.apiBase)}`);
    await chat.locator('intake-widget [part~="launcher"]').click({ timeout: 30000 });
    const box = chat.locator('intake-widget intake-chat textarea');
    await box.waitFor({ state: 'visible', timeout: 30000 });
    await box.fill('小区东门的垃圾桶三天没人清运了 e2e-chat');
    await box.press('Enter');
    const desk = await signInAs(browser, demo, api, 'dispatcher', { errors });
    const row = desk.locator('staff-queue li[data-item="conversation"]').filter({ hasText: 'e2e-chat' });
    await row.waitFor({ timeout: 30000 });
    await row.locator('a').click();
    const view = desk.locator('staff-conversation');
    await view.locator('.msg[data-author="resident"]').first().waitFor({ timeout: 20000 });
    await view.getByRole('button', { name: '转工单' }).first().click();
    await view.locator('#wo-service option[value="rubbish-collection"]').waitFor({ state: 'attached', timeout: 20000 });
    await view.locator('#wo-service').selectOption('rubbish-collection');
    await view.locator('dialog button[type="submit"]').click();
    const link = view.locator('ul.orders a');
    await link.waitFor({ timeout: 20000 });
    const workOrder = (await link.textContent())!.trim();
    await waitFor(async () => (await chat.locator('intake-widget [part~="message-system"] [part~="bubble"]').allTextContents()).some((t) => t.includes(workOrder)), {
      timeout: 30000, message: `${workOrder} in the resident's chat`,
    });
    await chat.locator('intake-widget intake-chat button.follow').last().waitFor();
    await screenshot(chat, 'intake-centre-resident-work-order-1280');
    await desk.context().close();
    await context.close();
  });

  test("the supervisor's audit log shows each step", async () => {
    const supervisor = await signInAs(browser, demo, api, 'supervisor', { errors });
    await supervisor.goto(consoleUrl(demo, api, { hash: '#/audit' }));
    const entries = supervisor.locator('staff-audit ol.entries > li');
    await entries.first().waitFor({ timeout: 30000 });
    const actions = async () => entries.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-action')} ${(e.textContent ?? '').replace(/\s+/g, ' ')}`));
    const seen = await actions();
    const has = (action: string, ...words: string[]) =>
      assert.ok(seen.some((s) => s.startsWith(`${action} `) && words.every((w) => s.includes(w))), `${action} ${words.join(' ')} in:\n${seen.join('\n')}`);
    has('settings_change', '孙丽');
    has('sign_in', '张敏');
    has('sign_in', '刘洋');
    has('contact_view', '张敏', reference);
    has('route', '张敏', reference);
    has('reply', '刘洋', reference);
    has('work_order', '张敏');
    await screenshot(supervisor, 'intake-centre-audit-1280', true);
    assert.deepEqual(errors, []);
  });
});
