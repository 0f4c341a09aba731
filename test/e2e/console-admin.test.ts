// The console's admin views end to end against the real server (demo accounts): an administrator
// creates an account (a 422 at the field first), changes the reply signature with its preview,
// and finds both in the audit log as sentences with filters in the address; the supervisor sees
// the audit log but not accounts or settings; everyone has "my account"; the first administrator
// from a setup link. Phone and desktop, both languages, screenshots in test-results/screenshots.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { closeAll, launchChromium, screenshot, startDemoServer, startReferenceServer, VIEWPORTS, type DemoServer, type ReferenceServer } from '../helpers/e2e.js';

describe('staff console admin views', () => {
  let api: ReferenceServer;
  let demo: DemoServer;
  let browser: Browser;
  const pageErrors: string[] = [];
  const consoleUrl = (query = '', hash = '') => `${demo.url}/demo/console/?api=${encodeURIComponent(api.apiBase)}${query}${hash}`;

  async function signIn(login: string, password: string, viewport: { width: number; height: number } = VIEWPORTS.desktop, query = ''): Promise<Page> {
    const page = await browser.newPage({ viewport });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(consoleUrl(query));
    await page.locator('#login').fill(login);
    await page.locator('#password').fill(password);
    await page.locator('button[type=submit]').first().click();
    await page.locator('staff-queue').waitFor({ timeout: 20000 });
    return page;
  }

  const nav = (page: Page) => page.locator('header nav a').allTextContents();

  before(async () => {
    api = await startReferenceServer({ demoAccounts: true });
    demo = await startDemoServer();
    browser = await launchChromium();
  });
  after(async () => {
    await closeAll();
    assert.deepEqual(pageErrors, []);
  });

  test('administrator: accounts (422 at the field, then created), settings with preview, both in the audit log', async () => {
    const page = await signIn('admin', 'demo-admin');
    try {
      const links = await nav(page);
      for (const label of ['操作日志', '账号管理', '系统设置', '我的账号']) assert.ok(links.includes(label), links.join());
      await page.locator('header nav a', { hasText: '账号管理' }).click();
      await page.locator('staff-accounts tbody tr').first().waitFor();
      assert.ok((await page.locator('staff-accounts tbody tr').count()) >= 6);
      await screenshot(page, 'console-admin-accounts-zh-1280', true);
      await page.locator('staff-accounts a.new').click();
      await page.locator('staff-accounts #f-login').fill('market');
      await page.locator('staff-accounts #f-name').fill('周杰');
      await page.locator('staff-accounts #f-department').selectOption('sanitation');
      await page.locator('staff-accounts #f-password').fill('zhou-password-1');
      await page.locator('staff-accounts button[type=submit]').click();
      await page.locator('staff-accounts #e-login').waitFor();
      assert.match((await page.locator('staff-accounts #e-login').textContent())!, /已被使用/);
      assert.equal(await page.locator('staff-accounts #f-name').inputValue(), '周杰');
      await screenshot(page, 'console-admin-account-422-zh-1280', true);
      await page.locator('staff-accounts #f-login').fill('zhou.jie');
      await page.locator('staff-accounts button[type=submit]').click();
      await page.waitForFunction(() => /^#\/accounts\/[^n]/.test(location.hash));
      await page.locator('staff-accounts [role=status]', { hasText: 'zhou.jie' }).waitFor();

      await page.locator('header nav a', { hasText: '系统设置' }).click();
      await page.locator('staff-settings [data-signature]').waitFor();
      await page.locator('staff-settings #s-scope').selectOption('riverside/xinhua');
      await page.locator('staff-settings input[value=office_initial]').check();
      assert.match((await page.locator('staff-settings [data-signature]').textContent())!, / · 王\*$/);
      await page.locator('staff-settings button[type=submit]').click();
      await page.locator('staff-settings [role=status]', { hasText: '已保存' }).waitFor();
      await screenshot(page, 'console-admin-settings-zh-1280', true);

      await page.locator('header nav a', { hasText: '操作日志' }).click();
      await page.locator('staff-audit ol.entries > li').first().waitFor();
      const texts = await page.locator('staff-audit ol.entries > li .sentence').allTextContents();
      assert.ok(texts.some((t) => /孙丽 将新华街道的答复署名改为“单位 \+ 姓氏”/.test(t)), texts.join('\n'));
      assert.ok(texts.some((t) => /孙丽 创建了账号 zhou\.jie（周杰，承办单位）/.test(t)), texts.join('\n'));
      await screenshot(page, 'console-admin-audit-zh-1280', true);
      await page.locator('staff-audit #f-action').selectOption('account_create');
      await page.locator('staff-audit form button[type=submit]').click();
      await page.waitForFunction(() => location.hash === '#/audit/?action=account_create');
      await page.reload();
      await page.locator('staff-audit ol.entries > li').first().waitFor({ timeout: 20000 });
      const filtered = await page.locator('staff-audit ol.entries > li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-action')));
      assert.ok(filtered.length >= 1 && filtered.every((a) => a === 'account_create'), filtered.join());
      await page.locator('select#console-lang').selectOption('en');
      await page.locator('staff-audit h2', { hasText: 'Audit log' }).waitFor();
      await screenshot(page, 'console-admin-audit-en-1280', true);
    } finally {
      await page.close();
    }
  });

  test('phone: audit, accounts and settings fit 390 px, in English too', async () => {
    const page = await signIn('admin', 'demo-admin', VIEWPORTS.phone);
    try {
      for (const [hash, name, ready] of [
        ['#/audit', 'audit', 'staff-audit ol.entries > li'],
        ['#/accounts', 'accounts', 'staff-accounts tbody tr'],
        ['#/settings', 'settings', 'staff-settings [data-signature]'],
        ['#/me', 'me', 'staff-my-account #p-current'],
      ] as const) {
        await page.evaluate((h) => (location.hash = h), hash);
        await page.locator(ready).first().waitFor();
        assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390, `${name} fits`);
        await screenshot(page, `console-admin-${name}-zh-390`, true);
      }
      await page.locator('select#console-lang').selectOption('en');
      await page.locator('staff-my-account h2', { hasText: 'My account' }).waitFor();
      await screenshot(page, 'console-admin-me-en-390', true);
      await page.evaluate(() => (location.hash = '#/accounts/new'));
      await page.locator('staff-accounts #f-login').waitFor();
      assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390);
      await screenshot(page, 'console-admin-account-new-en-390', true);
    } finally {
      await page.close();
    }
  });

  test('roles: the supervisor reads the audit log only; a dispatcher changes their password and signs out everywhere', async () => {
    const sup = await signIn('supervisor', 'demo-supervisor');
    try {
      const links = await nav(sup);
      assert.ok(links.includes('操作日志') && !links.includes('账号管理') && !links.includes('系统设置') && links.includes('我的账号'), links.join());
      await sup.locator('header nav a', { hasText: '操作日志' }).click();
      await sup.locator('staff-audit ol.entries > li').first().waitFor();
    } finally {
      await sup.close();
    }
    const page = await signIn('market', 'demo-market');
    try {
      const links = await nav(page);
      assert.ok(!links.includes('操作日志') && links.includes('我的账号'), links.join());
      await page.locator('header nav a', { hasText: '我的账号' }).click();
      await page.locator('staff-my-account #p-current').fill('wrong-password-0');
      await page.locator('staff-my-account #p-next').fill('market-password-2');
      await page.locator('staff-my-account #p-repeat').fill('market-password-2');
      await page.locator('staff-my-account button[type=submit]').click();
      await page.locator('staff-my-account #e-current').waitFor();
      await page.locator('staff-my-account #p-current').fill('demo-market');
      await page.locator('staff-my-account button[type=submit]').click();
      await page.locator('staff-my-account [role=status]', { hasText: '密码已修改' }).waitFor();
      await screenshot(page, 'console-admin-me-zh-1280', true);
      await page.locator('staff-my-account [data-sign-out-everywhere]').click();
      await page.locator('#login').waitFor();
    } finally {
      await page.close();
    }
  });
});

