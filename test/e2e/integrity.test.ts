// For the security review: dist/integrity.json and the content-hashed file names match the
// files; the script tag with `integrity` loads the widget and a wrong hash fails closed (no
// widget, no page error); and the widget works under the Content-Security-Policy that
// docs/self-hosting.md gives — no `unsafe-*`, connect-src naming only the API — with no violation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hashedName, sri, type Integrity } from '../../scripts/integrity.mjs';
import { closeAll, E2E_STAFF_TOKEN, launchChromium, REPO_ROOT, screenshot, startReferenceServer, waitFor, type ReferenceServer } from '../helpers/e2e.js';
import { startStaticServer, type StaticServer } from '../helpers/static-server.js';

const SITE = 'riverside/xinhua/garden';
const DIST = join(REPO_ROOT, 'dist');
const WRONG = `sha384-${Buffer.alloc(48, 7).toString('base64')}`;

/** The policy docs/self-hosting.md recommends, for files on the page's origin and this API. */
function policy(apiOrigin: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src ${apiOrigin}`,
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
    "require-trusted-types-for 'script'",
    'trusted-types lit-html',
  ].join('; ');
}

describe('integrity and CSP (docs/self-hosting.md)', () => {
  let integrity: Integrity;
  let api: ReferenceServer;
  let host: StaticServer;
  let browser: Browser;

  before(async () => {
    assert.ok(existsSync(join(DIST, 'integrity.json')), 'run `npm run build` first');
    integrity = JSON.parse(readFileSync(join(DIST, 'integrity.json'), 'utf8')) as Integrity;
    host = await startStaticServer(REPO_ROOT);
    api = await startReferenceServer({ allowedOrigins: [host.url] });
    browser = await launchChromium();
  });
  after(async () => {
    await closeAll();
    await host?.close();
  });

  test('integrity.json lists every script in dist/ with its sha384, and the hashed copies match', () => {
    assert.equal(integrity.algorithm, 'sha384');
    const scripts = readdirSync(DIST, { recursive: true })
      .map((name) => String(name).replaceAll('\\', '/'))
      .filter((name) => name.endsWith('.js') && !name.startsWith('types/') && !name.startsWith('.vite/'))
      .sort();
    assert.deepEqual(Object.keys(integrity.files).sort(), scripts);
    for (const name of scripts) assert.equal(integrity.files[name], sri(readFileSync(join(DIST, name))), `${name}: integrity`);
    assert.deepEqual(Object.keys(integrity.hashed).sort(), ['intake-widgets.iife.js', 'intake-widgets.js']);
    for (const [entry, copy] of Object.entries(integrity.hashed)) {
      const bytes = readFileSync(join(DIST, entry));
      assert.equal(copy, hashedName(entry, bytes), `${copy} is named by its content`);
      assert.ok(readFileSync(join(DIST, copy)).equals(bytes), `${copy} is a copy of ${entry}`);
      assert.equal(integrity.files[copy], integrity.files[entry]);
    }
  });

  async function newPage(): Promise<{ context: BrowserContext; page: Page; errors: string[]; violations: string[] }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    const violations: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (/Content[- ]Security[- ]Policy|Trusted Type|Refused to/i.test(message.text())) violations.push(message.text());
    });
    // Init scripts run outside the page's CSP: they only listen.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`), true);
    });
    return { context, page, errors, violations };
  }

  test('the classic script tag with its integrity attribute (hashed name) mounts the widget', async () => {
    const file = integrity.hashed['intake-widgets.iife.js']!;
    host.page('/sri-good.html', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SRI</title></head><body><h1>Host</h1>
      <script src="/dist/${file}" integrity="${integrity.files[file]}" crossorigin="anonymous"
        data-endpoint="${api.apiBase}" data-site="${SITE}" data-locale="en" async></script></body></html>`);
    const { context, page, errors } = await newPage();
    await page.goto(`${host.url}/sri-good.html`);
    await page.locator('intake-widget [part~="launcher"]').waitFor({ state: 'visible', timeout: 20000 });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the ES module with its integrity attribute (hashed name) defines the tags', async () => {
    const file = integrity.hashed['intake-widgets.js']!;
    host.page('/sri-module.html', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SRI</title></head><body>
      <script type="module" src="/dist/${file}" integrity="${integrity.files[file]}" crossorigin="anonymous"></script>
      <intake-widget endpoint="${api.apiBase}" site="${SITE}" locale="en"></intake-widget></body></html>`);
    const { context, page, errors } = await newPage();
    await page.goto(`${host.url}/sri-module.html`);
    await page.locator('intake-widget [part~="launcher"]').waitFor({ state: 'visible', timeout: 20000 });
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a wrong integrity hash fails closed: no widget, no page error, the host page intact', async () => {
    host.page('/sri-bad.html', `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SRI</title></head><body><h1>Host</h1>
      <script src="/dist/intake-widgets.iife.js" integrity="${WRONG}" crossorigin="anonymous"
        data-endpoint="${api.apiBase}" data-site="${SITE}" data-locale="en" async></script>
      <script type="module" src="/dist/intake-widgets.js" integrity="${WRONG}" crossorigin="anonymous"></script>
      <intake-widget endpoint="${api.apiBase}" site="${SITE}" locale="en"></intake-widget></body></html>`);
    const { context, page, errors } = await newPage();
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/integrity/i.test(message.text())) blocked.push(message.text());
    });
    await page.goto(`${host.url}/sri-bad.html`, { waitUntil: 'load' });
    // Chromium reports each refused script on the console; wait for both.
    await waitFor(() => blocked.length >= 2, { message: 'both scripts refused for their integrity', timeout: 20000 });
    const state = await page.evaluate(() => ({
      defined: customElements.get('intake-widget') !== undefined,
      mounted: document.querySelectorAll('intake-widget').length,
      upgraded: !!document.querySelector('intake-widget')?.shadowRoot,
      api: 'IntakeWidgets' in window && typeof (window as unknown as { IntakeWidgets: { open?: unknown } }).IntakeWidgets.open === 'function',
      heading: document.querySelector('h1')?.textContent,
    }));
    assert.deepEqual(state, { defined: false, mounted: 1, upgraded: false, api: false, heading: 'Host' });
    assert.deepEqual(errors, []);
    await context.close();
  });

  /**
   * A page pinning the classic loader; `tamper` (a chunk's file name start) is served with a line
   * more. Returns the function that serves the chunk as built again.
   */
  function pinnedPage(path: string, tamper?: string): () => void {
    const file = integrity.hashed['intake-widgets.iife.js']!;
    let restore = () => {};
    if (tamper) {
      const chunk = Object.keys(integrity.files).find((name) => name.startsWith(`chunks/${tamper}-`))!;
      assert.ok(chunk, `no chunk ${tamper}`);
      const built = readFileSync(join(DIST, chunk), 'utf8');
      host.page(`/dist/${chunk}`, `${built}\nconsole.log("tampered ${tamper} ran");`, { 'content-type': 'text/javascript' });
      restore = () => host.page(`/dist/${chunk}`, built, { 'content-type': 'text/javascript' });
    }
    host.page(path, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SRI</title></head><body><h1>Host</h1>
      <script src="/dist/${file}" integrity="${integrity.files[file]}" crossorigin="anonymous"
        data-endpoint="${api.apiBase}" data-site="${SITE}" data-locale="en" data-phone="020-8123-4511" async></script></body></html>`);
    return restore;
  }
  const chunkOf = (url: string) => /\/dist\/chunks\/([\w-]+?)-[\w-]{8}\.js$/.exec(new URL(url).pathname)?.[1];

  test('the classic tag is a loader: before intent only the embed API (config chunk) and the launcher, on intent the table of hashes, the panel and one locale, each fetched once', async () => {
    pinnedPage('/sri-pieces.html');
    const { context, page, errors } = await newPage();
    const requested: string[] = [];
    page.on('request', (request) => {
      const name = chunkOf(request.url());
      if (name) requested.push(name);
    });
    await page.goto(`${host.url}/sri-pieces.html`);
    await page.locator('intake-widget [part~="launcher"]').waitFor({ state: 'visible', timeout: 20000 });
    assert.deepEqual([...requested].sort(), ['config', 'launcher'], 'the embed API (in the config chunk), the launcher, nothing else');
    await page.locator('intake-widget [part~="launcher"]').click();
    await page.locator('intake-widget textarea').waitFor({ state: 'visible', timeout: 20000 });
    // pieces: the table of the hashes of every chunk not loaded before intent (the loader carries only its hash).
    for (const name of ['config', 'en', 'launcher', 'panel', 'pieces', 'shared']) assert.ok(requested.includes(name), `${name} loaded: ${requested.join(', ')}`);
    assert.equal(new Set(requested).size, requested.length, `nothing twice: ${requested.join(', ')}`);
    assert.ok(!requested.some((name) => /^(zh-CN|zh-HK|ug|open311.*|ask|views|form|status)$/.test(name)), `no other locale, no Open311 adapter, no view not opened: ${requested.join(', ')}`);
    const links = await page.evaluate(() => [...document.querySelectorAll<HTMLLinkElement>('link[rel=modulepreload]')].map((l) => [l.getAttribute('href'), l.integrity]));
    for (const [href, hash] of links) assert.equal(hash, integrity.files[new URL(href!).pathname.replace('/dist/', '')], `${href} preloaded with its hash`);
    assert.deepEqual(errors, []);
    await context.close();
  });

  for (const [piece, when] of [['launcher', 'before intent'], ['panel', 'on intent'], ['pieces', 'on intent (the table of the other chunks\' hashes)'], ['en', 'on intent (the locale)']] as const) {
    test(`a tampered ${piece} chunk (${when}) fails closed: refused with a console error naming it, none of it runs`, async (t) => {
      t.after(pinnedPage(`/sri-tampered-${piece}.html`, piece));
      const { context, page, errors } = await newPage();
      const logged: string[] = [];
      page.on('console', (message) => logged.push(message.text()));
      await page.goto(`${host.url}/sri-tampered-${piece}.html`);
      if (piece !== 'launcher') {
        await page.locator('intake-widget [part~="launcher"]').click({ timeout: 20000 });
      }
      await waitFor(() => logged.some((t) => t.includes('[intake-widgets] refused') && t.includes(`/chunks/${piece}-`)), {
        timeout: 20000, message: `the console names the refused ${piece} chunk`,
      });
      assert.ok(!logged.some((t) => t.includes('tampered')), 'the tampered code did not run');
      const state = await page.evaluate(() => ({
        mounted: document.querySelectorAll('intake-widget').length,
        panel: !!document.querySelector('intake-widget')?.shadowRoot?.querySelector('[part~="panel"] textarea'),
        heading: document.querySelector('h1')?.textContent,
      }));
      assert.deepEqual(state, { mounted: piece === 'launcher' ? 0 : 1, panel: false, heading: 'Host' });
      if (piece === 'panel' || piece === 'pieces') {
        // Instead of a panel that never comes: a note beside the launcher with the site's number.
        const note = page.locator('intake-widget [part~="unavailable"]');
        await note.waitFor({ state: 'visible', timeout: 20000 });
        assert.match(await note.innerText(), /cannot open right now[\s\S]*Or call 020-8123-4511/);
        assert.equal(await note.getAttribute('role'), 'alert');
        assert.equal(await page.locator('intake-widget [part~="unavailable-phone"]').getAttribute('href'), 'tel:02081234511');
        if (piece === 'panel') await screenshot(page, 'integrity-panel-refused-phone');
        await page.locator('intake-widget [part~="launcher"]').click();
        await note.waitFor({ state: 'detached', timeout: 20000 });
      }
      assert.deepEqual(errors, []);
      await context.close();
    });
  }

  for (const build of ['iife', 'es'] as const) {
    test(`under the self-hosting CSP the ${build} build chats with the API (SSE included) with no violation`, async () => {
      const apiOrigin = new URL(api.apiBase).origin;
      const file = integrity.hashed[build === 'iife' ? 'intake-widgets.iife.js' : 'intake-widgets.js']!;
      const script = build === 'iife'
        ? `<script src="/dist/${file}" integrity="${integrity.files[file]}" crossorigin="anonymous" data-endpoint="${api.apiBase}" data-site="${SITE}" data-locale="en" async></script>`
        : `<script type="module" src="/dist/${file}" integrity="${integrity.files[file]}" crossorigin="anonymous"></script>
           <intake-widget endpoint="${api.apiBase}" site="${SITE}" locale="en"></intake-widget>`;
      host.page(`/csp-${build}.html`, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CSP</title></head>
        <body><h1>Strict CSP</h1>${script}</body></html>`, { 'content-security-policy': policy(apiOrigin) });
      const { context, page, errors, violations } = await newPage();
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      await page.goto(`${host.url}/csp-${build}.html`);
      await page.locator('intake-widget [part~="launcher"]').click({ timeout: 20000 });
      const box = page.locator('intake-widget textarea');
      await box.waitFor({ state: 'visible', timeout: 20000 });
      const question = `CSP check ${build}: when is bulky waste collected?`;
      await box.fill(question);
      await box.press('Enter');

      // The dispatcher answers; the answer arrives over the event stream.
      const staff = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
        const res = await fetch(`${api.apiBase}/staff${path}`, { ...init, headers: { authorization: `Bearer ${E2E_STAFF_TOKEN}`, 'content-type': 'application/json' } });
        assert.ok(res.ok, `staff ${path}: ${res.status}`);
        return (await res.json()) as T;
      };
      const id = await waitFor(async () => {
        const { items } = await staff<{ items: { id: string; preview?: string; item: string }[] }>('/queue?item=conversation');
        for (const item of items.filter((i) => i.item === 'conversation')) {
          const { events } = await staff<{ events: { type: string; message?: { text: string } }[] }>(`/conversations/${encodeURIComponent(item.id)}`);
          if (events.some((e) => e.message?.text === question)) return item.id;
        }
        return undefined;
      }, { timeout: 20000, message: 'question reached the staff' });
      const answer = `Answer for ${build}: every second Saturday.`;
      await staff(`/conversations/${encodeURIComponent(id)}/messages`, { method: 'POST', body: JSON.stringify({ text: answer }) });
      await waitFor(async () => (await page.locator('intake-widget [part~="message-staff"] [part~="bubble"]').allTextContents()).some((t) => t.includes(answer)), {
        timeout: 20000, message: 'staff answer shown live',
      });
      assert.ok(requested.some((url) => /\/conversations\/[^/]+\/events/.test(url)), 'the chat opened the event stream (SSE)');
      // The other views load and render under the same policy.
      const tabs = page.locator('intake-widget [part~="tab"]');
      assert.equal(await tabs.count(), 3);
      await tabs.nth(1).click();
      await page.locator('intake-widget intake-form [part~="field"]').first().waitFor({ state: 'visible', timeout: 20000 });
      await tabs.nth(2).click();
      await page.locator('intake-widget intake-status [part~="field"]').first().waitFor({ state: 'visible', timeout: 20000 });
      const reported = await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
      assert.deepEqual([...reported, ...violations], [], 'no CSP violation');
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});
