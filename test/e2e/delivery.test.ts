// Delivery into a department's own Open311 system, end to end (issue 20): the real reference
// server, a separately started GeoReport v2 server of our own (test/helpers/georeport-server.ts:
// XML only, no CORS headers, api_key required) for the sanitation department, the widget's form
// and My requests served by Vite, Debian's Chromium. The resident files a request; the reference
// server forwards it (the browser could not: the department's server sends no CORS headers); the
// department adds a comment; the reference server pulls it back; the resident reads it in My requests.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import {
  closeAll,
  launchChromium,
  screenshot,
  startDemoServer,
  startReferenceServer,
  waitFor,
  type DemoServer,
  type ReferenceServer,
  staffCall,
  VIEWPORTS,
} from '../helpers/e2e.js';
import { GeoReportServer } from '../helpers/georeport-server.js';
import { axeViolations, signInAs } from '../helpers/console-e2e.js';
import { fileRubbishComplaint, writeFormAndStatusPage } from '../helpers/resident-e2e.js';

const SITE = 'riverside/xinhua/garden';
const KEY = 'e2e-sanitation-key';
const COMMENT = 'Our crew will empty the bins on Garden Road tomorrow morning.';

interface Line { state: string; serviceRequestId: string | null; remoteStatus: string | null; attempts: number }

describe('delivery into a department’s Open311 system, end to end', () => {
  let api: ReferenceServer;
  let demo: DemoServer;
  let dept: GeoReportServer;
  let browser: Browser;
  let page: Page;
  let pagePath = '';
  let filed = '';
  const pageErrors: string[] = [];

  before(async () => {
    dept = await new GeoReportServer({ apiKey: KEY }).start();
    // Looks every 200 ms; pulls each delivered request every second (the defaults are 5 s and 10 min).
    api = await startReferenceServer({ demoAccounts: true, delivery: { tickMs: 200, pullEveryMs: 1000 } });
    // As the city file would give it (departments[].open311); the catalogue endpoints are tested in test/server/delivery.test.ts.
    await api.db.query('UPDATE departments SET open311 = $2 WHERE id = $1', ['sanitation', JSON.stringify({
      baseUrl: dept.url, apiKey: KEY, jurisdiction: 'riverside', services: { 'rubbish-collection': 'BINS' }, attributes: { bin_type: 'bin_type' },
    })]);
    demo = await startDemoServer();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: VIEWPORTS.phone });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    pagePath = await writeFormAndStatusPage(api, { name: 'delivery', title: 'Delivery e2e', site: SITE });
  });

  after(async () => {
    await closeAll();
    await dept?.stop();
  });

  test('filed in the widget, forwarded, the department’s comment pulled back and read in My requests', async () => {
    await page.goto(`${demo.url}/${pagePath}`);
    const form = page.locator('intake-form');
    await form.locator('form').waitFor({ timeout: 30000 });

    // The department's server sends no CORS headers: the page cannot reach it itself.
    const direct = await page.evaluate(async (url) => {
      try {
        await fetch(`${url}/services.xml`);
        return 'answered';
      } catch {
        return 'blocked';
      }
    }, dept.url);
    assert.equal(direct, 'blocked', 'a browser cannot call a server without CORS headers');

    const { reference } = await fileRubbishComplaint(form, {
      description: 'The bins on Garden Road have not been emptied since Monday.',
      location: '12 Garden Road',
      contact: { email: 'li.hua@example.com' },
    });
    filed = reference;

    // Forwarded by the reference server, once, in the form FixMyStreet's client posts.
    const path = `/requests/${encodeURIComponent(reference)}/delivery`;
    let line: Line | undefined;
    await waitFor(async () => {
      line = (await staffCall<{ deliveries: Line[] }>(api, 'GET', path)).deliveries[0];
      return line?.state === 'delivered';
    }, { timeout: 20000, message: 'delivered to the department’s system' });
    assert.equal(dept.posts().length, 1);
    const post = dept.posts()[0]!;
    assert.equal(post.path, '/requests.xml');
    const param = (k: string) => post.params.filter(([n]) => n === k).map(([, v]) => v);
    assert.deepEqual(param('service_code'), ['BINS']);
    assert.deepEqual(param('api_key'), [KEY]);
    assert.deepEqual(param('attribute[bin_type]'), ['household']);
    assert.ok(param('description')[0]!.includes(reference));
    const srid = line!.serviceRequestId!;
    assert.ok(dept.requests.has(srid), 'their id kept');

    // The department answers in its own system; the reference server pulls it back.
    dept.addUpdate(srid, { status: 'ACTION_SCHEDULED', description: COMMENT });
    await waitFor(async () => (await staffCall<{ deliveries: Line[] }>(api, 'GET', path)).deliveries[0]?.remoteStatus === 'action_scheduled',
      { timeout: 20000, message: 'the update pulled back' });
    assert.ok(dept.received.some((r) => r.path === '/servicerequestupdates.xml'), 'read servicerequestupdates.xml');

    await page.reload();
    const status = page.locator('intake-status');
    await status.locator(`[data-reference="${reference}"]`).click();
    await status.locator('.detail').waitFor();
    await waitFor(async () => (await status.locator('.reply-text').innerText()).includes(COMMENT), { timeout: 20000, message: 'the department’s comment in My requests' });
    const detail = await status.locator('.detail').innerText();
    const sanitation = (await api.db.query<{ names: Record<string, string> }>("SELECT names FROM departments WHERE id = 'sanitation'"))[0]!.names.en!;
    assert.ok((await status.locator('article.reply').first().innerText()).includes(sanitation), 'signed by the department');
    assert.match(detail, /action scheduled/i, 'their status on the timeline');
    await status.locator('article.reply').first().scrollIntoViewIfNeeded();
    await screenshot(page, 'delivery-my-requests');
    assert.equal(dept.posts().length, 1, 'still posted once');
    assert.deepEqual(pageErrors, []);
  });

  test('the console shows the delivery line to the office handling it, with retry now; a department without an endpoint shows none', async () => {
    assert.ok(filed, 'needs the first test');
    const errors: string[] = [];
    for (const [name, viewport] of [['desktop', VIEWPORTS.desktop], ['phone', VIEWPORTS.phone]] as const) {
      const officer = await signInAs(browser, demo, api, 'sanitation', { viewport, lang: 'zh-CN', errors });
      await officer.evaluate((hash) => (location.hash = hash), `#/request/${encodeURIComponent(filed)}`);
      const line = officer.locator('staff-delivery [data-delivery="sanitation"]');
      await line.waitFor({ timeout: 20000 });
      assert.equal(await line.getAttribute('data-state'), 'delivered');
      assert.match(await line.innerText(), /已送达/);
      assert.ok((await line.locator('[data-their-id]').innerText()).trim().length > 0, 'their id shown');
      if (name === 'desktop') {
        await officer.locator('staff-delivery [data-retry]').click();
        await waitFor(async () => /已重新推送并同步/.test(await officer.locator('staff-delivery .notice').innerText()), { timeout: 20000, message: 'retried' });
        assert.deepEqual(await axeViolations(officer), []);
      }
      await officer.locator('staff-delivery').scrollIntoViewIfNeeded();
      await screenshot(officer, `delivery-console-${name}`);
      await officer.context().close();
    }
    assert.equal(dept.posts().length, 1, 'retry now pulled again, never posted again');
    assert.deepEqual(errors, []);
  });
});
