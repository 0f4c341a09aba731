// The framework examples (demo/frameworks/*; docs/frameworks.md), each built with Vite against the
// package's dist/ (Angular compiled by ngc first) and driven in Chromium: an object property
// reaches the widget (its greeting), a method call opens the chat, a message sent to the
// reference server comes back to the framework as an `intake-message-sent` event, and then
// through a re-render, a language change (the app's own state → the `locale` attribute), an
// unmount and a remount: one launcher at a time, no event stream left open, and every staff
// reply arrives live.
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
const ALL_FRAMEWORKS = [
  { name: 'react', greeting: 'Hello from the React example! Ask us anything.' },
  { name: 'preact', greeting: 'Hello from the Preact example! Ask us anything.' },
  { name: 'vue', greeting: 'Hello from the Vue example! Ask us anything.' },
  { name: 'svelte', greeting: 'Hello from the Svelte example! Ask us anything.' },
  { name: 'angular', greeting: 'Hello from the Angular example! Ask us anything.' },
] as const;
// INTAKE_FRAMEWORKS=svelte,angular runs only those (while working on one); npm test runs all.
const only = process.env.INTAKE_FRAMEWORKS?.split(',');
const FRAMEWORKS = ALL_FRAMEWORKS.filter(({ name }) => !only || only.includes(name));

/**
 * Counts the page's EventSources that are still open (not closed by the widget). A string, not a
 * function: tsx's compiled functions call helpers that do not exist in the page.
 */
const COUNT_EVENT_SOURCES = `(() => {
  const open = new Set();
  const Native = window.EventSource;
  window.EventSource = class extends Native {
    constructor(url, init) { super(url, init); open.add(this); }
    close() { open.delete(this); super.close(); }
  };
  Object.defineProperty(window, '__openStreams', { get: () => [...open].filter((s) => s.readyState !== 2).length });
})();`;

describe('framework examples (React 19, Preact 11, Vue 3, Svelte 5, Angular 21)', () => {
  let out: string;
  let host: StaticServer;
  let api: ReferenceServer;
  let browser: Browser;

  before(async () => {
    assert.ok(existsSync(join(REPO_ROOT, 'dist/intake-widgets.js')), 'run `npm run build` first');
    out = mkdtempSync(join(tmpdir(), 'intake-frameworks-'));
    // ngc writes the Angular example's JavaScript here (demo/frameworks/angular/vite.config.mjs).
    process.env.INTAKE_NGC_OUT = join(out, 'angular-ngc');
    for (const { name } of FRAMEWORKS) {
      const root = join(REPO_ROOT, 'demo/frameworks', name);
      const started = Date.now();
      await build({
        configFile: join(root, 'vite.config.mjs'), root, base: './', logLevel: 'warn', cacheDir: join(out, `.vite-${name}`),
        build: { outDir: join(out, name), emptyOutDir: true },
      });
      console.log(`built the ${name} example in ${((Date.now() - started) / 1000).toFixed(1)} s`);
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
    test(`${name}: mount, open, send, re-render, change locale, unmount, remount: one launcher, no leaked stream, replies live`, async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript(COUNT_EVENT_SOURCES);
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
      const launchers = () => page.locator('intake-widget [part~="launcher"]').count();
      const openStreams = () => page.evaluate(() => (window as unknown as { __openStreams: number }).__openStreams);
      /** Waits until `count` streams are open; the message says how many were. */
      const streamsAre = async (count: number, when: string) => {
        let seen: unknown;
        await waitFor(async () => (seen = await openStreams()) === count, { timeout: 20000, message: `${name}: ${count} event stream(s) open ${when}` })
          .catch((error: Error) => assert.fail(`${error.message}; open: ${String(seen)}`));
      };
      const ask = page.getByRole('button', { name: 'Ask about rubbish collection' });

      // A method called from the framework's click handler opens the chat.
      await ask.click({ timeout: 20000 });
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

      /** A staff reply, which must appear in the open chat without anything else happening. */
      const replyArrivesLive = async (answer: string, when: string) => {
        await staff(`/conversations/${encodeURIComponent(id)}/messages`, { method: 'POST', body: JSON.stringify({ text: answer }) });
        await waitFor(async () => (await page.locator('intake-widget [part~="message-staff"] [part~="bubble"]').allTextContents()).some((t) => t.includes(answer)), {
          timeout: 20000, message: `${name}: staff answer shown live ${when}`,
        });
      };
      await replyArrivesLive(`${name}: every second Saturday, from 8 to 12.`, 'after sending');
      await streamsAre(1, 'while chatting');

      // A re-render of the app leaves the one widget as it was.
      await page.getByRole('button', { name: 'Re-render' }).click();
      await waitFor(async () => (await page.getByTestId('renders').innerText()) === '1 re-renders', { timeout: 20000, message: `${name} re-rendered` });
      assert.equal(await launchers(), 1);
      await replyArrivesLive(`${name}: bring it to the gate by 8.`, 'after a re-render');

      // The app's language changes; the widget follows, and its chat stays live.
      await page.getByRole('button', { name: 'Switch language' }).click();
      await waitFor(async () => (await page.locator('intake-widget').getAttribute('locale')) === 'zh-CN', { timeout: 20000, message: `${name} set locale="zh-CN"` });
      await page.locator('intake-widget [part~="launcher"]').getByText('咨询·求助').waitFor({ timeout: 20000 });
      await replyArrivesLive(`${name}: 大件垃圾每月第二个周六收运。`, 'after a locale change');
      assert.equal(await openStreams(), 1, `${name}: still one event stream after the locale change`);

      // Unmounted: no launcher, no stream left open.
      await page.getByRole('button', { name: 'Remove the widget' }).click();
      await waitFor(async () => (await page.locator('intake-widget').count()) === 0, { timeout: 20000, message: `${name} removed the widget` });
      await streamsAre(0, 'after unmount');

      // Remounted: one launcher again, the same conversation, replies live.
      await page.getByRole('button', { name: 'Add the widget' }).click();
      await waitFor(async () => (await launchers()) === 1, { timeout: 20000, message: `${name} remounted one launcher` });
      await ask.click();
      await box.waitFor({ state: 'visible', timeout: 20000 });
      await page.locator('intake-widget').getByText(question).waitFor({ timeout: 20000 });
      await replyArrivesLive(`${name}: and large items by appointment.`, 'after a remount');
      assert.equal(await launchers(), 1);
      assert.equal(await openStreams(), 1, `${name}: one event stream after the remount`);
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});
