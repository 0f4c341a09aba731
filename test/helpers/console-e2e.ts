/**
 * The staff console in end-to-end tests (test/e2e/intake-centre.test.ts, console-a11y.test.ts):
 * its address, signing in as a demo account through the sign-in form in a browser context of its
 * own, axe over a page, and plain calls to the reference server as the widget or a token makes them.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { VIEWPORTS, type DemoServer, type ReferenceServer } from './e2e.js';

export const AXE_PATH = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));

export type ConsoleLang = 'zh-CN' | 'en';
export type Viewport = { width: number; height: number };

/** The console's address for this run's servers; `hash` like `#/audit`. */
export function consoleUrl(demo: DemoServer, api: ReferenceServer, { lang, hash = '', query = '' }: { lang?: ConsoleLang; hash?: string; query?: string } = {}): string {
  return `${demo.url}/demo/console/?api=${encodeURIComponent(api.apiBase)}${lang ? `&lang=${lang}` : ''}${query}${hash}`;
}

/**
 * A demo account (password `demo-<login>`) signed in through the console's sign-in form, in its own
 * browser context (its own session storage, as a second person at another desk); page errors go to `errors`.
 */
export async function signInAs(
  browser: Browser,
  demo: DemoServer,
  api: ReferenceServer,
  login: string,
  { viewport = VIEWPORTS.desktop, lang, errors, initScript }: { viewport?: Viewport; lang?: ConsoleLang; errors?: string[]; initScript?: string } = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  page.on('pageerror', (e) => errors?.push(`${login}: ${e.message}`));
  await page.goto(consoleUrl(demo, api, { lang }));
  await page.locator('#login').fill(login);
  await page.locator('#password').fill(`demo-${login}`);
  await page.locator('main.signin button[type=submit]').first().click();
  await page.locator('staff-queue').waitFor({ timeout: 30000 });
  return page;
}

/** axe-core's violations on the whole page (`id: targets`), none expected. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(' ')}`);
  });
}

/** A call to the reference server (an Idempotency-Key on every POST); fails the test when refused. */
export async function apiCall<T>(api: ReferenceServer, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(`${api.apiBase}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path} → ${response.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** The session token the console keeps for a signed-in page. */
export async function sessionToken(page: Page): Promise<string> {
  const token = await page.evaluate(() => sessionStorage.getItem('intake-console.token'));
  assert.ok(token, 'the console keeps a session token');
  return token;
}

/**
 * Ends a signed-in page's session from elsewhere (signed out everywhere, as from another device)
 * and waits for the console's expired-session dialog. The console learns of it from its live
 * stream, which the server ends with the session, or from its next call (a queue filter), which
 * answers 401; whichever wins. When the stream wins, the page behind the dialog is already inert
 * and the filter cannot be used, which is right, so the filter is only tried while no dialog shows.
 */
export async function endSessionElsewhere(page: Page, api: ReferenceServer): Promise<Locator> {
  await apiCall(api, 'POST', '/staff/sessions/revoke', {}, { authorization: `Bearer ${await sessionToken(page)}` });
  const dialog = page.getByRole('dialog');
  if (!(await dialog.isVisible())) await page.locator('#filter-status').selectOption('routed', { timeout: 5000 }).catch(() => undefined);
  await dialog.waitFor({ timeout: 20000 });
  return dialog;
}
