// The two build outputs load in Chromium from a plain HTML page and define <intake-widget>.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { startStaticServer, type StaticServer } from '../helpers/static-server.js';
import { chromiumPath, chromiumArgs } from '../helpers/browsers.mjs';

describe('build outputs', () => {
  let server: StaticServer;
  let browser: Browser;

  before(async () => {
    assert.ok(existsSync('dist/intake-widgets.js'), 'run `npm run build` first');
    server = await startStaticServer('.');
    browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function load(html: string) {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    server.page('/page.html', html);
    await page.goto(`${server.url}/page.html`);
    await page.waitForFunction(() => customElements.get('intake-widget') !== undefined, null, { timeout: 15000 });
    return { page, errors };
  }

  test('the classic IIFE file mounts one <intake-widget> from its data-* attributes', async () => {
    const { page, errors } = await load(`<!doctype html><html lang="en"><body><h1>Host</h1>
      <script src="/dist/intake-widgets.iife.js" data-endpoint="http://127.0.0.1:9/api/v1"
        data-site="riverside/xinhua/garden" data-locale="en" async></script></body></html>`);
    await page.waitForFunction(() => document.querySelectorAll('intake-widget').length === 1);
    const attrs = await page.evaluate(() => {
      const el = document.querySelector('intake-widget')!;
      return { site: el.getAttribute('site'), endpoint: el.getAttribute('endpoint'), api: typeof (window as unknown as { IntakeWidgets?: { open?: unknown } }).IntakeWidgets?.open };
    });
    assert.deepEqual(attrs, { site: 'riverside/xinhua/garden', endpoint: 'http://127.0.0.1:9/api/v1', api: 'function' });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the ES module defines the tags and the element renders its launcher', async () => {
    const { page, errors } = await load(`<!doctype html><html lang="en"><body>
      <intake-widget endpoint="http://127.0.0.1:9/api/v1" site="riverside/xinhua"></intake-widget>
      <script type="module" src="/dist/intake-widgets.js"></script></body></html>`);
    await page.waitForFunction(() => !!document.querySelector('intake-widget')?.shadowRoot?.querySelector('[part~="launcher"]'));
    assert.deepEqual(errors, []);
    await page.close();
  });

  /** The names a page's window gains from `body` (a script tag and a widget), against a blank page. */
  async function addedGlobals(body: string, ready: string): Promise<string[]> {
    const names = async (html: string, until: string) => {
      const page = await browser.newPage();
      server.page('/globals.html', html);
      await page.goto(`${server.url}/globals.html`);
      await page.waitForFunction(until, null, { timeout: 15000 });
      // Opening the panel loads the rest (views, client, Lit, translations): their globals count too.
      const list = await page.evaluate(() => Object.getOwnPropertyNames(window));
      await page.close();
      return list;
    };
    const blank = new Set(await names('<!doctype html><html lang="en"><body><h1>Host</h1></body></html>', 'document.readyState === "complete"'));
    return (await names(`<!doctype html><html lang="en"><body><h1>Host</h1>${body}</body></html>`, ready)).filter((name) => !blank.has(name)).sort();
  }
  // Synchronous on purpose: waitForFunction would take a returned promise itself as truthy.
  const OPENED = `(() => { const w = document.querySelector('intake-widget'); if (!w || !customElements.get('intake-widget')) return false;
    if (!w.isOpen) void w.open(); return !!w.shadowRoot.querySelector('[part~="panel"]') && !!customElements.get('intake-chat'); })()`;

  test('the classic script adds one global, IntakeWidgets, even with the panel open', async () => {
    const added = await addedGlobals(`<script src="/dist/intake-widgets.iife.js" data-endpoint="http://127.0.0.1:9/api/v1"
      data-site="riverside/xinhua/garden" data-locale="en" async></script>`, OPENED);
    assert.deepEqual(added, ['IntakeWidgets']);
  });

  test('the ES module adds no global, even with the panel open', async () => {
    const added = await addedGlobals(`<intake-widget endpoint="http://127.0.0.1:9/api/v1" site="riverside/xinhua"></intake-widget>
      <script type="module" src="/dist/intake-widgets.js"></script>`, OPENED);
    assert.deepEqual(added, []);
  });

  test('both builds are minified', async () => {
    const { readFile, readdir } = await import('node:fs/promises');
    const chunks = (await readdir('dist/chunks')).filter((f) => f.endsWith('.js')).map((f) => `dist/chunks/${f}`);
    for (const file of ['dist/intake-widgets.js', 'dist/intake-widgets.iife.js', ...chunks]) {
      const text = await readFile(file, 'utf8');
      // CSS and HTML templates keep their line breaks; indented statements mean unminified code.
      const statements = text.match(/^[ \t]+(return |const |let |if \(|function )/gm)?.length ?? 0;
      assert.equal(statements, 0, `${file} has ${statements} indented statements: not minified`);
      assert.ok(!text.includes('/**'), `${file} keeps doc comments: not minified`);
    }
  });
});
