// The catalogue editor end to end: the real reference server (in-memory database) with a first
// administrator, the console's catalogue view served by Vite, Debian's Chromium. An administrator
// renames a service and adds a field (the resident catalogue follows at once), is told at the
// field what the server refuses, routes a service for one community, publishes a new privacy
// version, exports the file and imports it back after a dry run; axe-clean on a desktop and a phone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { Catalog } from '../../src/client/protocol.js';
import type { CatalogueFile } from '../../demo/server/catalogue/catalogue-file.js';
import { closeAll, launchChromium, screenshot, startDemoServer, startReferenceServer, waitFor, type DemoServer, type ReferenceServer } from '../helpers/e2e.js';

const SITE = 'riverside/xinhua/garden';
const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
const ADMIN = { login: 'city-admin', password: 'a long admin password 2026', displayName: '孙丽' };

describe('catalogue editor (console)', () => {
  let api: ReferenceServer;
  let demo: DemoServer;
  let browser: Browser;
  let page: Page;
  let token = '';
  const pageErrors: string[] = [];
  const dialogs: string[] = [];

  async function staff<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${api.apiBase}/staff${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${path} → ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  const residentCatalog = async (locale = 'zh-CN') => (await (await fetch(`${api.apiBase}/catalog?site=${encodeURIComponent(SITE)}&locale=${locale}`)).json()) as Catalog;

  async function axeViolations(target: Page): Promise<string[]> {
    if (!(await target.evaluate(() => 'axe' in window))) await target.addScriptTag({ path: AXE });
    return target.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
      const result = await axe.run(document);
      return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
    });
  }

  /** The catalogue view on its own page, signed in as the administrator (as the console mounts it). */
  async function openCatalogue(target: Page, hash: string) {
    await target.goto(`${demo.url}/demo/console/index.html?lang=zh-CN${hash}`);
    await target.evaluate(async ({ apiBase, token }) => {
      const { StaffClient } = (await import('/demo/console/staff-client.ts' as string)) as typeof import('../../demo/console/staff-client.js');
      await import('/demo/console/staff-catalogue.ts' as string);
      const el = document.createElement('staff-catalogue') as HTMLElement & { client: unknown };
      el.client = new StaffClient(apiBase, token, 'zh-CN');
      // Inside the console's own <main> with its <h1>, as console-app.ts shows it.
      const main = document.createElement('main');
      const h1 = document.createElement('h1');
      h1.textContent = document.title;
      main.append(h1, el);
      document.body.replaceChildren(main);
    }, { apiBase: api.apiBase, token });
    await target.locator('staff-catalogue nav').waitFor({ timeout: 20000 });
  }

  before(async () => {
    api = await startReferenceServer({ firstAdmin: ADMIN });
    const signedIn = await fetch(`${api.apiBase}/staff/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: ADMIN.login, password: ADMIN.password }),
    });
    assert.equal(signedIn.status, 201, await signedIn.clone().text());
    token = ((await signedIn.json()) as { token: string }).token;
    demo = await startDemoServer();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
  });

  after(async () => {
    await closeAll();
  });

  test('the site tree, then a service renamed with a new field: the resident catalogue follows at once', async () => {
    await openCatalogue(page, '#/catalogue/sites');
    const names = await page.locator('staff-catalogue .list li .name').allInnerTexts();
    assert.deepEqual(names.map((n) => n.replace('└', '').trim()), ['河畔区', '新华街道', '花园社区', '车站社区', '和平街道', '湖畔社区']);
    assert.deepEqual(await axeViolations(page), [], 'site list');
    await screenshot(page, 'catalogue-sites-1280');

    await page.locator('staff-catalogue nav a', { hasText: '诉求事项' }).click();
    await page.locator('staff-catalogue .list a', { hasText: '噪音扰民' }).click();
    await page.locator('#entry-heading', { hasText: '噪音扰民' }).waitFor();
    await page.locator('#in-names_zh-CN').fill('噪音扰民（含夜间施工）');
    await page.getByRole('button', { name: '添加字段' }).click();
    const fields = (await staff<CatalogueFile>('GET', '/catalogue')).services.find((s) => s.id === 'noise')!.fields.length;
    await page.locator(`#in-fields_${fields}__labels_zh-CN`).fill('楼栋号');
    await page.locator(`#in-fields_${fields}__id`).fill('building');
    assert.deepEqual(await axeViolations(page), [], 'service form');
    await screenshot(page, 'catalogue-service-1280', true);
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.locator('staff-catalogue .notice', { hasText: '已保存' }).waitFor();
    const noise = (await residentCatalog()).services.find((s) => s.id === 'noise')!;
    assert.equal(noise.name, '噪音扰民（含夜间施工）');
    assert.equal(noise.fields.at(-1)!.label, '楼栋号');
  });

  test('what the server refuses is shown at the field, and nothing typed is lost', async () => {
    const n = (await staff<CatalogueFile>('GET', '/catalogue')).services.find((s) => s.id === 'noise')!.fields.length - 1;
    await page.locator(`#in-fields_${n}__id`).fill('Building No');
    await page.locator('#in-names_en').fill('Noise (also night work)');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.locator('#error-summary').waitFor();
    assert.equal(await page.locator(`#in-fields_${n}__id`).getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator(`#err-fields_${n}__id`).innerText(), /“Building No”不是有效的字段编号/);
    assert.equal(await page.locator('#in-names_en').inputValue(), 'Noise (also night work)');
    await screenshot(page, 'catalogue-service-error-1280');
    assert.deepEqual(await axeViolations(page), [], 'service form with an error');
    await page.locator(`#in-fields_${n}__id`).fill('building_no');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.locator('staff-catalogue .notice', { hasText: '已保存' }).waitFor();
    assert.equal((await residentCatalog('en')).services.find((s) => s.id === 'noise')!.name, 'Noise (also night work)');
  });

  test('routing: the garden community gets its own department for noise', async () => {
    await page.locator('staff-catalogue nav a', { hasText: '派单规则' }).click();
    await page.locator('staff-catalogue .list a', { hasText: '噪音扰民' }).click();
    const garden = page.locator(`tr[data-site="${SITE}"] select`);
    await garden.waitFor();
    assert.match(await garden.locator('option:checked').innerText(), /沿用默认/);
    await garden.selectOption('xinhua-office');
    assert.deepEqual(await axeViolations(page), [], 'routing table');
    await screenshot(page, 'catalogue-routes-1280');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.locator('staff-catalogue .notice', { hasText: '已保存' }).waitFor();
    const routes = (await staff<CatalogueFile>('GET', '/catalogue')).routes;
    assert.ok(routes.some((r) => r.service === 'noise' && r.site === SITE && r.department === 'xinhua-office'));
    assert.equal((await residentCatalog()).services.find((s) => s.id === 'noise')!.department?.id, 'xinhua-office');
  });

  test('a new privacy version warns first, then residents are asked to agree again', async () => {
    const before = (await residentCatalog()).consent.version;
    await page.locator('staff-catalogue nav a', { hasText: '隐私告知' }).click();
    await page.locator('#in-version').fill('2027-01');
    await page.locator('staff-catalogue .warn', { hasText: '重新阅读并同意' }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'privacy');
    await screenshot(page, 'catalogue-privacy-1280');
    await page.getByRole('button', { name: '发布' }).click();
    await page.locator('staff-catalogue .notice', { hasText: '2027-01' }).waitFor();
    assert.ok(dialogs.some((d) => d.includes('2027-01')), 'asked before publishing');
    const after = (await residentCatalog()).consent.version;
    assert.notEqual(after, before);
    assert.equal(after, '2027-01');
  });

  test('export downloads the file; import checks a broken file by line, then imports a good one', async () => {
    await page.locator('staff-catalogue nav a', { hasText: '导入导出' }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载 JSON 文件' }).click();
    const file = await download;
    assert.match(file.suggestedFilename(), /^catalogue-\d{4}-\d{2}-\d{2}\.json$/);
    const text = await readFile(await file.path(), 'utf8');
    const exported = JSON.parse(text) as CatalogueFile;
    assert.equal(exported.privacy.version, '2027-01');
    assert.ok(!file.url().includes(token), 'no token in the address');

    const broken = text.replace('"type": "location"', '"type": "dropdown"');
    // A large text: set at once (as a paste does), not typed key by key.
    const paste = (value: string) => page.locator('#import-text').evaluate((el, v) => {
      (el as HTMLTextAreaElement).value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, value);
    await paste(broken);
    await page.getByRole('button', { name: '检查文件' }).click();
    const row = page.locator('table[data-problems] tbody tr').first();
    await row.waitFor();
    assert.match(await row.innerText(), /第 \d+ 行/);
    assert.match(await row.innerText(), /fields\[\d+\]\.type/);
    assert.equal(await page.getByRole('button', { name: '确认导入' }).isDisabled(), true);
    assert.deepEqual(await axeViolations(page), [], 'import problems');
    await screenshot(page, 'catalogue-import-problems-1280', true);

    const changed = text.replace('噪音扰民（含夜间施工）', '噪音扰民');
    await paste(changed);
    await page.getByRole('button', { name: '检查文件' }).click();
    await page.locator('staff-catalogue-transfer', { hasText: '检查通过' }).waitFor();
    assert.equal((await residentCatalog()).services.find((s) => s.id === 'noise')!.name, '噪音扰民（含夜间施工）', 'a dry run changes nothing');
    await page.getByRole('button', { name: '确认导入' }).click();
    await page.locator('staff-catalogue-transfer', { hasText: '导入完成' }).waitFor();
    assert.equal((await residentCatalog()).services.find((s) => s.id === 'noise')!.name, '噪音扰民');
  });

  test('in the console: an administrator signs in and finds 目录管理; a dispatcher does not; leaving unsaved asks first', async () => {
    const signIn = async (target: Page, login: string, password: string) => {
      await target.goto(`${demo.url}/demo/console/index.html?lang=zh-CN&api=${encodeURIComponent(api.apiBase)}`);
      await target.locator('#login').fill(login);
      await target.locator('#password').fill(password);
      await target.locator('#password').press('Enter');
    };
    const admin = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    admin.on('pageerror', (e) => pageErrors.push(e.message));
    const asked: string[] = [];
    let stay = true;
    admin.on('dialog', (d) => {
      asked.push(d.message());
      void (stay ? d.dismiss() : d.accept());
    });
    await signIn(admin, ADMIN.login, ADMIN.password);
    const nav = admin.locator('header nav a', { hasText: '目录管理' });
    await nav.waitFor({ timeout: 20000 });
    await nav.click();
    await admin.locator('staff-catalogue .list a', { hasText: '河畔区' }).waitFor();
    assert.equal(await nav.getAttribute('aria-current'), 'page');
    await admin.locator('staff-catalogue .list a', { hasText: '花园社区' }).click();
    await admin.locator('#in-phone').fill('020-0000-0000');
    // The console's own nav: asked, and staying keeps the draft and the address.
    await admin.locator('header nav a[href="#/"]').click();
    await waitFor(() => asked.length === 1, { message: 'asked before leaving' });
    assert.match(admin.url(), /#\/catalogue\/sites\/riverside%2Fxinhua%2Fgarden$/);
    assert.equal(await admin.locator('#in-phone').inputValue(), '020-0000-0000');
    // The console's own header is the console's test (test/e2e/console.test.ts); here, the catalogue view.
    assert.deepEqual((await axeViolations(admin)).filter((v) => v.includes('staff-catalogue')), [], 'catalogue in the console');
    await screenshot(admin, 'catalogue-in-console-1280');
    stay = false;
    await admin.evaluate(() => (location.hash = '#/'));
    await admin.locator('staff-queue').waitFor();
    await admin.close();

    const dispatcherToken = api.staffToken;
    const dispatcher = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await dispatcher.goto(`${demo.url}/demo/console/index.html?lang=zh-CN&api=${encodeURIComponent(api.apiBase)}&token=${dispatcherToken}`);
    await dispatcher.locator('staff-queue').waitFor({ timeout: 20000 });
    assert.equal(await dispatcher.locator('header nav a', { hasText: '目录管理' }).count(), 0, 'no catalogue for a dispatcher');
    await dispatcher.close();
  });

  test('on a phone: the list, then the form, then back; nothing wider than the screen', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await openCatalogue(phone, '#/catalogue/services');
    await phone.locator('staff-catalogue .list a', { hasText: '停车与占道' }).click();
    await phone.locator('#entry-heading', { hasText: '停车与占道' }).waitFor();
    assert.equal(await phone.locator('staff-catalogue .list').isVisible(), false);
    assert.ok((await phone.evaluate(() => document.documentElement.scrollWidth)) <= 390, 'no sideways scroll');
    assert.deepEqual(await axeViolations(phone), [], 'phone form');
    await screenshot(phone, 'catalogue-service-390');
    await phone.locator('staff-catalogue .back a').click();
    await phone.locator('staff-catalogue .list').waitFor({ state: 'visible' });
    await screenshot(phone, 'catalogue-services-390');
    await phone.locator('staff-catalogue nav a', { hasText: '智能问答' }).click();
    await phone.locator('staff-catalogue .list li a').first().click();
    await phone.locator('#in-answers_zh-CN').waitFor();
    assert.deepEqual(await axeViolations(phone), [], 'phone answer form');
    await screenshot(phone, 'catalogue-answer-390', true);
    await phone.close();
    assert.deepEqual(pageErrors, []);
  });
});
