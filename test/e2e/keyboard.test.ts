// Keyboard only, against the built dist/ and the real reference server: Tab to the launcher,
// Enter opens, type and send a chat message, arrow keys to the Form tab, fill and submit a
// request, go to My requests, and rate the answer once staff have resolved it (staff API).
// At every step the focused element shows a visible focus indicator (outline or box-shadow).
// Needs `node scripts/build.mjs` first (dist/).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { closeAll, launchChromium, screenshot, startReferenceServer, waitFor, staffCall, type ReferenceServer } from '../helpers/e2e.js';
import { startStaticServer, type StaticServer } from '../helpers/static-server.js';

const SITE = 'riverside/xinhua/garden';

interface Focused {
  tag: string;
  id: string;
  name: string;
  value: string;
  type: string;
  checked: boolean;
  role: string;
  text: string;
  part: string;
  classes: string;
  reference: string;
  indicator: boolean;
  style: string;
}

/** The element that really has focus, through shadow roots, and whether its focus shows. */
async function focused(page: Page): Promise<Focused | null> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
    const input = el as HTMLInputElement;
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      name: el.getAttribute('name') ?? '',
      value: 'value' in input ? String(input.value) : '',
      type: el.getAttribute('type') ?? '',
      checked: !!input.checked,
      role: el.getAttribute('role') ?? '',
      text: (el.textContent ?? '').trim().slice(0, 40),
      part: el.getAttribute('part') ?? '',
      classes: el.getAttribute('class') ?? '',
      reference: el.getAttribute('data-reference') ?? '',
      // A date/time input focuses one of its segments, which Chromium highlights itself, and
      // :focus-visible does not match the input then.
      indicator: outline || shadow || /^(date|time|datetime-local|month|week)$/.test(el.getAttribute('type') ?? ''),
      style: `outline: ${style.outlineStyle} ${style.outlineWidth}; box-shadow: ${style.boxShadow}`,
    };
  });
}

function describeFocus(f: Focused | null): string {
  return f ? `<${f.tag}#${f.id} name=${f.name} part=${f.part} class=${f.classes} "${f.text}"> (${f.style})` : 'nothing';
}

