/**
 * Shared pieces for end-to-end tests: the real reference server (in-memory database), the demo
 * served by Vite's dev server (TypeScript transpiled on the fly), Chromium through playwright-core,
 * screenshots and a condition poller. Each start function registers its own cleanup; call
 * `closeAll()` in `after()`.
 */
import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer } from 'vite';
import { startServer, type RunningServer, type ServerOptions } from '../../demo/server/server.js';
import { chromiumArgs, chromiumPath } from './browsers.mjs';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
/** The staff token every e2e reference server uses. */
export const E2E_STAFF_TOKEN = 'e2e-staff-token-0123456789';

const cleanups: (() => Promise<unknown>)[] = [];

function track<T extends { close(): Promise<unknown> }>(thing: T): T {
  cleanups.push(() => thing.close());
  return thing;
}

/** Closes everything the helpers started, newest first (browsers before servers). */
export async function closeAll(): Promise<void> {
  const errors: unknown[] = [];
  while (cleanups.length) {
    try {
      await cleanups.pop()!();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length) throw errors[0];
}

/** Runs `fn` in `closeAll()`, before whatever was started earlier is closed (newest first). */
export function onCloseAll(fn: () => Promise<unknown>): void {
  cleanups.push(fn);
}

export type ReferenceServer = RunningServer;

/**
 * The reference intake server on a free loopback port with an in-memory database, any origin
 * allowed and rate limits off (a test sends many calls from one address); `opts` override —
 * e.g. `{clock: new ManualClock(start)}` (demo/server/loop/clock.ts) for the loop's time, moved by
 * the test and read back as `server.clock`.
 */
export async function startReferenceServer(opts: ServerOptions = {}): Promise<ReferenceServer> {
  const server = await startServer({
    port: 0,
    dataDir: 'memory://',
    staffToken: E2E_STAFF_TOKEN,
    allowedOrigins: '*',
    rateLimit: false,
    quiet: true,
    ...opts,
  });
  return track(server);
}

export interface DemoServer {
  /** e.g. http://127.0.0.1:5173 — the repository root; the console is at /demo/console/. */
  url: string;
  close(): Promise<void>;
}

/** Vite's dev server over the repository root, as `npm start` serves the demo. */
export async function startDemoServer(): Promise<DemoServer> {
  const cacheDir = `${REPO_ROOT}.tmp/vite-e2e-${process.pid}`;
  const vite = await createServer({
    configFile: false,
    root: REPO_ROOT,
    logLevel: 'warn',
    appType: 'mpa',
    clearScreen: false,
    cacheDir,
    // No dependency pre-bundling: it would reload the page mid-test when it discovers a dependency.
    optimizeDeps: { noDiscovery: true, include: [] },
    server: { host: '127.0.0.1', port: 0, strictPort: false, watch: null, hmr: false },
  });
  await vite.listen();
  const address = vite.httpServer?.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return track({
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await vite.close();
      await rm(cacheDir, { recursive: true, force: true });
    },
  });
}

/** Debian's Chromium through playwright-core (no browser download). */
export async function launchChromium(): Promise<Browser> {
  const path = chromiumPath();
  if (!path) throw new Error('Chromium not found: install Debian package chromium or set CHROME_PATH');
  const browser = await chromium.launch({ executablePath: path, args: chromiumArgs });
  return track(browser);
}

/** The two window sizes every end-to-end check looks at: a phone and a desktop. */
export const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } } as const;

/** A 1×1 PNG, for uploads ("the photo of the complaint"). */
export const PNG_1PX = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/** Saves a PNG of the viewport as test-results/screenshots/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = `${SCREENSHOT_DIR}${name}.png`;
  await page.screenshot({ path, fullPage });
  return path;
}

export interface WaitOptions {
  timeout?: number;
  interval?: number;
  message?: string;
}

/** Polls `fn` until it returns something truthy (and returns that); throws after `timeout` ms. */
export async function waitFor<T>(fn: () => T | Promise<T>, { timeout = 15000, interval = 100, message }: WaitOptions = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`${message ?? 'condition'} not met within ${timeout} ms (last: ${detail})`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/**
 * A call to the reference server's staff API with the e2e staff token, as the console makes it;
 * fails the test with the status and body when it is refused.
 */
export async function staffCall<T>(api: ReferenceServer, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${api.apiBase}/staff${path}`, {
    method,
    headers: { authorization: `Bearer ${E2E_STAFF_TOKEN}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`staff ${method} ${path} → ${response.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}
