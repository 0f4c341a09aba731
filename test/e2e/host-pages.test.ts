// The widget as a guest on hostile host pages (issue 21), built (dist/) and against the real
// reference server: page zoom, a transformed body, a phone page wider than the screen (a real
// mobile viewport, where the layout viewport grows to the content), inherited `!important` styles
// in a centred footer, a cookie banner in the launcher's corner. Each case clicks the launcher
// with the mouse where it is seen, checks the launcher's and the panel's boxes against the visible
// viewport and the page's scroll position, types a message and finds it on the server.
// Screenshots: test-results/screenshots/host-<case>.png.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { closeAll, E2E_STAFF_TOKEN, launchChromium, screenshot, startReferenceServer, waitFor, type ReferenceServer } from '../helpers/e2e.js';
import { startStaticServer, type StaticServer } from '../helpers/static-server.js';

interface Box { left: number; top: number; right: number; bottom: number }
interface Case {
  name: string;
  viewport: { width: number; height: number };
  mobile?: boolean;
  css: string;
  body?: string;
  /** The page is scrolled here before the launcher is clicked. */
  scroll?: [number, number];
  /** The widget's place in the page (default: the end of <body>). */
  wrap?: [string, string];
}

const TALL = '<div style="block-size: 4000px"></div>';
const CASES: Case[] = [
  { name: 'zoom-desktop', viewport: { width: 1280, height: 800 }, css: 'html { zoom: 1.5 }', body: TALL, scroll: [0, 600] },
  { name: 'zoom-phone', viewport: { width: 390, height: 844 }, mobile: true, css: 'html { zoom: 1.5 }', body: TALL },
  { name: 'body-scale', viewport: { width: 1280, height: 800 }, css: 'body { transform: scale(1.2); transform-origin: 0 0; margin: 0 }', body: '<div style="block-size: 4000px; inline-size: 1500px"></div>', scroll: [150, 1200] },
  { name: 'body-scale-phone', viewport: { width: 390, height: 844 }, mobile: true, css: 'body { transform: scale(1.2); transform-origin: 0 0; margin: 0 }', body: TALL, scroll: [0, 1200] },
  { name: 'wide-phone', viewport: { width: 390, height: 844 }, mobile: true, css: 'header nav { display: flex; inline-size: 556px; gap: 8px }', body: `<header><nav>${'<a href="#">Menu item</a>'.repeat(6)}</nav></header>${TALL}` },
  {
    name: 'inherited',
    viewport: { width: 1280, height: 800 },
    css: `* { font-size: 20px !important; line-height: 2 !important; letter-spacing: 2px !important; text-transform: uppercase !important }
      footer { text-align: center; background: #eee; padding: 2em }`,
    body: TALL,
    wrap: ['<footer><p>© Garden community</p>', '</footer>'],
  },
  {
    name: 'cookie-banner',
    viewport: { width: 390, height: 844 },
    mobile: true,
    css: `.cookie { position: fixed; inset-inline: 0; bottom: 0; z-index: 9999; display: flex; justify-content: flex-end; gap: 8px;
      padding: 16px; background: #222; color: #fff }`,
    body: `${TALL}<div class="cookie"><span>Cookies?</span><button id="reject">Reject</button><button id="accept">Accept</button></div>`,
  },
];

interface StaffEvent { type: string; message?: { author: string; text: string } }

