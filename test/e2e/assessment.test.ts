// The month's assessment against the real server, driven through the real endpoints (not events
// written by hand): two complaints filed by residents and routed by the catalogue to sanitation
// (dispatched, deadlines set), one replied by the sanitation officer, the other moved by the
// dispatcher to market regulation (改派) — GET /staff/assessment counts the transfer for both
// offices and the reply on time; then the supervisor's console page in Chromium shows the league
// table and its charts, sorts, downloads the CSV through the session; axe-clean; phone and desktop
// screenshots (test-results/screenshots/assessment-*.png).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { ManualClock } from '../../demo/server/loop/clock.js';
import type { AssessmentResponse } from '../../demo/server/loop/assessment-api.js';
import { closeAll, launchChromium, screenshot, startDemoServer, startReferenceServer, VIEWPORTS, type DemoServer, type ReferenceServer } from '../helpers/e2e.js';
import { apiCall, axeViolations, signInAs } from '../helpers/console-e2e.js';

const GARDEN = 'riverside/xinhua/garden';

describe('assessment end to end', () => {
  let api: ReferenceServer;
  let demo: DemoServer;
  let browser: Browser;
  const errors: string[] = [];
  const clock = new ManualClock(Date.parse('2026-12-02T02:00:00.000Z'));
  const token: Record<string, string> = {};

  const file = (description: string) =>
    apiCall<{ id: string; reference: string }>(api, 'POST', '/requests', {
      site: GARDEN, service: 'noise', type: 'complaint', description,
      fields: { source: 'construction', occurred_at: '2026-12-01T23:00', location: { address: '新华路12号' } },
      contact: { name: '王女士', phone: '13800000000', preferred: 'phone' },
      consent: { version: '2026-01', given: true }, locale: 'zh-CN',
    });
  const as = (who: string) => ({ authorization: `Bearer ${token[who]}` });

  before(async () => {
    api = await startReferenceServer({ demoAccounts: true, clock });
    demo = await startDemoServer();
    browser = await launchChromium();
    for (const login of ['dispatcher', 'sanitation', 'supervisor']) {
      token[login] = (await apiCall<{ token: string }>(api, 'POST', '/staff/session', { login, password: `demo-${login}` })).token;
    }
  });
  after(async () => {
    await browser?.close();
    await closeAll();
    assert.deepEqual(errors, [], 'no page errors');
  });

  test('figures from the real loop endpoints, then the supervisor’s page', async () => {
    const replied = await file('工地夜里施工 assessment-1');
    const moved = await file('饭店油烟扰民 assessment-2');
    clock.advance(3600_000);
    await apiCall(api, 'POST', `/staff/requests/${replied.reference}/reply`, { text: '已联系施工单位，今晚起停止夜间施工。' }, as('sanitation'));
    await apiCall(api, 'POST', `/staff/requests/${moved.reference}/route`, { department: 'market-regulation', note: '餐饮油烟归市场监管' }, as('dispatcher'));

    const a = await apiCall<AssessmentResponse>(api, 'GET', '/staff/assessment?month=2026-12', undefined, as('supervisor'));
    const san = a.offices.find((o) => o.office.id === 'sanitation')!;
    const mkt = a.offices.find((o) => o.office.id === 'market-regulation')!;
    assert.equal(san.received, 2, 'both came to sanitation by the catalogue’s routing');
    assert.equal(san.transferredAway, 1, 'one moved away by the dispatcher');
    assert.equal(san.replied.onTime, 1, 'the reply within its reply-by');
    assert.equal(mkt.received, 1);
    assert.equal(mkt.byTransfer, 1);
    assert.equal(a.totals.items, 2);

    for (const [name, viewport] of Object.entries(VIEWPORTS)) {
      const page: Page = await signInAs(browser, demo, api, 'supervisor', { viewport, lang: name === 'phone' ? 'zh-CN' : 'en', errors });
      await page.evaluate(() => { location.hash = '#/assessment/?month=2026-12'; });
      const table = page.locator('staff-assessment table[data-table="league"]');
      await table.waitFor({ timeout: 30000 });
      assert.equal(await page.locator('staff-assessment tr[data-office="sanitation"] [data-cell="received"]').first().textContent(), '2');
      await page.waitForFunction(() => {
        const root = document.querySelector('staff-console')?.shadowRoot?.querySelector('staff-assessment')?.shadowRoot
          ?? document.querySelector('staff-assessment')?.shadowRoot;
        const canvas = root?.querySelector<HTMLCanvasElement>('#score-chart');
        return !!canvas && canvas.style.display === 'block';
      }, undefined, { timeout: 30000 });
      assert.deepEqual(await axeViolations(page), [], `axe at ${name}`);
      await screenshot(page, `assessment-${name}`, true);
      if (name === 'desktop') {
        await page.locator('staff-assessment th[data-col="received"] button').click();
        await page.waitForFunction(() => location.hash.includes('sort=received'));
        const download = page.waitForEvent('download');
        await page.locator('staff-assessment #download').click();
        const file = await download;
        assert.equal(file.suggestedFilename(), 'assessment-2026-12.csv');
        const path = await file.path();
        const { readFile } = await import('node:fs/promises');
        const bytes = await readFile(path);
        assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
        assert.match(bytes.toString('utf8'), /Office id,Office,Score,Received/);
      }
      await page.context().close();
    }
    const log = await apiCall<{ entries: { action: string; target: { kind: string } | null }[] }>(api, 'GET', '/staff/audit?action=export', undefined, as('supervisor'));
    assert.ok(log.entries.some((e) => e.target?.kind === 'assessment'), 'the download is in the audit log');
  });
});
