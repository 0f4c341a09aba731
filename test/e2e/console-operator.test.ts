// The operator's work on a request in the console, end to end: real reference server, the console
// served by Vite, Debian's Chromium. Claim, internal and resident notes (the resident's API never
// shows the internal one), a signed reply, form values in words, attachments fetched with the
// session (an image preview and a PDF as blob: URLs, a download), the contact on demand; axe on
// the view at desktop and phone sizes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { closeAll, launchChromium, PNG_1PX, screenshot, startDemoServer, startReferenceServer, VIEWPORTS, type DemoServer, type ReferenceServer } from '../helpers/e2e.js';

const SITE = 'riverside/xinhua/garden';
const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));

describe('console: the operator works on a request', () => {
  let api: ReferenceServer;
  let demo: DemoServer;
  let browser: Browser;
  let page: Page;
  let reference = '';
  let accessToken = '';
  const pageErrors: string[] = [];

  async function upload(bytes: Uint8Array, name: string, type: string): Promise<string> {
    const form = new FormData();
    form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), name);
    const res = await fetch(`${api.apiBase}/attachments?site=${encodeURIComponent(SITE)}`, { method: 'POST', body: form });
    assert.equal(res.status, 201);
    return ((await res.json()) as { id: string }).id;
  }
  const residentView = async () =>
    (await fetch(`${api.apiBase}/requests/${reference}`, { headers: { authorization: `Bearer ${accessToken}` } })).text();

  async function axe(target: Page): Promise<string[]> {
    if (!(await target.evaluate(() => 'axe' in window))) await target.addScriptTag({ path: AXE });
    return target.evaluate(async () => {
      const run = (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
      const result = await run.run({ include: [['staff-console', 'staff-request']] }, { resultTypes: ['violations'] });
      return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(' ')}`);
    });
  }

  before(async () => {
    api = await startReferenceServer();
    demo = await startDemoServer();
    browser = await launchChromium();
    const png = await upload(new Uint8Array(PNG_1PX), 'site-photo.png', 'image/png');
    const pdf = await upload(new TextEncoder().encode('%PDF-1.4\n% e2e\n'), 'noise-report.pdf', 'application/pdf');
    const res = await fetch(`${api.apiBase}/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({
        site: SITE, service: 'noise', type: 'complaint', description: 'Building work after 23:00 every night.',
        fields: { source: 'construction', occurred_at: '2026-11-27T23:00', when: ['night'], location: { address: '新华路12号', lat: 23.1291, lng: 113.2644 } },
        contact: { name: '王女士', phone: '13800000000', preferred: 'phone' }, consent: { version: '2026-01', given: true },
        locale: 'zh-CN', attachments: [png, pdf],
      }),
    });
    assert.equal(res.status, 201);
    ({ reference, accessToken } = (await res.json()) as { reference: string; accessToken: string });
    page = await browser.newPage({ viewport: VIEWPORTS.desktop, acceptDownloads: true });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${demo.url}/demo/console/?lang=en&api=${encodeURIComponent(api.apiBase)}&token=${encodeURIComponent(api.staffToken)}#/request/${reference}`);
    await page.locator('staff-request h2').filter({ hasText: reference }).waitFor({ timeout: 30000 });
  });
  after(async () => {
    await closeAll();
  });

  test('form values in words, an image preview through the session, a PDF opened and a file downloaded as blobs', async () => {
    const source = page.locator('staff-request [data-field="source"]');
    assert.match((await source.textContent()) ?? '', /Building work[\s\S]*建筑施工/, 'the label in the console language and as the resident chose it');
    assert.match((await page.locator('staff-request [data-field="location"]').textContent()) ?? '', /新华路12号/);
    assert.match((await page.locator('staff-request [data-field="location"] a').getAttribute('href')) ?? '', /openstreetmap\.org\/\?mlat=23\.1291/);
    const img = page.locator('staff-request [data-attachment] img');
    await img.waitFor();
    assert.match((await img.getAttribute('src')) ?? '', /^blob:/, 'never a public URL');
    const popup = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Open noise-report.pdf' }).click();
    assert.match((await popup).url(), /^blob:/);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download noise-report.pdf' }).click();
    assert.equal((await download).suggestedFilename(), 'noise-report.pdf');
  });

  test('claim, an internal note the resident never sees, a resident note they do, a signed reply', async () => {
    await page.getByRole('button', { name: 'Claim', exact: true }).click();
    await page.locator('staff-request [data-assignee]:not([data-assignee=""])').waitFor();
    await page.locator('#note-text').fill('Internal: the site is a district project');
    await page.getByRole('button', { name: 'Save note' }).click();
    await page.locator('staff-request [data-note="internal"]').filter({ hasText: 'district project' }).waitFor();
    await page.locator('#note-text').fill('We called the builder: no work after 22:00 from tonight');
    await page.getByLabel('The resident too (shown in the progress)').check();
    await page.getByRole('button', { name: 'Save note' }).click();
    await page.locator('staff-request [data-note="resident"]').waitFor();
    const seen = await residentView();
    assert.ok(!seen.includes('district project'), 'the internal note is not in the resident answer');
    assert.ok(seen.includes('no work after 22:00'), 'the resident note is');

    const hint = page.locator('staff-request [data-signature]');
    await hint.filter({ hasText: ' · ' }).waitFor();
    await page.locator('#reply-text').fill('The builder stops at 22:00 from today.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.locator('staff-request [data-reply]').filter({ hasText: 'stops at 22:00' }).waitFor();
    const detail = JSON.parse(await residentView()) as { replies: { signature?: string }[] };
    assert.match(detail.replies[0]?.signature ?? '', / · /, 'the resident sees the reply signed');
  });

  test('the contact on demand; the audit log has every step', async () => {
    await page.getByRole('button', { name: 'Show contact' }).click();
    await page.locator('staff-request [data-contact]').filter({ hasText: '13800000000' }).waitFor();
    // The shared token is a dispatcher (no audit reading): the log as the database has it.
    const rows = await api.db.query<{ action: string }>('SELECT action FROM audit_log WHERE target_id = $1 ORDER BY seq', [reference]);
    const actions = rows.map((r) => r.action);
    for (const action of ['attachment_view', 'claim', 'note', 'reply', 'contact_view']) assert.ok(actions.includes(action), `${action} in ${actions}`);
  });

  test('axe-clean at desktop and phone sizes; no page errors', async () => {
    assert.deepEqual(await axe(page), []);
    await screenshot(page, 'console-operator-desktop');
    await page.setViewportSize(VIEWPORTS.phone);
    await page.locator('staff-request h2').waitFor();
    assert.deepEqual(await axe(page), []);
    await screenshot(page, 'console-operator-phone');
    assert.deepEqual(pageErrors, []);
  });
});
