// Screenshots of the widget for docs/screenshots/: the open panel with the chat, form and
// My requests views, in zh-CN, en, zh-HK and ug (right to left), light and dark, with and without
// large text, at phone (390×844) and desktop (1280×800) sizes, 1× device scale.
// Uses the built dist/ (run `npm run build` first), the real reference server (in memory) and
// Debian's Chromium. Usage: node scripts/screenshots.mjs [name-filter]
import { mkdir, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const { startReferenceServer, launchChromium, closeAll, waitFor, REPO_ROOT } = await import('../test/helpers/e2e.ts');
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
  } finally {
    await closeAll();
  }
}

try {
  await main();
  process.exit(0);
} catch (error) {
  console.error(error);
  process.exit(1);
}