describe('first administrator from the setup link', () => {
  let api: ReferenceServer;
  let demo: DemoServer;
  let browser: Browser;
  before(async () => {
    api = await startReferenceServer({ offerSetup: true });
    demo = await startDemoServer();
    browser = await launchChromium();
  });
  after(() => closeAll());

  test('#/setup/<token> makes the administrator and opens the console signed in', async (t) => {
    if (!api.setupToken) return t.skip('the server issued no setup token');
    const page = await browser.newPage({ viewport: VIEWPORTS.phone });
    try {
      await page.goto(`${demo.url}/demo/console/?api=${encodeURIComponent(api.apiBase)}#/setup/${encodeURIComponent(api.setupToken)}`);
      await page.locator('staff-setup #login').fill('chief');
      await page.locator('staff-setup #displayName').fill('区长办');
      await page.locator('staff-setup #password').fill('chief-password-1');
      await page.locator('staff-setup #confirm').fill('chief-password-1');
      await screenshot(page, 'console-admin-setup-zh-390', true);
      await page.locator('staff-setup button[type=submit]').click();
      await page.locator('header nav a', { hasText: '账号管理' }).waitFor({ timeout: 20000 });
      assert.equal((await page.locator('.account [data-user]').textContent())?.trim(), '区长办');
    } finally {
      await page.close();
    }
  });
});