describe('keyboard only, end to end (built dist/, reference server)', () => {
  let api: ReferenceServer;
  let host: StaticServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const visited: string[] = [];

  before(async () => {
    host = await startStaticServer('.');
    api = await startReferenceServer({ allowedOrigins: [host.url] });
    browser = await launchChromium();
    host.page('/keyboard.html', `<!doctype html><html lang="en"><head><meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1"><title>Garden community</title></head>
      <body><h1>Garden community</h1><p><a href="#news">News</a></p>
      <script type="module" src="/dist/intake-widgets.js"></script>
      <intake-widget endpoint="${api.apiBase}" site="${SITE}" locale="en"></intake-widget></body></html>`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${host.url}/keyboard.html`);
    await page.locator('intake-widget').waitFor({ state: 'attached' });
  });

  after(async () => {
    await closeAll();
    await host?.close();
  });

  const staff = <T = unknown>(method: string, path: string, body?: unknown): Promise<T> => staffCall<T>(api, method, path, body);

  /** Asserts the focused element exists and shows its focus. */
  async function expectVisibleFocus(step: string): Promise<Focused> {
    const f = await waitFor(() => focused(page), { message: `${step}: something focused` });
    visited.push(`${step}: ${describeFocus(f)}`);
    assert.ok(f.indicator, `${step}: no visible focus indicator on ${describeFocus(f)}`);
    return f;
  }

  /** Presses `key` (Tab by default) until the focused element matches; checks focus at each stop. */
  async function pressUntil(match: (f: Focused) => boolean, step: string, key = 'Tab', max = 40): Promise<Focused> {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press(key);
      // Past the last element focus leaves the page (the browser's own UI); the next Tab comes back.
      if (!(await focused(page))) {
        visited.push(`${step} (${key} ${i + 1}): left the page`);
        continue;
      }
      const f = await expectVisibleFocus(`${step} (${key} ${i + 1})`);
      if (match(f)) return f;
    }
    throw new Error(`${step}: not reached after ${max} × ${key}; last stops:\n${visited.slice(-8).join('\n')}`);
  }

  /** In a radio group, arrow keys move and check; stops on the wanted value. */
  async function chooseRadio(name: string, value: string, step: string): Promise<void> {
    let f = await focused(page);
    for (let i = 0; i < 8 && !(f?.name === name && f.value === value && f.checked); i++) {
      if (f?.name === name && f.value !== value) await page.keyboard.press('ArrowDown');
      else await page.keyboard.press('Space');
      f = await expectVisibleFocus(`${step}: choosing ${value}`);
    }
    assert.ok(f?.name === name && f.value === value && f.checked, `${step}: ${name}=${value} not chosen (${describeFocus(f)})`);
  }

  const inWidget = (selector: string) => page.locator(`intake-widget ${selector}`);

  test('launcher → chat → send → form → submit → My requests → rate, keyboard only, focus always visible', async () => {
    // Tab from the top of the page to the launcher; Enter opens the panel on the composer.
    await pressUntil((f) => f.part.includes('launcher'), 'launcher');
    await screenshot(page, 'keyboard-1-launcher');
    await page.keyboard.press('Enter');
    await waitFor(async () => (await focused(page))?.tag === 'textarea', { timeout: 20000, message: 'composer focused on open' });
    await expectVisibleFocus('composer');

    // Type and send a chat message with Enter.
    const question = 'When is the rubbish collected on Garden Road?';
    await page.keyboard.type(question);
    await page.keyboard.press('Enter');
    await waitFor(async () => (await inWidget('[part~="message-resident"] [part~="bubble"]').allTextContents()).includes(question), { timeout: 20000, message: 'message shown' });
    await waitFor(async () => (await inWidget('[part~="message-resident"] [data-state="sent"], [part~="message-resident"] [data-state="read"]').count()) >= 1, { timeout: 20000, message: 'message sent' });
    await screenshot(page, 'keyboard-2-chat-sent');

    // Back to the tab list, then the arrow key to Form.
    await pressUntil((f) => f.role === 'tab' && f.id === 'tab-chat', 'chat tab', 'Shift+Tab');
    await page.keyboard.press('ArrowRight');
    const formTab = await expectVisibleFocus('form tab');
    assert.equal(formTab.id, 'tab-form');
    assert.equal(await page.locator('intake-widget').evaluate((w) => w.shadowRoot!.querySelector('#tab-form')!.getAttribute('aria-selected')), 'true');

    // Kind: complaint.
    await pressUntil((f) => f.name === 'kind', 'kind');
    await chooseRadio('kind', 'complaint', 'kind');
    await pressUntil((f) => f.type === 'submit', 'continue (kind)');
    await page.keyboard.press('Enter');

    // Service: search, then choose rubbish collection.
    await pressUntil((f) => f.id === 'service-search', 'service search');
    await page.keyboard.type('rubbish');
    const result = await pressUntil((f) => f.name === 'service', 'service');
    assert.equal(result.value, 'rubbish-collection', 'the one result of the search');
    // Space, Tab, Enter with no pause between them, as a fast typist does (issue 15, item 6):
    // the checked radio is the choice, never "Choose what your request is about".
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await waitFor(async () => (await inWidget('form[data-step="details"]').count()) === 1, { message: 'details step after Space, Tab, Enter' }).catch(async (error: Error) => {
      throw new Error(`${error.message}; the form says: ${(await inWidget('.error-summary').allTextContents()).join(' ').replace(/\s+/g, ' ').trim() || 'nothing'}`);
    });

    // Details: description, place and the kind of waste.
    await pressUntil((f) => f.id === 'f-description', 'description');
    await page.keyboard.type('The bins on Garden Road have not been emptied since Monday.');
    await pressUntil((f) => f.id === 'f-fields-location', 'location');
    await page.keyboard.type('12 Garden Road');
    await pressUntil((f) => f.name === 'bin_type', 'kind of waste');
    await chooseRadio('bin_type', 'household', 'kind of waste');
    await screenshot(page, 'keyboard-3-form-details');
    await pressUntil((f) => f.type === 'submit', 'continue (details)');
    await page.keyboard.press('Enter');

    // Contact: anonymous, consent, continue; then check and send.
    await pressUntil((f) => f.name === 'contact', 'contact');
    await chooseRadio('contact', 'anonymous', 'contact');
    await pressUntil((f) => f.id === 'f-consent', 'consent');
    await page.keyboard.press('Space');
    await pressUntil((f) => f.type === 'submit', 'continue (contact)');
    await page.keyboard.press('Enter');
    await inWidget('.summary-list').waitFor({ timeout: 15000 });
    await pressUntil((f) => f.type === 'submit', 'send request');
    await page.keyboard.press('Enter');
    await inWidget('.reference-number').waitFor({ timeout: 20000 });
    const reference = (await inWidget('.reference-number').innerText()).trim();
    // The reference's own format is the server's (checked in its tests); here: a readable code.
    assert.match(reference, /^[A-Z]+-[A-Z0-9-]+$/);
    await expectVisibleFocus('confirmation');
    await screenshot(page, 'keyboard-4-form-sent');

    // To My requests through the confirmation's button.
    await pressUntil((f) => f.tag === 'button' && /My requests/.test(f.text), 'follow in My requests');
    await page.keyboard.press('Enter');
    // Focus lands on the request's heading in My requests (or on the tab while it loads).
    await waitFor(async () => {
      const f = await focused(page);
      return f && (f.id === 'tab-status' || f.classes.includes('detail-title')) ? f : null;
    }, { message: 'focus in My requests' }).catch(async (error: Error) => {
      throw new Error(`${error.message}: focus on ${describeFocus(await focused(page))}; ${visited.slice(-3).join(' | ')}`);
    });
    await expectVisibleFocus('My requests');
    await screenshot(page, 'keyboard-5-my-requests');

    // Staff route, reply and resolve it.
    await staff('POST', `/requests/${encodeURIComponent(reference)}/route`, { department: 'sanitation', note: 'Street team' });
    await staff('POST', `/requests/${encodeURIComponent(reference)}/reply`, { text: 'We emptied the bins this morning.' });
    await staff('POST', `/requests/${encodeURIComponent(reference)}/status`, { status: 'resolved' });

    // "Follow it" opens the request itself (focus may reach the tab first while it loads). Back to
    // the list (it reloads), open the request again and rate it.
    await inWidget('.detail-title').waitFor({ timeout: 20000 });
    await pressUntil((f) => f.classes.includes('back'), 'back to the list');
    await page.keyboard.press('Enter');
    await inWidget(`[data-reference="${reference}"]`).waitFor({ timeout: 20000 }).catch(async (error: Error) => {
      await screenshot(page, 'keyboard-debug');
      throw new Error(`${error.message}\n${visited.slice(-6).join('\n')}`);
    });
    await pressUntil((f) => f.reference === reference, 'request in the list');
    await page.keyboard.press('Enter');
    await inWidget('.rate').waitFor({ timeout: 20000 });
    await screenshot(page, 'keyboard-6-request');
    await pressUntil((f) => f.name === 'rating', 'rating');
    await chooseRadio('rating', '5', 'rating');
    await pressUntil((f) => f.name === 'resolved', 'solved?');
    await chooseRadio('resolved', 'yes', 'solved?');
    await pressUntil((f) => f.type === 'submit', 'send rating');
    await page.keyboard.press('Enter');
    await waitFor(async () => (await inWidget('.thanks').innerText()).includes('Thank you for your rating.'), { timeout: 20000, message: 'rating acknowledged' });
    await screenshot(page, 'keyboard-7-rated');

    const detail = await staff<{ feedback?: { rating: number; resolved: boolean } | null }>('GET', `/requests/${encodeURIComponent(reference)}`);
    assert.equal(detail.feedback?.rating, 5);
    assert.equal(detail.feedback?.resolved, true);
    assert.deepEqual(pageErrors, []);
  });
});
