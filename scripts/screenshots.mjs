// Screenshots of the widget for docs/screenshots/: the open panel with the chat, form and
// My requests views, in zh-CN, en, zh-HK and ug (right to left), light and dark, with and without
// large text, at phone (390×844) and desktop (1280×800) sizes, 1× device scale.
// Then the README's pictures from the real demo (demo-*.png): the community portal with the chat
// answered by a dispatcher (desktop), the district portal's form on a phone, the staff console.
// Uses the built dist/ (run `npm run build` first), the real reference server (in memory), the
// demo served by Vite as `npm start` serves it, and Debian's Chromium.
// Usage: node scripts/screenshots.mjs [name-filter]   (e.g. `demo` for the README's pictures only)
import { mkdir, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const { startReferenceServer, startDemoServer, launchChromium, closeAll, waitFor, REPO_ROOT, E2E_STAFF_TOKEN } = await import('../test/helpers/e2e.ts');
const { startStaticServer } = await import('../test/helpers/static-server.ts');

const OUT = `${REPO_ROOT}docs/screenshots/`;
const SITE = 'riverside/xinhua/garden';
const DEVICES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
const QUESTIONS = {
  'zh-CN': '小区垃圾什么时候清运？',
  en: 'When is the rubbish collected?',
  'zh-HK': '社區垃圾甚麼時候清運？',
  ug: 'ئەخلەت قاچان توشۇلىدۇ؟',
};

/** [device, locale, theme, large text, view] — 18 shots. */
const SHOTS = [
  ['desktop', 'zh-CN', 'light', false, 'chat'],
  ['desktop', 'zh-CN', 'dark', false, 'form'],
  ['desktop', 'en', 'light', false, 'form'],
  ['desktop', 'en', 'dark', false, 'chat'],
  ['desktop', 'zh-HK', 'light', false, 'status'],
  ['desktop', 'zh-HK', 'dark', false, 'chat'],
  ['desktop', 'ug', 'light', false, 'chat'],
  ['desktop', 'ug', 'dark', false, 'form'],
  ['desktop', 'zh-CN', 'light', true, 'chat'],
  ['desktop', 'en', 'dark', true, 'form'],
  ['phone', 'zh-CN', 'light', false, 'chat'],
  ['phone', 'zh-CN', 'light', true, 'form'],
  ['phone', 'en', 'dark', false, 'chat'],
  ['phone', 'en', 'light', false, 'status'],
  ['phone', 'zh-HK', 'light', false, 'form'],
  ['phone', 'zh-HK', 'dark', true, 'chat'],
  ['phone', 'ug', 'light', false, 'chat'],
  ['phone', 'ug', 'dark', true, 'form'],
];

export function shotName([device, locale, theme, large, view]) {
  return `${device}-${locale}-${theme}${large ? '-large' : ''}-${view}`;
}

function hostPage(locale, theme, large, api) {
  const dark = theme === 'dark';
  return `<!doctype html>
<html lang="${locale}"${locale === 'ug' ? ' dir="rtl"' : ''}>
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Intake Widgets</title>
<style>
  body { margin: 0; font: 16px/1.6 system-ui, sans-serif; background: ${dark ? '#101317' : '#f4f6f9'}; color: ${dark ? '#d8dde4' : '#1b1f24'}; }
  header { padding: 18px 32px; background: ${dark ? '#1f2a38' : '#b71c1c'}; color: #fff; font-size: 22px; font-weight: 700; }
  main { padding: 24px 32px; max-width: 640px; }
  .bar { height: 14px; margin: 12px 0; border-radius: 7px; background: ${dark ? '#252b33' : '#dde1e7'}; }
  .bar.short { width: 60%; }
</style>
<script type="module" src="/dist/intake-widgets.js"></script>
</head>
<body>
<header>河畔区 · 新华街道 · 花园社区</header>
<main><div class="bar"></div><div class="bar"></div><div class="bar short"></div><div class="bar"></div><div class="bar short"></div></main>
<intake-widget endpoint="${api}" site="${SITE}" locale="${locale}" theme="${theme}"${large ? ' large-text' : ''}></intake-widget>
</body></html>`;
}

async function main() {
  if (!existsSync(`${REPO_ROOT}dist/intake-widgets.js`)) throw new Error('dist/ is missing: run `npm run build` first');
  const filter = process.argv[2];
  await mkdir(OUT, { recursive: true });
  if (!filter) for (const file of await readdir(OUT)) if (file.endsWith('.png')) await rm(`${OUT}${file}`);

  const server = await startReferenceServer();
  const api = server.apiBase;
  const files = await startStaticServer(REPO_ROOT);
  const browser = await launchChromium();
  try {
    for (const shot of SHOTS) {
      const name = shotName(shot);
      if (filter && !name.includes(filter)) continue;
      const [device, locale, theme, large, view] = shot;
      files.page(`/${name}.html`, hostPage(locale, theme, large, api));
      const context = await browser.newContext({ viewport: DEVICES[device], deviceScaleFactor: 1, colorScheme: theme, locale });
      const page = await context.newPage();
      await page.goto(`${files.url}/${name}.html`);
      await page.waitForFunction(() => customElements.get('intake-widget'));
      await page.evaluate(async (view) => {
        const widget = document.querySelector('intake-widget');
        if (view === 'chat') await widget.startChat();
        else if (view === 'form') await widget.openForm();
        else await widget.showStatus();
      }, view);
      const ready = { chat: 'textarea', form: '.field', status: 'form, .requests' }[view];
      await waitFor(
        () => page.evaluate(([view, ready]) => {
          const widget = document.querySelector('intake-widget');
          return Boolean(widget.shadowRoot.querySelector(`intake-${view}`)?.shadowRoot?.querySelector(ready));
        }, [view, ready]),
        { timeout: 20000, message: `${name}: ${view} view ready` },
      );
      if (view === 'chat') {
        const input = page.locator('intake-widget intake-chat textarea');
        await input.fill(QUESTIONS[locale]);
        await input.press('Enter');
        await waitFor(
          () => page.evaluate(() => document.querySelector('intake-widget').shadowRoot.querySelector('intake-chat').shadowRoot.querySelector('.message.resident')),
          { timeout: 15000, message: `${name}: message shown` },
        );
        // Let the delivery state and any instant answer settle (condition, then a short quiet time).
        await page.waitForTimeout(1500);
      }
      await page.evaluate(() => {
        // No focus ring in the pictures: blur the innermost focused element.
        let active = document.activeElement;
        while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
        if (active instanceof HTMLElement) active.blur();
        const root = document.querySelector('intake-widget').shadowRoot;
        for (const animation of root.querySelector('.panel')?.getAnimations() ?? []) animation.finish();
      });
      await page.screenshot({ path: `${OUT}${name}.png` });
      console.log(`docs/screenshots/${name}.png`);
      await context.close();
    }
    if (!filter || 'demo'.includes(filter) || filter.startsWith('demo')) await demoShots(browser, server, filter);
  } finally {
    await closeAll();
  }
}

/** Waits for layout and the panel's animations; no focus ring; the newest chat message in view. */
async function settle(page) {
  await page.evaluate(async () => {
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    if (active instanceof HTMLElement) active.blur();
    const root = document.querySelector('intake-widget')?.shadowRoot;
    const log = root?.querySelector('intake-chat')?.shadowRoot?.querySelector('[part~="log"]');
    if (log) log.scrollTop = log.scrollHeight;
    await Promise.all((root?.querySelector('.panel')?.getAnimations() ?? []).map((a) => a.finished.catch(() => undefined)));
  });
}

/** The README's pictures, from the demo portals and the staff console. */
async function demoShots(browser, server, filter) {
  const demo = await startDemoServer();
  const api = server.apiBase;
  const staff = async (method, path, body) => {
    const res = await fetch(`${api}/staff${path}`, {
      method,
      headers: { authorization: `Bearer ${E2E_STAFF_TOKEN}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const portal = (name, lang) => `${demo.url}/demo/${name}/?api=${encodeURIComponent(api)}${lang === 'en' ? '&lang=en' : ''}`;
  const shoot = async (page, name) => {
    if (filter && !name.includes(filter)) return;
    await settle(page);
    await page.screenshot({ path: `${OUT}${name}.png` });
    console.log(`docs/screenshots/${name}.png`);
  };

  // The staff console, signed in (its queue stream puts staff on duty for the chat).
  const desk = await browser.newPage({ viewport: DEVICES.desktop, deviceScaleFactor: 1 });
  // English (the labels matched below); a token in the address signs in by itself.
  await desk.goto(`${demo.url}/demo/console/?api=${encodeURIComponent(api)}&lang=en&token=${encodeURIComponent(E2E_STAFF_TOKEN)}`);
  await desk.locator('.duty.on').waitFor({ timeout: 30000 });

  // Community portal, desktop: a resident asks, the dispatcher routes and answers in the console.
  const resident = await browser.newContext({ viewport: DEVICES.desktop, deviceScaleFactor: 1, locale: 'zh-CN' });
  const page = await resident.newPage();
  await page.goto(portal('community'));
  await page.locator('intake-widget [part~="launcher"]').click({ timeout: 30000 });
  const box = page.locator('intake-widget intake-chat textarea');
  await box.waitFor({ state: 'visible', timeout: 30000 });
  await box.fill('北门的路灯坏了一个星期了，晚上很黑，请问找谁修？');
  await box.press('Enter');
  const id = await waitFor(async () => (await staff('GET', '/queue?item=conversation')).items[0]?.id, { timeout: 30000, message: 'conversation' });
  await desk.locator(`staff-queue li[data-id="${id}"] a`).click({ timeout: 30000 });
  await desk.locator('#chat-department').selectOption('xinhua-office');
  await desk.getByRole('button', { name: 'Route', exact: true }).click();
  await desk.getByLabel('Message to the resident').fill('您好，已通知街道城管科，明天上午更换路灯。感谢您的反映！');
  await desk.getByLabel('Message to the resident').press('Enter');
  await page.locator('intake-widget [part~="message-staff"] [part~="bubble"]').filter({ hasText: '明天上午更换路灯' }).waitFor({ timeout: 30000 });
  await shoot(page, 'demo-community-chat-desktop');
  await shoot(desk, 'demo-console-chat-desktop');

  // District portal on a phone: the request form opened by the page's own service button.
  const phone = await browser.newContext({ viewport: DEVICES.phone, deviceScaleFactor: 1, locale: 'zh-CN', isMobile: true, hasTouch: true });
  const district = await phone.newPage();
  await district.goto(portal('district'));
  await district.locator('intake-widget [part~="launcher"]').waitFor({ timeout: 30000 });
  await shoot(district, 'demo-district-phone');
  await district.locator('button[data-service="road-hazard"]').click();
  const form = district.locator('intake-widget intake-form');
  await form.locator('input[name="kind"][value="complaint"]').check({ timeout: 30000 });
  await form.locator('button[type="submit"]').click();
  await form.locator('#f-description').fill('滨江路12号门口井盖缺失，晚上很危险。');
  await shoot(district, 'demo-district-form-phone');

  // Street office in English, desktop, My requests after a reply.
  const english = await browser.newContext({ viewport: DEVICES.desktop, deviceScaleFactor: 1, locale: 'en' });
  const street = await english.newPage();
  await street.goto(portal('street', 'en'));
  await street.locator('button[data-widget-action="openForm"][data-service="noise"]').click({ timeout: 30000 });
  await street.locator('intake-widget intake-form').waitFor({ timeout: 30000 });
  await street.evaluate(() => window.scrollTo(0, 0));
  await shoot(street, 'demo-street-form-en-desktop');
  await desk.close();
  await resident.close();
  await phone.close();
  await english.close();
}

try {
  await main();
  process.exit(0);
} catch (error) {
  console.error(error);
  process.exit(1);
}
