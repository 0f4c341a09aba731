// The console passes axe in every view and works with the keyboard alone (issue 16, "Done when").
// Signed in as each demo role, every view that role can open — the queue with the metrics, a
// request, a chat, each page in its navigation (audit, accounts and an account form, settings,
// canned replies, my account, and whatever pages are added later), each catalogue section — and
// the sign-in page, the first-administrator setup and the expired-session dialog; at 390×844 and
// 1280×800, in zh-CN and en. Then a day's core task by keyboard alone on a phone: search for an
// item, open it, claim it, reply, back to the queue.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { closeAll, launchChromium, screenshot, startDemoServer, startReferenceServer, VIEWPORTS, waitFor, type DemoServer, type ReferenceServer } from '../helpers/e2e.js';
import { apiCall, axeViolations, consoleUrl, endSessionElsewhere, signInAs, type ConsoleLang } from '../helpers/console-e2e.js';

const GARDEN = 'riverside/xinhua/garden';
const LANGS: ConsoleLang[] = ['zh-CN', 'en'];
/** What each page shows once it has loaded (an empty "loading" state would pass axe too easily). */
const READY: Record<string, string> = {
  audit: 'staff-audit ol.entries > li',
  accounts: 'staff-accounts tbody tr',
  settings: 'staff-settings [data-signature]',
  canned: 'staff-canned-manager li',
  me: 'staff-my-account form',
  catalogue: 'staff-catalogue nav a',
};

