// The staff console's shell and queue end to end (demo/console/console-app.ts, staff-queue.ts):
// simplified Chinese by default and the language switch, sign-in with a password (demo accounts)
// and with a token, sign out, an expired session, the queue's search and filters kept in the
// address (reload, back, forward), "load more" past the first page, phone and desktop sizes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import {
  closeAll,
  launchChromium,
  screenshot,
  startDemoServer,
  startReferenceServer,
  VIEWPORTS,
  waitFor,
  type DemoServer,
  type ReferenceServer,
} from '../helpers/e2e.js';
import { endSessionElsewhere } from '../helpers/console-e2e.js';

const GARDEN = 'riverside/xinhua/garden';

describe('staff console shell and queue', () => {
  let api: ReferenceServer;
  let demo: DemoServer;
  let browser: Browser;
  const pageErrors: string[] = [];
  const made: { id: string; reference: string }[] = [];

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

  const fileRequest = (description: string, type = 'complaint') =>
    call<{ id: string; reference: string }>('POST', '/requests', {
      site: GARDEN,
      service: 'noise',
      type,
      description,
      fields: { source: 'construction', occurred_at: '2026-11-27T23:00', location: { address: '新华路12号' } },
      contact: { name: '王女士', phone: '13800000000', preferred: 'phone' },
      consent: { version: '2026-01', given: true },
      locale: 'zh-CN',
    });

  const consoleUrl = (query = '') => `${demo.url}/demo/console/?api=${encodeURIComponent(api.apiBase)}${query}`;

  async function newPage(viewport: { width: number; height: number } = VIEWPORTS.desktop): Promise<Page> {
    const page = await browser.newPage({ viewport });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    return page;
  }

  async function tokenSignIn(page: Page, query = '') {
    await page.goto(consoleUrl(`${query}&token=${encodeURIComponent(api.staffToken)}`));
    await page.locator('staff-queue').waitFor({ timeout: 20000 });
  }

  const rows = (page: Page) => page.locator('staff-queue li');

  before(async () => {
    api = await startReferenceServer({ demoAccounts: true });
    demo = await startDemoServer();
    browser = await launchChromium();
    for (let i = 0; i < 3; i++) made.push(await fileRequest(`路灯不亮 shell-${i}`));
    made.push(await fileRequest('小区门口垃圾堆放 shell-suggest', 'suggestion').catch(() => fileRequest('小区门口垃圾堆放 shell-x')));
  });

  after(async () => {
    await closeAll();
  });

  test('opens in simplified Chinese; the switch changes to English and the choice is kept', async () => {
    const page = await newPage();
    try {
      await page.goto(consoleUrl());
      await page.getByRole('heading', { name: '12345 工单受理台' }).waitFor({ timeout: 20000 });
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
      await page.getByRole('button', { name: '登录', exact: true }).waitFor();
      await screenshot(page, 'console-shell-signin-zh-1280');
      await page.locator('#signin-lang').selectOption('en');
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      await page.reload();
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor({ timeout: 20000 });
      // ?lang= wins over the saved choice.
      await page.goto(consoleUrl('&lang=zh-CN'));
      await page.getByRole('button', { name: '登录', exact: true }).waitFor({ timeout: 20000 });
      await page.evaluate(() => localStorage.removeItem('intake-console.lang'));
    } finally {
      await page.close();
    }
  });

  test('a token in the address signs in and is removed from it; the header names the person and role', async () => {
    const page = await newPage();
    try {
      await tokenSignIn(page, '&lang=en');
      assert.ok(!page.url().includes('token='), 'the token is gone from the address bar');
      await page.locator('.duty.on').waitFor({ timeout: 20000 });
      const who = (await page.locator('.account [data-user]').textContent())?.trim();
      assert.ok(who, 'a display name');
      assert.equal(await page.locator('.account [data-role]').getAttribute('data-role'), 'dispatcher');
      // Switching the language re-renders the console, names from the server included.
      await page.locator('#console-lang').selectOption('zh-CN');
      await page.getByRole('heading', { name: '工单队列' }).waitFor();
      await page.locator('.duty.on').filter({ hasText: '在岗' }).waitFor();
      assert.match((await page.locator('#filter-status').innerText()) ?? '', /待派单/);
      await screenshot(page, 'console-shell-queue-zh-1280');
      await page.locator('#console-lang').selectOption('en');
      await page.getByRole('heading', { name: 'Queue' }).waitFor();
      await screenshot(page, 'console-shell-queue-en-1280');
    } finally {
      await page.close();
    }
  });

  test('a wrong token is refused with a clear message', async () => {
    const page = await newPage();
    try {
      await page.goto(consoleUrl('&lang=en&token=not-the-token'));
      await page.getByRole('alert').filter({ hasText: 'not accepted' }).waitFor({ timeout: 20000 });
      assert.equal(await page.locator('#token').getAttribute('aria-invalid'), 'true');
    } finally {
      await page.close();
    }
  });

  test('signs in with a login and password, signs out, and a wrong password is refused', async () => {
    const page = await newPage();
    try {
      await page.goto(consoleUrl('&lang=en'));
      await page.locator('#login').fill('dispatcher');
      await page.locator('#password').fill('wrong-password');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('alert').filter({ hasText: 'do not match' }).waitFor({ timeout: 20000 });
      await page.locator('#password').fill('demo-dispatcher');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.locator('staff-queue').waitFor({ timeout: 20000 });
      assert.equal((await page.locator('.account [data-user]').textContent())?.trim(), '张敏');
      await page.locator('.account summary').click();
      await page.locator('[data-sign-out]').click();
      await page.locator('#login').waitFor();
      assert.equal(await page.evaluate(() => sessionStorage.getItem('intake-console.token')), null);
    } finally {
      await page.close();
    }
  });

  test('an expired session asks to sign in again over the console, keeping what was open', async () => {
    const page = await newPage();
    try {
      // A site officer of 新华街道 (the garden community is below it); not the dispatcher, whose
      // account the shared token signs in as in demo mode.
      await page.goto(consoleUrl('&lang=en'));
      await page.locator('#login').fill('xinhua');
      await page.locator('#password').fill('demo-xinhua');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.locator('staff-queue').waitFor({ timeout: 20000 });
      await page.evaluate((hash) => (location.hash = hash), `#/request/${encodeURIComponent(made[0]!.reference)}`);
      await page.getByRole('heading', { name: made[0]!.reference }).waitFor({ timeout: 20000 });
      const draft = '明天上午派人到现场查看。';
      await page.locator('staff-request #reply-text').fill(draft);
      // The session ends elsewhere (signed out everywhere from another device).
      const dialog = await endSessionElsewhere(page, api);
      assert.match(await dialog.innerText(), /expired/);
      await screenshot(page, 'console-shell-expired-1280');
      assert.equal(await dialog.locator('#login').inputValue(), 'xinhua', 'the login is filled in');
      await dialog.locator('#password').fill('demo-xinhua');
      await dialog.getByRole('button', { name: 'Sign in', exact: true }).click();
      await dialog.waitFor({ state: 'detached', timeout: 20000 });
      await page.getByRole('heading', { name: made[0]!.reference }).waitFor();
      assert.equal(await page.locator('staff-request #reply-text').inputValue(), draft, 'the reply typed before is still there');
      // And the console works again with the new session.
      await page.locator('#filter-status').selectOption('');
      await page.locator(`staff-queue li[data-id="${made[0]!.id}"]`).waitFor({ timeout: 20000 });
    } finally {
      await page.close();
    }
  });

  test('an item routed away from an officer leaves their queue live', async () => {
    const page = await newPage();
    try {
      const moving = await fileRequest('噪音扰民 shell-moving');
      await page.goto(consoleUrl('&lang=en'));
      await page.locator('#login').fill('sanitation');
      await page.locator('#password').fill('demo-sanitation');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      const row = page.locator(`staff-queue li[data-id="${moving.id}"]`);
      await row.waitFor({ timeout: 20000 });
      await page.locator('.duty.on').waitFor({ timeout: 20000 });
      await call('POST', `/staff/requests/${moving.reference}/route`, { department: 'market-regulation' }, { authorization: `Bearer ${api.staffToken}` });
      await row.waitFor({ state: 'detached', timeout: 20000 });
    } finally {
      await page.close();
    }
  });

  test('search and filters live in the address: reload, back and forward keep them', async () => {
    const page = await newPage();
    try {
      await tokenSignIn(page, '&lang=en');
      await waitFor(async () => (await rows(page).count()) >= made.length, { message: 'the queue is loaded' });
      // Search by a reference typed in lower case with spaces.
      const target = made[1]!;
      await page.locator('#queue-search').fill(target.reference.toLowerCase().replace(/-/g, ' '));
      await page.locator('#queue-search').press('Enter');
      await waitFor(async () => (await rows(page).count()) === 1 && (await rows(page).first().getAttribute('data-id')) === target.id, { message: 'one match' });
      assert.ok(new URL(page.url()).searchParams.get('q'), 'the search is in the address');
      await page.locator('#filter-status').selectOption('closed');
      await waitFor(async () => new URL(page.url()).searchParams.get('status') === 'closed', { message: 'status in the address' });
      await waitFor(async () => (await rows(page).count()) === 0, { message: 'nothing closed' });
      await page.reload();
      await page.locator('staff-queue').waitFor({ timeout: 20000 });
      assert.equal(await page.locator('#filter-status').inputValue(), 'closed', 'the filter survives a reload');
      assert.ok((await page.locator('#queue-search').inputValue()).length > 0, 'the search survives a reload');
      await page.goBack();
      await waitFor(async () => (await page.locator('#filter-status').inputValue()) === '', { message: 'back undoes the filter' });
      await waitFor(async () => (await rows(page).count()) === 1, { message: 'back shows the match again' });
      await page.goForward();
      await waitFor(async () => (await page.locator('#filter-status').inputValue()) === 'closed', { message: 'forward redoes it' });
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await waitFor(async () => !new URL(page.url()).search.includes('status='), { message: 'cleared' });
      await page.locator('#filter-sort').selectOption('oldest');
      await waitFor(async () => new URL(page.url()).searchParams.get('sort') === 'oldest', { message: 'sort in the address' });
      await page.locator('#filter-unassigned').check();
      await waitFor(async () => new URL(page.url()).searchParams.get('unassigned') === '1', { message: 'unassigned in the address' });
      // Every row has its date with the time.
      const times = await page.locator('staff-queue li time').allInnerTexts();
      assert.ok(times.length > 0 && times.every((s) => /\d{1,2}:\d{2}/.test(s) && /20\d\d/.test(s)), times.join(' | '));
    } finally {
      await page.close();
    }
  });

  test('past the first page: a total and "load more"', async () => {
    for (let batch = 0; batch < 11; batch++) {
      await Promise.all(Array.from({ length: 10 }, (_, i) => fileRequest(`分页 page-${batch * 10 + i}`)));
    }
    const page = await newPage();
    try {
      await tokenSignIn(page, '&lang=en&q=page-');
      await waitFor(async () => (await rows(page).count()) === 100, { message: 'the first 100' });
      assert.equal(await page.locator('staff-queue .count').getAttribute('data-total'), '110');
      await page.getByRole('button', { name: 'Load more' }).click();
      await waitFor(async () => (await rows(page).count()) === 110, { message: 'all 110' });
      assert.equal(await page.getByRole('button', { name: 'Load more' }).count(), 0);
    } finally {
      await page.close();
    }
  });

  test('on a phone: the queue, then the item, then back; in both languages', async () => {
    const page = await newPage(VIEWPORTS.phone);
    try {
      await tokenSignIn(page, '&lang=zh-CN&q=shell-');
      await screenshot(page, 'console-shell-queue-zh-390');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      assert.equal(overflow, false, 'nothing wider than the phone');
      await page.locator(`staff-queue li[data-id="${made[2]!.id}"] a`).click();
      await page.getByRole('heading', { name: made[2]!.reference }).waitFor({ timeout: 20000 });
      assert.equal(await page.locator('staff-queue').isVisible(), false);
      await page.getByRole('link', { name: '← 返回队列' }).click();
      await page.locator('staff-queue').waitFor();
      await page.locator('#console-lang').selectOption('en');
      await page.getByRole('heading', { name: 'Queue' }).waitFor();
      await screenshot(page, 'console-shell-queue-en-390');
      await page.locator('.account summary').click();
      await screenshot(page, 'console-shell-account-en-390');
    } finally {
      await page.close();
    }
    assert.deepEqual(pageErrors, []);
  });
});
