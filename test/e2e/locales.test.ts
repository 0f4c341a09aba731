// Issue 18, "Done when": a resident in each of the four locales (zh-CN, zh-HK, en, ug) goes through
// chat, form and My requests in the demo city — the real reference server, the views served by
// Vite from the sources, Debian's Chromium — and meets no text in another language. After every
// step each visible text node (shadow roots walked) is checked against its locale's script
// (test/helpers/scripts.ts): Han for zh-*, Hong Kong Traditional for zh-HK (no character OpenCC
// would change), Arabic script for ug, Latin for en; names and numbers (references, phone
// numbers, digits, punctuation, an e-mail address) are allowed. The resident types in their own
// language and the office replies in it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { closeAll, launchChromium, REPO_ROOT, screenshot, staffCall, startDemoServer, startReferenceServer, VIEWPORTS, waitFor, type DemoServer, type ReferenceServer } from '../helpers/e2e.js';
import { scriptProblem, type ScriptLocale } from '../helpers/scripts.js';

const SITE = 'riverside/xinhua/garden';
const LOCALES: ScriptLocale[] = ['zh-CN', 'zh-HK', 'en', 'ug'];

/** What the resident writes and the office answers, in each locale. */
const WORDS: Record<ScriptLocale, { chat: string; description: string; address: string; reply: string }> = {
  'zh-CN': { chat: '小区门口的垃圾桶满了，什么时候清运？', description: '花园路的垃圾桶从周一起一直没有清运。', address: '花园路12号', reply: '今天上午已经清运完毕。' },
  'zh-HK': { chat: '屋苑門口的垃圾桶滿了，甚麼時候收集？', description: '花園路的垃圾桶由星期一起一直沒有收集。', address: '花園路12號', reply: '今天上午已經收集完畢。' },
  en: { chat: 'The bins at the estate gate are full. When are they emptied?', description: 'The bins on Garden Road have not been emptied since Monday.', address: '12 Garden Road', reply: 'We emptied the bins this morning.' },
  ug: {
    chat: 'ئولتۇراق رايونىمىزنىڭ دەرۋازىسىدىكى ئەخلەت ساندۇقى تولۇپ كەتتى، قاچان توشۇيسىلەر؟',
    description: 'گۈللۈك يولىدىكى ئەخلەت ساندۇقلىرى دۈشەنبىدىن بېرى توشۇلمىدى.',
    address: 'گۈللۈك يولى 12-نومۇر',
    reply: 'بۈگۈن چۈشتىن بۇرۇن ئەخلەتلەر توشۇلدى.',
  },
};

/**
 * Names the resident may meet in any locale: the display name of the built-in account behind the
 * pre-issued staff token (demo/server/accounts/accounts.ts), which signs the office's reply.
 */
const PEOPLE = ['Staff'];
const withoutNames = (text: string) => PEOPLE.reduce((t, name) => t.split(name).join(' '), text);

interface SeenText {
  text: string;
  /** The nearest `lang` attribute (through shadow hosts), if any. */
  lang: string | null;
  /** Where it is: the host chain and the element. */
  where: string;
}

/**
 * Every visible text node of the page, shadow roots included. Kept as source text: the test's
 * compiler would add helpers (`__name`) to functions handed to the page, which the page lacks.
 */
const SCAN = `(() => {
  const out = [];
  const SKIP = new Set(['STYLE', 'SCRIPT', 'NOSCRIPT', 'TEMPLATE']);
  const up = (el) => el.parentElement || (el.getRootNode().host || null);
  const langOf = (el) => { for (let e = el; e; e = up(e)) if (e.hasAttribute('lang')) return e.getAttribute('lang'); return null; };
  const describe = (el) => {
    const parts = [];
    for (let e = el; e && parts.length < 6; e = up(e)) parts.unshift(e.localName + (e.id ? '#' + e.id : '') + (e.classList.length ? '.' + [...e.classList].join('.') : ''));
    return parts.join(' > ');
  };
  const walk = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = walker.currentNode; n; n = walker.nextNode()) {
      if (n.nodeType === Node.TEXT_NODE) {
        const parent = n.parentElement;
        const text = n.data.replace(/\\s+/g, ' ').trim();
        if (!text || !parent || SKIP.has(parent.tagName)) continue;
        if (!parent.checkVisibility({ visibilityProperty: true })) continue;
        out.push({ text, lang: langOf(parent), where: describe(parent) });
      } else if (n.shadowRoot) {
        walk(n.shadowRoot);
      }
    }
  };
  walk(document.body);
  return out;
})()`;

