// The console as a Chinese-speaking staff member meets it (demo accounts, zh-CN), for the things a
// walk through each role's day tripped over: the dispatcher's "assign to" list offers only people
// who sign in (no English "Staff" of the staff token, which in demo mode signs in as the demo
// dispatcher); the server's field problems come in the console's language (an administrator's
// over-long password, the last administrator's role) and stay English for a caller that names no
// language; the metrics name ratings by the words residents chose them by, not "stars".
// Screenshots: test-results/screenshots/console-zh-*.png, phone (390×844) and desktop (1280×800).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { closeAll, launchChromium, screenshot, startDemoServer, startReferenceServer, VIEWPORTS, type DemoServer, type ReferenceServer } from '../helpers/e2e.js';
import { apiCall, sessionToken, signInAs } from '../helpers/console-e2e.js';

describe('the staff console in simplified Chinese', () => {
  let api: ReferenceServer;
  let demo: DemoServer;
  let browser: Browser;
  let reference = '';
  const errors: string[] = [];

  before(async () => {
    api = await startReferenceServer({ demoAccounts: true });
    demo = await startDemoServer();
    browser = await launchChromium();
    const made = await apiCall<{ reference: string }>(api, 'POST', '/requests', {
      site: 'riverside/xinhua/garden', service: 'other', type: 'complaint', locale: 'zh-CN',
      description: '小区门口新开的奶茶店把桌椅摆到人行道上，推婴儿车过不去。',
      fields: { location: { address: '花园路8号' } }, consent: { version: '2026-01', given: true },
    });
    reference = made.reference;
  });

  after(async () => {
    await closeAll();
  });

  test('the dispatcher assigns only to people who sign in: no "Staff" in the list', async () => {
    for (const [name, viewport] of [['desktop', VIEWPORTS.desktop], ['phone', VIEWPORTS.phone]] as const) {
      const page = await signInAs(browser, demo, api, 'dispatcher', { viewport, lang: 'zh-CN', errors });
      try {
        await page.evaluate((hash) => (location.hash = hash), `#/request/${encodeURIComponent(reference)}`);
        const select = page.locator('staff-request #assign-account');
        await select.waitFor({ timeout: 20000 });
        const options = await select.locator('option').allTextContents();
        assert.ok(options.includes('张敏'), options.join());
        assert.ok(!options.some((o) => /staff/i.test(o)), `no English "Staff": ${options.join()}`);
        await screenshot(page, `console-zh-assign-${name}`);
      } finally {
        await page.context().close();
      }
    }
  });

  test('field problems in the console’s language; English for a caller that names none', async () => {
    const page = await signInAs(browser, demo, api, 'admin', { viewport: VIEWPORTS.desktop, lang: 'zh-CN', errors });
    try {
      await page.evaluate(() => (location.hash = '#/accounts/new'));
      await page.locator('staff-accounts #f-login').fill('li.ming');
      await page.locator('staff-accounts #f-name').fill('李明');
      await page.locator('staff-accounts #f-department').selectOption('sanitation');
      await page.locator('staff-accounts #f-password').fill('x'.repeat(201));
      await page.locator('staff-accounts button[type=submit]').click();
      await page.locator('staff-accounts #e-password').waitFor({ timeout: 20000 });
      assert.equal((await page.locator('staff-accounts #e-password').textContent())!.trim(), '最多200个字符');
      await screenshot(page, 'console-zh-password-too-long-desktop', true);

      // The only administrator gives themself another role: the server's refusal, in Chinese.
      const token = await sessionToken(page);
      const { accounts } = await apiCall<{ accounts: { id: string; login: string }[] }>(api, 'GET', '/staff/accounts', undefined, { authorization: `Bearer ${token}` });
      const me = accounts.find((a) => a.login === 'admin')!;
      await page.evaluate((hash) => (location.hash = hash), `#/accounts/${encodeURIComponent(me.id)}`);
      await page.locator('staff-accounts #f-role').selectOption('dispatcher');
      await page.locator('staff-accounts button[type=submit]').click();
      const refusal = page.locator('staff-accounts .error').filter({ hasText: '最后一位系统管理员' });
      await refusal.waitFor({ timeout: 20000 });
      assert.doesNotMatch(await page.locator('staff-accounts form').innerText(), /[A-Za-z]{4,} [a-z]{3,}/, 'no English sentence in the form');

      const reply = (query: string) => fetch(`${api.apiBase}/staff/requests/${encodeURIComponent(reference)}/notes${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${api.staffToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: '', visibility: 'public' }),
      }).then((r) => r.json() as Promise<{ error: { message: string; fields: Record<string, string> } }>);
      assert.deepEqual((await reply('?locale=zh-CN')).error, { code: 'validation_failed', message: '部分内容填写有误', fields: { text: '此项为必填', visibility: '请从选项中选择' } });
      const english = (await reply('')).error;
      assert.equal(english.message, 'Some fields are not valid');
      assert.match(english.fields.text!, /^Invalid length/, 'valibot’s own words without a language, as before');
    } finally {
      await page.context().close();
    }
  });

  test('the metrics name ratings by the residents’ words', async () => {
    for (const [name, viewport] of [['desktop', VIEWPORTS.desktop], ['phone', VIEWPORTS.phone]] as const) {
      const page = await signInAs(browser, demo, api, 'supervisor', { viewport, lang: 'zh-CN', errors });
      try {
        const levels = page.locator('staff-metrics table[data-table="levels"]');
        await levels.waitFor({ timeout: 20000 });
        assert.deepEqual(
          (await levels.locator('tbody th').allTextContents()).map((s) => s.trim()),
          ['非常满意（5 分）', '满意（4 分）', '基本满意（3 分）', '不满意（2 分）', '非常不满意（1 分）'],
        );
        assert.doesNotMatch(await page.locator('staff-metrics').innerText(), /星/);
        await levels.scrollIntoViewIfNeeded();
        await screenshot(page, `console-zh-metrics-${name}`);
      } finally {
        await page.context().close();
      }
    }
    assert.deepEqual(errors, []);
  });
});
