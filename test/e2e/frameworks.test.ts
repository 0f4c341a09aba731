// The framework examples (demo/frameworks/react, demo/frameworks/vue; docs/frameworks.md), each
// built with Vite against the package's dist/ and mounted in Chromium: an object property reaches
// the widget (its greeting), a method call opens the chat, and a message sent to the reference
// server comes back to the framework as an `intake-message-sent` event; the reply arrives live.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { closeAll, E2E_STAFF_TOKEN, launchChromium, REPO_ROOT, startReferenceServer, waitFor, type ReferenceServer } from '../helpers/e2e.js';
import { startStaticServer, type StaticServer } from '../helpers/static-server.js';

const SITE = 'riverside/xinhua/garden';
const FRAMEWORKS = [
  { name: 'react', greeting: 'Hello from the React example! Ask us anything.' },
  { name: 'vue', greeting: 'Hello from the Vue example! Ask us anything.' },
] as const;

describe('framework examples (React 19, Vue 3)', () => {
  let out: string;
  let host: StaticServer;
  let api: ReferenceServer;
  let browser: Browser;

  before(async () => {
    assert.ok(existsSync(join(REPO_ROOT, 'dist/intake-widgets.js')), 'run `npm run build` first');
    out = mkdtempSync(join(tmpdir(), 'intake-frameworks-'));
    for (const { name } of FRAMEWORKS) {
      const root = join(REPO_ROOT, 'demo/frameworks', name);
      await build({
        configFile: join(root, 'vite.config.mjs'), root, base: './', logLevel: 'warn', cacheDir: join(out, `.vite-${name}`),
        build: { outDir: join(out, name), emptyOutDir: true },
      });
    }
    host = await startStaticServer(out);
    api = await startReferenceServer({ allowedOrigins: [host.url] });
    browser = await launchChromium();
  });
  after(async () => {
    await closeAll();
    await host?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  const staff = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${api.apiBase}/staff${path}`, { ...init, headers: { authorization: `Bearer ${E2E_STAFF_TOKEN}`, 'content-type': 'application/json' } });
    assert.ok(res.ok, `staff ${path}: ${res.status}`);
    return (await res.json()) as T;
  };

  /** The conversation holding `text`, once the reference server has it. */
  async function conversationWith(text: string): Promise<string | undefined> {
    const { items } = await staff<{ items: { id: string; item: string }[] }>('/queue?item=conversation');
    for (const item of items.filter((i) => i.item === 'conversation')) {
      const { events } = await staff<{ events: { type: string; message?: { text: string } }[] }>(`/conversations/${encodeURIComponent(item.id)}`);
      if (events.some((e) => e.type === 'message' && e.message?.text === text)) return item.id;
    }
    return undefined;
  }

  for (const { name, greeting } of FRAMEWORKS) {
    test(`${name}: properties, methods and events work; a chat message reaches the reference server`, async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        const text = message.text();
        if ((message.type() === 'error' || message.type() === 'warning') && !text.startsWith('Failed to load resource')) errors.push(`${message.type()}: ${text}`);
      });
      // Every file the page asks for must exist (the browser's own /favicon.ico aside).
      page.on('response', (response) => {
        if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) errors.push(`${response.status()} ${response.url()}`);
      });
      const query = new URLSearchParams({ endpoint: api.apiBase, site: SITE });
      await page.goto(`${host.url}/${name}/index.html?${query}`);

      // A method called from the framework's click handler opens the chat.
      await page.getByRole('button', { name: 'Ask about rubbish collection' }).click({ timeout: 20000 });
      const box = page.locator('intake-widget textarea');
      await box.waitFor({ state: 'visible', timeout: 20000 });
      // The object property (`strings`) reached the widget: the greeting is the site's own.
      await page.locator('intake-widget').getByText(greeting).waitFor({ state: 'visible', timeout: 20000 });

      const question = `${name}: when is the bulky waste collected?`;
      await box.fill(question);
      await box.press('Enter');
      // The widget's event reached the framework's handler, which re-rendered.
      await waitFor(async () => (await page.getByTestId('sent').innerText()) === '1 sent', { timeout: 20000, message: `${name} saw intake-message-sent` });
      const id = await waitFor(() => conversationWith(question), { timeout: 20000, message: 'question reached the reference server' });

      const answer = `${name}: every second Saturday, from 8 to 12.`;
      await staff(`/conversations/${encodeURIComponent(id)}/messages`, { method: 'POST', body: JSON.stringify({ text: answer }) });
      await waitFor(async () => (await page.locator('intake-widget [part~="message-staff"] [part~="bubble"]').allTextContents()).some((t) => t.includes(answer)), {
        timeout: 20000, message: 'staff answer shown live',
      });
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});