describe('host pages end to end (dist/, reference server)', () => {
  let api: ReferenceServer;
  let host: StaticServer;
  let browser: Browser;
  const pageErrors: string[] = [];

  before(async () => {
    host = await startStaticServer('.');
    api = await startReferenceServer({ allowedOrigins: [host.url] });
    browser = await launchChromium();
    for (const c of CASES) {
      const widget = `<intake-widget endpoint="${api.apiBase}" site="riverside/xinhua/garden" locale="en"></intake-widget>`;
      host.page(`/${c.name}.html`, `<!doctype html><html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1"><title>${c.name}</title><style>${c.css}</style></head>
        <body><h1>Garden community</h1>${c.body ?? ''}${c.wrap ? c.wrap[0] + widget + c.wrap[1] : widget}
        <script type="module" src="/dist/intake-widgets.js"></script></body></html>`);
    }
  });
  after(async () => {
    await closeAll();
    await host?.close();
  });

  const staff = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${api.apiBase}/staff${path}`, { headers: { authorization: `Bearer ${E2E_STAFF_TOKEN}` } });
    assert.ok(res.ok, `staff ${path}: ${res.status}`);
    return (await res.json()) as T;
  };

  async function residentTexts(): Promise<string[]> {
    const { items } = await staff<{ items: { item: string; id: string }[] }>('/queue?item=conversation');
    const texts: string[] = [];
    for (const item of items.filter((i) => i.item === 'conversation')) {
      const { events } = await staff<{ events: StaffEvent[] }>(`/conversations/${encodeURIComponent(item.id)}`);
      for (const e of events) if (e.type === 'message' && e.message?.author === 'resident') texts.push(e.message.text);
    }
    return texts;
  }

  /** An element's box (client coordinates, as drawn) and the visible viewport. */
  function measure(page: Page, where: 'launcher' | 'panel' | 'send'): Promise<{ box: Box; view: Box; scroll: [number, number] }> {
    return page.evaluate((where) => {
      const root = document.querySelector('intake-widget')!.shadowRoot!;
      const element = where === 'send'
        ? root.querySelector('intake-chat')!.shadowRoot!.querySelector('[part~="send-button"]')!
        : root.querySelector(`[part~="${where}"]`)!;
      const r = element.getBoundingClientRect();
      const vv = window.visualViewport!;
      return {
        box: { left: r.left, top: r.top, right: r.right, bottom: r.bottom },
        view: { left: vv.offsetLeft, top: vv.offsetTop, right: vv.offsetLeft + vv.width, bottom: vv.offsetTop + vv.height },
        scroll: [scrollX, scrollY] as [number, number],
      };
    }, where);
  }

  async function onScreen(page: Page, where: 'launcher' | 'panel' | 'send', name: string): Promise<Box> {
    const { box, view } = await measure(page, where);
    const text = `${name}: ${where} ${JSON.stringify(box)} outside ${JSON.stringify(view)}`;
    assert.ok(box.right > box.left, text);
    assert.ok(box.left >= view.left - 1 && box.top >= view.top - 1 && box.right <= view.right + 1 && box.bottom <= view.bottom + 1, text);
    return box;
  }

  const settle = (page: Page) => page.evaluate(async () => {
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const panel = document.querySelector('intake-widget')?.shadowRoot?.querySelector('.panel');
    await Promise.all((panel?.getAnimations() ?? []).map((a) => a.finished.catch(() => undefined)));
  });

  for (const c of CASES) {
    test(`${c.name}: launcher and panel on screen, scroll kept, a typed message reaches the server`, async () => {
      const context = await browser.newContext({ viewport: c.viewport, deviceScaleFactor: c.mobile ? 2 : 1, isMobile: !!c.mobile, hasTouch: !!c.mobile });
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(`${c.name}: ${error.message}`));
      try {
        await page.goto(`${host.url}/${c.name}.html`);
        await page.locator('intake-widget [part~="launcher"]').waitFor({ state: 'visible', timeout: 30000 });
        if (c.scroll) await page.evaluate(([x, y]) => window.scrollTo(x, y), c.scroll);
        if (c.name === 'cookie-banner') {
          // After idle the launcher moves above the banner; its buttons take a real tap.
          await waitFor(async () => {
            const { box } = await measure(page, 'launcher');
            const top = await page.locator('.cookie').evaluate((el) => el.getBoundingClientRect().top);
            return box.bottom <= top + 1;
          }, { message: 'launcher above the cookie banner' });
          const accept = (await page.locator('#accept').boundingBox())!;
          const hit = await page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.id, [accept.x + accept.width / 2, accept.y + accept.height / 2]);
          assert.equal(hit, 'accept', 'the Accept button is not covered');
        }
        await settle(page);
        // The launcher is placed by the visual viewport once the page is idle.
        await waitFor(() => onScreen(page, 'launcher', c.name).then(() => true, () => false), { message: `${c.name}: launcher on screen` });
        const before = (await measure(page, 'launcher')).scroll;
        if (c.scroll) assert.deepEqual(before.map(Math.round), c.scroll, 'the page scrolled where the test put it');
        const launcher = await onScreen(page, 'launcher', c.name);
        await screenshot(page, `host-${c.name}-closed`);
        await page.mouse.click((launcher.left + launcher.right) / 2, (launcher.top + launcher.bottom) / 2);
        await page.locator('intake-widget intake-chat textarea').waitFor({ state: 'visible', timeout: 30000 });
        await settle(page);
        await onScreen(page, 'panel', c.name);
        await onScreen(page, 'send', c.name);
        const open = await measure(page, 'panel');
        assert.deepEqual(open.scroll, before, `${c.name}: opening moved the page`);
        const padding = await page.evaluate(() => parseFloat(document.documentElement.style.paddingRight || '0'));
        assert.ok(padding <= 30, `${c.name}: padding-right ${padding}px written on <html>`);
        const text = `Hello from ${c.name} ${Date.now()}`;
        // Opening put the caret in the composer (no extra focus() call that could scroll the page).
        await waitFor(() => page.evaluate(() => document.querySelector('intake-widget')?.shadowRoot?.querySelector('intake-chat')?.shadowRoot?.activeElement?.tagName === 'TEXTAREA'), { message: 'composer focused' });
        await page.keyboard.type(text);
        await page.keyboard.press('Enter');
        await waitFor(async () => (await residentTexts()).includes(text), { timeout: 20000, message: `${c.name}: message on the server` });
        await screenshot(page, `host-${c.name}-open`);
        const close = await page.evaluate(() => {
          const r = document.querySelector('intake-widget')!.shadowRoot!.querySelector('[part~="close-button"]')!.getBoundingClientRect();
          return [(r.left + r.right) / 2, (r.top + r.bottom) / 2] as const;
        });
        await page.mouse.click(close[0], close[1]);
        await page.locator('intake-widget:not([open])').waitFor({ state: 'attached' });
        await settle(page);
        const after = await measure(page, 'launcher');
        assert.deepEqual(after.scroll, before, `${c.name}: closing moved the page`);
        await onScreen(page, 'launcher', `${c.name} after close`);
      } finally {
        await context.close();
      }
    });
  }

  test('no page errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
