// The widget's catalogue cache in a real browser (Debian's Chromium) against the reference server:
// the client keeps the catalogue in the browser's HTTP cache and asks again each time with
// If-None-Match (fetch cache mode `no-cache`), so an unchanged catalogue is a 304 on the wire and
// the widget still gets the whole catalogue, and a changed one (an edit in the database, no
// restart) reaches the widget at once. A recording proxy in front of the server sees each status.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { bumpVersion, writeDepartment } from '../../demo/server/catalogue/store.js';
import { closeAll, launchChromium, REPO_ROOT, startDemoServer, startReferenceServer, waitFor, type DemoServer, type ReferenceServer } from '../helpers/e2e.js';

const SITE = 'riverside/xinhua/garden';
// Served by Vite from disk (a page from page.route() may not call the loopback server).
const PAGE = `.tmp/e2e-catalogue-cache-${process.pid}.html`;

describe('widget catalogue cache (ETag)', () => {
  let api: ReferenceServer;
  let demo: DemoServer;
  let proxy: Server;
  let proxyBase = '';
  let browser: Browser;
  let page: Page;
  /** Every /catalog answer that passed the proxy: status and the If-None-Match it was asked with. */
  const seen: { status: number; ifNoneMatch: string | null }[] = [];

  before(async () => {
    api = await startReferenceServer();
    proxy = createServer((req, res) => {
      const upstream = request({ host: '127.0.0.1', port: api.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        if (req.url?.startsWith('/api/v1/catalog') && req.method === 'GET') {
          seen.push({ status: answer.statusCode ?? 0, ifNoneMatch: (req.headers['if-none-match'] as string | undefined) ?? null });
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyBase = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api/v1`;
    demo = await startDemoServer();
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(`${demo.url}/demo/index.html`);
  });

  after(async () => {
    await new Promise<void>((resolve) => proxy?.close(() => resolve()));
    await rm(`${REPO_ROOT}${PAGE}`, { force: true });
    await closeAll();
  });

  /** What the widget's client gets from `catalog()` in the page: a service's department name. */
  const widgetCatalog = () =>
    page.evaluate(async ({ endpoint, site }) => {
      const { IntakeClient } = (await import('/src/client/client.ts' as string)) as typeof import('../../src/client/client.js');
      const client = new IntakeClient({ endpoint, site, locale: 'en', dbName: `cache-${Math.random()}` });
      try {
        const catalog = await client.catalog();
        return { water: catalog.services.find((s) => s.id === 'water-outage')?.department?.name, services: catalog.services.length };
      } finally {
        client.close();
      }
    }, { endpoint: proxyBase, site: SITE });

  test('an unchanged catalogue is a 304 and the widget still has all of it; a changed one reaches it at once', async () => {
    const first = await widgetCatalog();
    assert.deepEqual(first, { water: 'District Water Authority', services: 17 });
    assert.equal(seen.at(-1)!.status, 200);
    assert.equal(seen.at(-1)!.ifNoneMatch, null);

    const again = await widgetCatalog();
    assert.deepEqual(again, first);
    assert.equal(seen.at(-1)!.status, 304, JSON.stringify(seen));
    assert.match(seen.at(-1)!.ifNoneMatch ?? '', /^"\d+-[\w-]+"$/);

    // An administrator's edit (as the catalogue API writes it): the same transaction bumps the version.
    await api.db.tx(async (q) => {
      await writeDepartment(q, { id: 'water', names: { 'zh-CN': '区水务局', en: 'Water and Drainage Authority' }, phone: '020-8123-1010' }, null);
      await bumpVersion(q);
    });
    const changed = await widgetCatalog();
    assert.deepEqual(changed, { water: 'Water and Drainage Authority', services: 17 });
    assert.equal(seen.at(-1)!.status, 200);
    assert.ok(seen.at(-1)!.ifNoneMatch, 'asked with the old ETag');

    assert.equal((await widgetCatalog()).water, 'Water and Drainage Authority');
    assert.equal(seen.at(-1)!.status, 304);
  });

  /** The form's text, once it holds `text` (its header names the site from the catalogue). */
  const formShows = (text: string) =>
    page.waitForFunction((t) => document.querySelector('intake-form')?.shadowRoot?.textContent?.replace(/\s+/g, ' ').includes(t), text, { timeout: 30000 });

  test('the form shows a renamed site after a reload, and an unchanged catalogue is a 304 behind it', async () => {
    await mkdir(`${REPO_ROOT}.tmp`, { recursive: true });
    await writeFile(`${REPO_ROOT}${PAGE}`, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Catalogue cache</title></head><body>
      <intake-form endpoint="${proxyBase}" site="${SITE}" locale="en"></intake-form>
      <script type="module">import '/src/components/form/form.ts';</script>
    </body></html>`);
    await page.goto(`${demo.url}/${PAGE}`);
    await formShows('Send a request to Garden Community');
    const before = seen.length;
    await page.reload();
    await formShows('Send a request to Garden Community');
    // The kept catalogue is shown at once; its If-None-Match check may still be on its way.
    await waitFor(() => seen.length > before, { message: 'the kept catalogue revalidated after the reload' });
    assert.ok(seen.slice(before).every((s) => s.status === 304), JSON.stringify(seen.slice(before)));

    await api.db.tx(async (q) => {
      await q.query(`UPDATE sites SET names = jsonb_set(names, '{en}', '"Garden Estate"') WHERE id = $1`, [SITE]);
      await bumpVersion(q);
    });
    const changedAt = seen.length;
    await page.reload();
    await formShows('Send a request to Garden Estate');
    assert.equal(seen[changedAt]!.status, 200);
  });
});