async function visibleTexts(page: Page): Promise<SeenText[]> {
  return page.evaluate(SCAN) as Promise<SeenText[]>;
}

describe('a resident in each locale meets no text in another language (chat, form, My requests)', () => {
  let api: ReferenceServer;
  let demo: DemoServer;
  let browser: Browser;
  const pageErrors: string[] = [];

  before(async () => {
    api = await startReferenceServer();
    demo = await startDemoServer();
    browser = await launchChromium();
    await mkdir(`${REPO_ROOT}.tmp`, { recursive: true });
  });
  after(async () => {
    await closeAll();
    for (const locale of LOCALES) await rm(`${REPO_ROOT}${pagePath(locale)}`, { force: true });
  });

  const pagePath = (locale: string) => `.tmp/e2e-locales-${locale}-${process.pid}.html`;

  for (const locale of LOCALES) {
    test(`${locale}: chat, form and My requests`, async () => {
      const words = WORDS[locale];
      // The page's own text is nothing: only the views speak.
      const body = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>-</title></head><body>
        <intake-chat endpoint="${api.apiBase}" site="${SITE}" locale="${locale}"></intake-chat>
        <intake-form endpoint="${api.apiBase}" site="${SITE}" locale="${locale}"></intake-form>
        <intake-status endpoint="${api.apiBase}" site="${SITE}" locale="${locale}"></intake-status>
        <script type="module">import '/src/components/chat/chat.ts'; import '/src/components/form/form.ts'; import '/src/components/status/status.ts';</script>
      </body></html>`;
      await writeFile(`${REPO_ROOT}${pagePath(locale)}`, body);
      const context = await browser.newContext({ viewport: VIEWPORTS.desktop, locale });
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(`${locale}: ${error.message}`));
      const problems = new Map<string, string>();
      const check = async (step: string) => {
        for (const seen of await visibleTexts(page)) {
          const problem = scriptProblem(withoutNames(seen.text), locale);
          const key = `${seen.text}`;
          if (problem && !problems.has(key)) problems.set(key, `[${step}] ${JSON.stringify(seen.text)} — ${problem}${seen.lang ? ` (lang=${seen.lang})` : ''} at ${seen.where}`);
        }
      };

      await page.goto(`${demo.url}/${pagePath(locale)}`);
      const form = page.locator('intake-form');
      const chat = page.locator('intake-chat');
      const status = page.locator('intake-status');
      await form.locator('form').waitFor({ timeout: 30000 });
      await chat.locator('textarea').waitFor({ timeout: 30000 });
      await check('opened');

      // Chat: a question, the centre's acknowledgement.
      await chat.locator('textarea').fill(words.chat);
      await chat.locator('textarea').press('Enter');
      await chat.locator('[part~="message-system"]').first().waitFor({ timeout: 20000 });
      await check('chat acknowledged');

      // The form: a complaint about rubbish collection, every step looked at.
      await form.locator('input[name="kind"][value="complaint"]').check();
      await check('form: kind');
      await form.locator('button[type="submit"]').click();
      await form.locator('input[name="service"]').first().waitFor({ timeout: 20000 });
      await check('form: services');
      const service = form.locator('input[name="service"][value="rubbish-collection"]');
      if (!(await service.isVisible())) {
        const catalog = await (await fetch(`${api.apiBase}/catalog?site=${encodeURIComponent(SITE)}&locale=${locale}`)).json() as { services: { id: string; name: string }[] };
        await form.locator('#service-search').fill(catalog.services.find((s) => s.id === 'rubbish-collection')!.name);
      }
      await service.check();
      await form.locator('button[type="submit"]').click();
      await form.locator('#f-description').waitFor();
      await check('form: details');
      await form.locator('#f-description').fill(words.description);
      await form.locator('#f-fields-location').fill(words.address);
      await form.locator('input[name="bin_type"][value="household"]').check();
      // An empty required field's message, then filled.
      await form.locator('button[type="submit"]').click();
      await form.locator('input[name="contact"][value="reply"]').waitFor();
      await form.locator('button[type="submit"]').click();
      await check('form: contact, with the problems shown');
      await form.locator('input[name="contact"][value="reply"]').check();
      await form.locator('#f-contact-email').fill('li.hua@example.com');
      await form.locator('#f-consent').check();
      await check('form: contact and consent');
      await form.locator('button[type="submit"]').click();
      await form.locator('.summary-list').waitFor();
      await check('form: summary');
      await form.locator('button[type="submit"]').click();
      await form.locator('.reference-number').waitFor({ timeout: 20000 });
      const reference = (await form.locator('.reference-number').innerText()).trim();
      await check('form: sent');
      await screenshot(page, `locales-${locale}-sent`);

      // The office answers in the resident's language; My requests shows the request and the reply.
      await staffCall(api, 'POST', `/requests/${encodeURIComponent(reference)}/reply`, { text: words.reply });
      await page.reload();
      await status.locator(`[data-reference="${reference}"]`).waitFor({ timeout: 30000 });
      await check('my requests: list');
      await status.locator(`[data-reference="${reference}"]`).click();
      await status.locator('.detail').waitFor();
      await waitFor(async () => (await status.locator('.reply-text').innerText()).includes(words.reply), { timeout: 20000, message: 'reply shown' });
      await check('my requests: detail with the reply');
      await screenshot(page, `locales-${locale}-status`);
      await context.close();

      assert.deepEqual([...problems.values()], [], `${locale}: ${problems.size} texts not in ${locale}:\n${[...problems.values()].join('\n')}`);
    });
  }

  for (const locale of LOCALES) {
    test(`${locale}: the floating widget, each of its tabs`, async () => {
      const path = `.tmp/e2e-locales-widget-${locale}-${process.pid}.html`;
      await writeFile(`${REPO_ROOT}${path}`, `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>-</title></head><body>
        <intake-widget endpoint="${api.apiBase}" site="${SITE}" locale="${locale}"></intake-widget>
        <script type="module">import '/src/components/widget/widget.ts';</script>
      </body></html>`);
      const context = await browser.newContext({ viewport: VIEWPORTS.phone, locale });
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(`${locale} widget: ${error.message}`));
      const problems = new Map<string, string>();
      const check = async (step: string) => {
        for (const seen of await visibleTexts(page)) {
          const problem = scriptProblem(withoutNames(seen.text), locale);
          if (problem && !problems.has(seen.text)) problems.set(seen.text, `[${step}] ${JSON.stringify(seen.text)} — ${problem}${seen.lang ? ` (lang=${seen.lang})` : ''} at ${seen.where}`);
        }
      };
      try {
        await page.goto(`${demo.url}/${path}`);
        await page.locator('intake-widget [part~="launcher"]').waitFor({ timeout: 30000 });
        await check('launcher');
        await page.locator('intake-widget [part~="launcher"]').click();
        const tabs = page.locator('intake-widget [part~="tab"]');
        await tabs.first().waitFor({ timeout: 20000 });
        const count = await tabs.count();
        assert.ok(count >= 2, `${count} tabs`);
        for (let i = 0; i < count; i++) {
          await tabs.nth(i).click();
          await waitFor(async () => (await tabs.nth(i).getAttribute('aria-selected')) === 'true', { message: `tab ${i}` });
          // The tab's view is shown and has drawn its heading or its first control.
          const panel = page.locator(`intake-widget #${await tabs.nth(i).getAttribute('aria-controls')}`);
          await panel.waitFor({ timeout: 20000 });
          await panel.locator('h2, h3, textarea, input, button').first().waitFor({ timeout: 20000 });
          await check(`tab ${i}`);
        }
        await screenshot(page, `locales-${locale}-widget`);
      } finally {
        await context.close();
        await rm(`${REPO_ROOT}${path}`, { force: true });
      }
      assert.deepEqual([...problems.values()], [], `${locale}: ${problems.size} texts not in ${locale}:\n${[...problems.values()].join('\n')}`);
    });
  }

  test('no page errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