describe('the console: axe in every view, keyboard alone', () => {
  let api: ReferenceServer;
  let demo: DemoServer;
  let browser: Browser;
  const errors: string[] = [];
  let reference = '';
  let chatId = '';

  before(async () => {
    api = await startReferenceServer({ demoAccounts: true });
    demo = await startDemoServer();
    browser = await launchChromium();
    // A complaint at Garden routed to sanitation (the dispatcher, the sanitation officer, Xinhua's
    // site officer and the supervisor all see it), with a reply; a chat at Garden.
    const made = await apiCall<{ reference: string }>(api, 'POST', '/requests', {
      site: GARDEN, service: 'noise', type: 'complaint', description: '工地夜里十一点还在施工 a11y',
      fields: { source: 'construction', occurred_at: '2026-11-27T23:00', location: { address: '新华路12号' } },
      contact: { name: '王女士', phone: '13800000000', preferred: 'phone' }, consent: { version: '2026-01', given: true }, locale: 'zh-CN',
    });
    reference = made.reference;
    const staff = { authorization: `Bearer ${api.staffToken}` };
    await apiCall(api, 'POST', `/staff/requests/${reference}/route`, { department: 'sanitation' }, staff);
    await apiCall(api, 'POST', `/staff/requests/${reference}/reply`, { text: '已安排执法人员夜间巡查。' }, staff);
    const chat = await apiCall<{ id: string; token: string }>(api, 'POST', '/conversations', { site: GARDEN, locale: 'zh-CN' });
    chatId = chat.id;
    await apiCall(api, 'POST', `/conversations/${chatId}/messages`, { clientId: 'a11y-client-1', text: '垃圾桶满了没人清运' }, { authorization: `Bearer ${chat.token}` });
  });
  after(async () => {
    await closeAll();
  });

  /** Opens `hash`, waits for `ready`, runs axe at both sizes; returns the violations by view. */
  async function check(page: Page, lang: ConsoleLang, name: string, hash: string, ready: string, found: string[]) {
    await page.evaluate((h) => (location.hash = h), hash);
    for (const [size, viewport] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(viewport);
      await page.locator(ready).first().waitFor({ timeout: 30000 });
      const violations = await axeViolations(page);
      if (violations.length) {
        found.push(...violations.map((v) => `${name} ${lang} ${size}: ${v}`));
        await screenshot(page, `console-a11y-${name.replace(/[^a-z0-9]+/gi, '-')}-${lang}-${viewport.width}`);
      }
    }
  }

  /** The hashes of the pages in the navigation of a signed-in page. */
  const navPages = (page: Page) =>
    page.locator('header nav a').evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? '').filter((h) => h.startsWith('#/') && h !== '#/'));

  const ROLES: { login: string; items: boolean; chat: boolean }[] = [
    { login: 'dispatcher', items: true, chat: true },
    { login: 'sanitation', items: true, chat: false },
    { login: 'xinhua', items: true, chat: true },
    { login: 'supervisor', items: true, chat: true },
    { login: 'admin', items: false, chat: false },
  ];

  for (const role of ROLES) {
    test(`${role.login}: every view it can open, both sizes, both languages`, async () => {
      const found: string[] = [];
      for (const lang of LANGS) {
        const page = await signInAs(browser, demo, api, role.login, { lang, errors });
        try {
          await check(page, lang, 'queue', '#/', 'staff-queue', found);
          if (role.items) await check(page, lang, 'request', `#/request/${encodeURIComponent(reference)}`, `staff-request h2:has-text("${reference}")`, found);
          if (role.chat) await check(page, lang, 'conversation', `#/conversation/${chatId}`, 'staff-conversation .msg[data-author="resident"]', found);
          const pages = await navPages(page);
          assert.ok(pages.includes('#/me'), `my account for everyone: ${pages}`);
          for (const hash of pages) {
            // Each known page once it has loaded what it shows; a page added later, once it is there.
            const path = hash.slice(2).split(/[/?]/)[0]!;
            await check(page, lang, path, hash, READY[path] ?? `staff-console`, found);
          }
          if (role.login === 'admin') {
            for (const section of ['sites', 'departments', 'services', 'routes', 'answers', 'privacy', 'transfer']) {
              await check(page, lang, `catalogue/${section}`, `#/catalogue/${section}`, 'staff-catalogue nav a', found);
            }
            await check(page, lang, 'accounts/new', '#/accounts/new', 'staff-accounts #f-login', found);
          }
          if (lang === 'zh-CN') await screenshot(page, `console-a11y-${role.login}-last-view-1280`);
        } finally {
          await page.context().close();
        }
      }
      assert.deepEqual(found, []);
    });
  }

  test('sign-in, the expired-session dialog and the first-administrator setup', async () => {
    const found: string[] = [];
    for (const lang of LANGS) {
      const context = await browser.newContext({ viewport: VIEWPORTS.phone });
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(`sign-in: ${e.message}`));
      await page.goto(consoleUrl(demo, api, { lang }));
      await check(page, lang, 'sign-in', '#/', 'main.signin #login', found);
      await context.close();

      const officer = await signInAs(browser, demo, api, 'xinhua', { lang, errors });
      await endSessionElsewhere(officer, api);
      await check(officer, lang, 'expired-session', '#/', '[role=dialog] #password', found);
      await officer.context().close();
    }
    const fresh = await startReferenceServer({ offerSetup: true });
    assert.ok(fresh.setupToken, 'a server without accounts offers a setup link');
    for (const lang of LANGS) {
      const page = await browser.newPage({ viewport: VIEWPORTS.phone });
      await page.goto(consoleUrl(demo, fresh, { lang, hash: `#/setup/${encodeURIComponent(fresh.setupToken!)}` }));
      await check(page, lang, 'setup', `#/setup/${encodeURIComponent(fresh.setupToken!)}`, 'staff-setup #login', found);
      await page.close();
    }
    assert.deepEqual(found, []);
  });

  /** Deepest focused element across shadow roots: `tag#id`, `a[href]` or its text. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      if (!el) return '';
      const text = (el.textContent ?? '').trim().slice(0, 40);
      return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('href') ? `[${el.getAttribute('href')}]` : ''} ${text}`;
    });

  /** Presses Tab until the focused element matches; fails after `max` presses. */
  async function tabTo(page: Page, match: (f: string) => boolean, what: string, max = 120) {
    const seen: string[] = [];
    for (let i = 0; i < max; i++) {
      const now = await focused(page);
      if (match(now)) return;
      seen.push(now);
      await page.keyboard.press('Tab');
    }
    assert.fail(`${what} not reached by Tab in ${max} presses: ${seen.slice(-12).join(' | ')}`);
  }

  test("keyboard alone on a phone: search, open, claim, reply, back to the queue (the sanitation officer's day)", async () => {
    const page = await signInAs(browser, demo, api, 'sanitation', { viewport: VIEWPORTS.phone, errors });
    try {
      await page.locator('.duty.on').waitFor({ timeout: 30000 });
      await page.locator('body').focus();
      await tabTo(page, (f) => f.startsWith('input#queue-search'), 'the search box');
      await page.keyboard.type(reference.toLowerCase().replace(/-/g, ' '));
      await page.keyboard.press('Enter');
      await waitFor(async () => (await page.locator('staff-queue li').count()) === 1, { message: 'one match' });
      await tabTo(page, (f) => f.startsWith(`a[#/request/${encodeURIComponent(reference)}]`), 'the item');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: reference }).waitFor({ timeout: 20000 });
      await tabTo(page, (f) => f.startsWith('button') && /认领/.test(f), 'Claim');
      await page.keyboard.press('Enter');
      await page.locator('staff-request [data-assignee]:not([data-assignee=""])').waitFor({ timeout: 20000 });
      await tabTo(page, (f) => f.startsWith('textarea#reply-text'), 'the reply box');
      await page.keyboard.type('明天上午派人到现场查看。');
      await tabTo(page, (f) => f.startsWith('button') && /发送答复/.test(f), 'Send reply');
      await page.keyboard.press('Enter');
      await page.locator('staff-request [data-reply]').filter({ hasText: '明天上午派人' }).waitFor({ timeout: 20000 });
      await screenshot(page, 'console-a11y-keyboard-replied-390');
      await page.keyboard.press('Shift+Tab');
      await page.evaluate(() => window.scrollTo(0, 0));
      // Back: Shift+Tab up to the link at the top of the item.
      for (let i = 0; i < 120 && !(await focused(page)).startsWith('a[#/]'); i++) await page.keyboard.press('Shift+Tab');
      assert.match(await focused(page), /^a\[#\/\]/, 'the back link reached with Shift+Tab');
      await page.keyboard.press('Enter');
      await page.locator('staff-queue').waitFor({ state: 'visible', timeout: 20000 });
      const detail = JSON.parse(await (await fetch(`${api.apiBase}/staff/requests/${reference}`, { headers: { authorization: `Bearer ${api.staffToken}` } })).text()) as { assignee?: { name: string } | null; replies: { text: string }[] };
      assert.equal(detail.assignee?.name, '刘洋');
      assert.ok(detail.replies.some((r) => r.text.includes('明天上午派人')));
    } finally {
      await page.context().close();
    }
    assert.deepEqual(errors, []);
  });
});
