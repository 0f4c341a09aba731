/**
 * The closed loop's end-to-end pieces (test/e2e/loop.test.ts): one staff console per demo account,
 * each in its own browser context and signed in through the console's sign-in form as a person
 * would, with that person's session token for the few steps the console has no panel for yet; the
 * resident's community portal page; waits for states, never for times.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { waitFor, type ReferenceServer } from './e2e.js';

/** The demo accounts (demo/server/accounts/demo-accounts.ts) the loop needs. */
export const DEMO_LOGINS = {
  dispatcher: 'demo-dispatcher',
  market: 'demo-market',
  sanitation: 'demo-sanitation',
  supervisor: 'demo-supervisor',
  admin: 'demo-admin',
} as const;
export type DemoLogin = keyof typeof DEMO_LOGINS;

export interface Desk {
  login: DemoLogin;
  context: BrowserContext;
  page: Page;
  /** The session the console signed in with (sessionStorage), for staff API calls as this person. */
  token: string;
  /** A staff API call as this person; throws with the status and body when refused. */
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** The status and body of a staff API call as this person, refused or not. */
  try(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

/** Opens the console in English in a new context and signs in with the account's login and password. */
export async function openDesk(browser: Browser, demoUrl: string, api: ReferenceServer, login: DemoLogin, errors: string[]): Promise<Desk> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(`console ${login}: ${error.message}`));
  await page.goto(`${demoUrl}/demo/console/?api=${encodeURIComponent(api.apiBase)}&lang=en`);
  await page.locator('#login').fill(login, { timeout: 30000 });
  await page.locator('#password').fill(DEMO_LOGINS[login]);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.locator('.account [data-role]').waitFor({ timeout: 30000 });
  const token = await waitFor(() => page.evaluate(() => sessionStorage.getItem('intake-console.token')), { message: `${login}'s session token` });
  const attempt = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${api.apiBase}/staff${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(method !== 'GET' ? { 'idempotency-key': randomUUID() } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: kept as text */
    }
    return { status: response.status, body: parsed };
  };
  return {
    login,
    context,
    page,
    token,
    try: attempt,
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      const { status, body: answer } = await attempt(method, path, body);
      if (status < 200 || status >= 300) throw new Error(`${login}: staff ${method} ${path} → ${status} ${JSON.stringify(answer)}`);
      return answer as T;
    },
  };
}

/** Goes to a console address (the hash part, e.g. `#/request/RS-…`) the way a link does. */
export async function go(desk: Desk, hash: string): Promise<void> {
  await desk.page.evaluate((h) => {
    if (location.hash === h) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else location.hash = h;
  }, hash);
}

/**
 * Waits until `target()` is attached in the desk's console. When a view is not live for that
 * change, it is opened again (from the queue, then the address) until the state shows, so the wait
 * is for the state and the time limit only a safety net.
 */
export async function waitInView(desk: Desk, hash: string, target: () => Locator, message: string, timeout = 60000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (let round = 0; ; round++) {
    try {
      await target().first().waitFor({ state: 'attached', timeout: round === 0 ? 5000 : 8000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${desk.login}: ${message} not shown within ${timeout} ms (${(error as Error).message.split('\n')[0]})`);
    }
    // Open the view again: to the queue and back, then a reload with the address.
    if (round % 2 === 0) {
      await go(desk, '#/');
      await desk.page.locator('staff-queue').waitFor({ timeout: 20000 }).catch(() => undefined);
      await go(desk, hash);
    } else {
      await desk.page.reload();
      await desk.page.locator('.account [data-role]').waitFor({ timeout: 30000 });
      await go(desk, hash);
    }
  }
}

/** The queue row of `reference` in the desk's console queue. */
export const queueRow = (desk: Desk, reference: string): Locator => desk.page.locator('staff-queue li').filter({ hasText: reference });

/** Waits until the queue shows (or, with `present: false`, no longer shows) the item. */
export async function waitInQueue(desk: Desk, reference: string, present = true, timeout = 60000): Promise<void> {
  if (present) return waitInView(desk, '#/', () => queueRow(desk, reference), `${reference} in the queue`, timeout);
  await go(desk, '#/');
  await waitFor(async () => (await queueRow(desk, reference).count()) === 0, { timeout, message: `${desk.login}: ${reference} gone from the queue` });
}
