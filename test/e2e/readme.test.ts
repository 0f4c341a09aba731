// Every ```html snippet in README.md, pasted into a plain page on its own origin with the two
// example addresses replaced (the CDN by this repository's dist/, the backend by the real
// reference server): it loads without an error and does what the README says it does.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { closeAll, launchChromium, REPO_ROOT, screenshot, startReferenceServer, type ReferenceServer } from '../helpers/e2e.js';
import { startStaticServer, type StaticServer } from '../helpers/static-server.js';

const CDN = 'https://cdn.example.gov/intake-widgets/';
const BACKEND = 'https://intake.example.gov/api/v1';
const README = readFileSync(`${REPO_ROOT}README.md`, 'utf8');
const SNIPPETS = [...README.matchAll(/```html\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('README snippets pasted into a plain page', () => {
  let host: StaticServer;
  let api: ReferenceServer;
  let browser: Browser;

  before(async () => {
    host = await startStaticServer(REPO_ROOT);
    api = await startReferenceServer({ allowedOrigins: [host.url] });
    browser = await launchChromium();
  });

  after(async () => {
    await closeAll();
    await host?.close();
  });

  test('the README has the snippets this test expects', () => {
    assert.ok(SNIPPETS.length >= 6, `${SNIPPETS.length} html snippets`);
    for (const snippet of SNIPPETS) {
      assert.ok(snippet.includes(CDN), `every snippet loads the library from ${CDN}:\n${snippet}`);
      assert.ok(snippet.includes(BACKEND), `every snippet names the backend ${BACKEND}:\n${snippet}`);
    }
  });

  /** The SRI snippet's two placeholders, filled the way the README says: from dist/integrity.json. */
  function withIntegrity(snippet: string): string {
    const integrity = JSON.parse(readFileSync(`${REPO_ROOT}dist/integrity.json`, 'utf8')) as { hashed: Record<string, string>; files: Record<string, string> };
    const hashed = integrity.hashed['intake-widgets.iife.js']!;
    return snippet.replaceAll('intake-widgets.iife.<hash>.js', hashed).replaceAll('sha384-<from dist/integrity.json>', integrity.files[hashed]!);
  }

  async function paste(snippet: string, index: number): Promise<{ page: Page; errors: string[] }> {
    const body = withIntegrity(snippet).replaceAll(CDN, `${host.url}/dist/`).replaceAll(BACKEND, api.apiBase);
    host.page(`/readme-${index}.html`, `<!doctype html><html lang="en"><head><meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
      <title>README snippet ${index}</title></head><body><h1>A plain page</h1>\n${body}\n</body></html>`);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${host.url}/readme-${index}.html`);
    return { page, errors };
  }

  SNIPPETS.forEach((snippet, index) => {
    const first = snippet.split('\n').find((line) => line.trim() && !line.trim().startsWith('<script type="module"'))?.trim() ?? '';
    test(`snippet ${index + 1}: ${first.slice(0, 70)}`, async () => {
      const { page, errors } = await paste(snippet, index + 1);
      const hasWidget = snippet.includes('<intake-widget') || /intake-widgets\.iife\.(<hash>\.)?js/.test(snippet);
      try {
        if (snippet.includes('--intake-color-primary: #0b6b5d')) {
          await page.locator('intake-widget [part~="launcher"]').waitFor({ state: 'visible', timeout: 30000 });
          const colour = await page.locator('intake-widget [part~="launcher"]').evaluate((el) => getComputedStyle(el).backgroundColor);
          assert.equal(colour, 'rgb(11, 107, 93)', 'the theme tokens reach the launcher');
        }
        if (snippet.includes('id="ask-pension"')) {
          // The command queue: the page's button opens the form on a service.
          await page.waitForFunction(() => window.IntakeWidgets && !Array.isArray(window.IntakeWidgets) && window.IntakeWidgets.widget, null, { timeout: 30000 });
          await page.locator('#ask-pension').click();
          await page.locator('intake-widget intake-form').waitFor({ state: 'visible', timeout: 30000 });
          await page.locator('intake-widget intake-form input[name="kind"]').first().waitFor({ timeout: 30000 });
        } else if (snippet.includes('<intake-ask')) {
          await page.locator('intake-ask button').click({ timeout: 30000 });
          await page.locator('intake-widget intake-chat textarea').waitFor({ state: 'visible', timeout: 30000 });
        } else if (snippet.includes('<intake-form')) {
          await page.locator('intake-form input[name="kind"]').first().waitFor({ timeout: 30000 });
          await page.locator('intake-status input').first().waitFor({ timeout: 30000 });
        } else if (hasWidget) {
          await page.locator('intake-widget [part~="launcher"]').click({ timeout: 30000 });
          // The panel, with the catalogue fetched from the reference server across origins.
          await page.locator('intake-widget intake-chat textarea').waitFor({ state: 'visible', timeout: 30000 });
        }
        await screenshot(page, `readme-snippet-${index + 1}`);
        assert.deepEqual(errors, [], 'no errors on the page');
      } finally {
        await page.close();
      }
    });
  });
});
