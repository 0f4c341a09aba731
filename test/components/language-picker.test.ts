// Issue 18: the widget's own language picker — in the floating panel's header and on every inline
// view — each language in its own name, remembered per backend and site, changing strings,
// direction and the server's texts at once without losing what the resident typed; and server
// texts that fell back to another locale (`langs`) marked with their own `lang`.
//
// The backend is a stand-in `fetch` for https://lang.test (the elements make their own clients,
// as on a real page): its catalogue speaks the locale it is asked for, and in ug gives one
// service name untranslated (zh-CN) with `langs` saying so.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/components/widget/widget.js';
import '../../src/components/form/form.js';
import '../../src/components/chat/chat.js';
import '../../src/components/status/status.js';
import type { IntakeWidget } from '../../src/components/widget/widget.component.js';
import type { IntakeForm } from '../../src/components/form/form.component.js';
import type { IntakeChat } from '../../src/components/chat/chat.component.js';
import type { IntakeStatus } from '../../src/components/status/status.component.js';
import { forgetLanguageChoices } from '../../src/components/shared/language-choice.js';
import { resize } from '../helpers/viewport.js';
import { createApi } from '../../src/embed.js';
import '../../src/components/ask/ask.js';
import type { IntakeAsk } from '../../src/components/ask/ask.component.js';
import { IntakeTransport } from '../../src/client/transports/intake.js';

const WAIT = { timeout: 10000 };
const ORIGIN = 'https://lang.test';

type Texts = { site: string; service: string; promise: string; consent: string };
const TEXTS: Record<string, Texts> = {
  'zh-CN': { site: '花园社区', service: '垃圾清运', promise: '我们在2个工作日内答复', consent: '我同意' },
  // Not converted yet either: the zh-CN name in a zh-HK catalogue (its script alone would say zh-HK).
  'zh-HK': { site: '花園社區', service: '垃圾清运', promise: '我們在2個工作天內回覆', consent: '我同意' },
  en: { site: 'Garden Community', service: 'Rubbish collection', promise: 'We reply within 2 working days', consent: 'I agree' },
  // The city has not translated the service name: given in zh-CN, and said so.
  ug: { site: 'باغ مەھەللىسى', service: '垃圾清运', promise: '2 خىزمەت كۈنى ئىچىدە جاۋاب بېرىمىز', consent: 'قوشۇلىمەن' },
};

/** Every call the elements made to the stand-in backend (path and query). */
const calls: string[] = [];

function catalogue(locale: string): unknown {
  const t = TEXTS[locale] ?? TEXTS['zh-CN']!;
  return {
    protocol: '1',
    locale,
    site: { id: 'garden', name: t.site, parents: [], replyPromise: { hours: 16, text: t.promise }, officeHours: [] },
    capabilities: { chat: true, answers: true, attachments: false, feedback: true, staffOnDuty: true },
    requestTypes: ['consultation', 'help', 'complaint', 'suggestion'].map((id) => ({ id, label: id, description: id })),
    services: [
      {
        id: 'rubbish',
        name: t.service,
        kinds: ['consultation', 'help', 'complaint', 'suggestion'],
        fields: [],
        ...(locale === 'ug' || locale === 'zh-HK' ? { langs: { name: 'zh-CN' } } : {}),
      },
    ],
    consent: { version: '1', text: t.consent },
  };
}

const realFetch = window.fetch.bind(window);
window.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  if (url.origin !== ORIGIN) return realFetch(input, init);
  calls.push(`${url.pathname}${url.search}`);
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const path = url.pathname.replace(/^\/api\/v1/, '');
  if (path === '/catalog') {
    // The zh-HK catalogue takes a moment: the switch waits for it, then everything changes at once.
    if (url.searchParams.get('locale') === 'zh-HK') await new Promise((resolve) => setTimeout(resolve, 300));
    return json(200, catalogue(url.searchParams.get('locale') ?? 'zh-CN'));
  }
  if (path === '/answers') return json(200, { query: url.searchParams.get('q') ?? '', answers: [] });
  if (path === '/similar') return json(200, { similar: [] });
  return json(404, { error: { code: 'not_found', message: 'not here' } });
};

const endpoint = `${ORIGIN}/api/v1`;
let n = 0;
/** A site of its own per test: choices remembered by another test do not leak in. */
const newSite = () => `garden-${Date.now().toString(36)}-${n++}`;

function $(root: Element, selector: string): HTMLElement | null {
  return root.shadowRoot!.querySelector<HTMLElement>(selector);
}
function pickerOf(root: Element): HTMLSelectElement | null {
  return root.shadowRoot!.querySelector<HTMLSelectElement>('select[part~="language-picker"]');
}
function choose(select: HTMLSelectElement, locale: string): void {
  select.value = locale;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}
function catalogueCalls(locale: string): number {
  return calls.filter((c) => c.startsWith('/api/v1/catalog?') && new URLSearchParams(c.split('?')[1]).get('locale') === locale).length;
}
function settle(el: IntakeWidget): void {
  for (const animation of el.shadowRoot!.querySelector('.panel')?.getAnimations() ?? []) animation.finish();
}
function type(field: HTMLTextAreaElement | HTMLInputElement, text: string): void {
  field.value = text;
  field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

async function widget(site: string, attrs: { locale?: string; hide?: boolean; modes?: string } = {}): Promise<IntakeWidget> {
  return fixture<IntakeWidget>(html`<intake-widget
    endpoint=${endpoint}
    site=${site}
    locale=${attrs.locale ?? 'en'}
    modes=${attrs.modes ?? 'chat form status'}
    ?hide-language-picker=${attrs.hide ?? false}
  ></intake-widget>`);
}

async function openedWidget(site: string, attrs: { locale?: string; hide?: boolean; modes?: string } = {}): Promise<IntakeWidget> {
  const el = await widget(site, attrs);
  await el.open({ focus: false });
  await waitUntil(() => $(el, '.site')?.textContent?.trim(), 'catalogue in', WAIT);
  settle(el);
  return el;
}

afterEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  forgetLanguageChoices();
});

describe('language picker: the floating widget', () => {
  it('is in the header: a select named "Language", each language in its own name and lang', async () => {
    const el = await openedWidget(newSite());
    const select = pickerOf(el)!;
    expect(select, 'picker').to.exist;
    expect(select.closest('.header'), 'in the header').to.exist;
    const label = el.shadowRoot!.querySelector(`label[for="${select.id}"]`);
    expect(label?.textContent?.trim()).to.equal('Language');
    const options = [...select.options].map((o) => [o.value, o.textContent, o.lang]);
    expect(options).to.deep.equal([
      ['zh-CN', '简体中文', 'zh-CN'],
      ['zh-HK', '繁體中文（香港）', 'zh-HK'],
      ['en', 'English', 'en'],
      ['ug', 'ئۇيغۇرچە', 'ug'],
    ]);
    expect(select.value).to.equal('en');
    expect(select.getBoundingClientRect().height, 'a large touch target').to.be.at.least(44);
    await expect(el).to.be.accessible();
  });

  it('switching: strings, dir and the catalogue change, the chat composer keeps its text', async () => {
    const el = await openedWidget(newSite());
    const chat = el.shadowRoot!.querySelector<IntakeChat>('intake-chat')!;
    await waitUntil(() => chat.shadowRoot?.querySelector('textarea'), 'composer', WAIT);
    type(chat.shadowRoot!.querySelector('textarea')!, 'The bins were not emptied');
    choose(pickerOf(el)!, 'ug');
    await waitUntil(() => $(el, '.root')?.getAttribute('dir') === 'rtl', 'right to left', WAIT);
    expect($(el, '.root')!.getAttribute('lang')).to.equal('ug');
    expect($(el, '#panel-title')!.textContent).to.equal('سوئال ۋە ئىلتىماس');
    await waitUntil(() => $(el, '.site')?.textContent === TEXTS['ug']!.site, 'the site name in Uyghur', WAIT);
    expect(catalogueCalls('ug'), 'the catalogue asked for in ug').to.be.at.least(1);
    await waitUntil(() => chat.shadowRoot!.querySelector('.chat')?.getAttribute('dir') === 'rtl', 'the chat view right to left', WAIT);
    expect(chat.shadowRoot!.querySelector('textarea')!.value).to.equal('The bins were not emptied');
    expect(pickerOf(el)!.value).to.equal('ug');
    await expect(el).to.be.accessible();
  });

  it('switching waits for the new catalogue, then changes everything at once', async () => {
    const el = await openedWidget(newSite());
    choose(pickerOf(el)!, 'zh-HK');
    // The picker says the choice at once; the rest changes when the zh-HK catalogue (300 ms) is in.
    expect(pickerOf(el)!.value).to.equal('zh-HK');
    await waitUntil(() => $(el, '.root')?.getAttribute('lang') === 'zh-HK', 'in zh-HK', WAIT);
    expect($(el, '.site')!.textContent, 'the site name switched with the strings').to.equal(TEXTS['zh-HK']!.site);
    expect($(el, '.site bdi')!.getAttribute('lang')).to.equal('zh-HK');
  });

  it('the form keeps a typed description across a switch', async () => {
    const el = await widget(newSite());
    await el.openForm({ service: 'rubbish', type: 'help' });
    const form = () => el.shadowRoot!.querySelector<IntakeForm>('intake-form')!;
    await waitUntil(() => form()?.shadowRoot?.querySelector('textarea'), 'details step', WAIT);
    type(form().shadowRoot!.querySelector('textarea')!, 'Bins full since Monday');
    await form().updateComplete;
    choose(pickerOf(el)!, 'zh-CN');
    await waitUntil(() => form().shadowRoot!.querySelector('.form')?.getAttribute('lang') === 'zh-CN', 'form in zh-CN', WAIT);
    await waitUntil(() => form().shadowRoot!.querySelector('textarea'), 'details step again', WAIT);
    expect(form().shadowRoot!.querySelector('textarea')!.value).to.equal('Bins full since Monday');
    await waitUntil(() => form().shadowRoot!.textContent?.includes('垃圾清运') || form().shadowRoot!.querySelector('.muted bdi')?.textContent === '垃圾清运', 'the service name in zh-CN', WAIT);
  });

  it('the choice survives a reload for that site, and not for another', async () => {
    const site = newSite();
    const first = await openedWidget(site);
    choose(pickerOf(first)!, 'ug');
    await waitUntil(() => $(first, '.root')?.getAttribute('dir') === 'rtl', 'switched', WAIT);
    first.remove();
    forgetLanguageChoices(); // what a reload forgets: only localStorage is left
    const again = await widget(site);
    await waitUntil(() => $(again, '.root')?.getAttribute('lang') === 'ug', 'the same site starts in ug', WAIT);
    expect($(again, '[part~="launcher"]')!.textContent).to.contain('سوئال سوراڭ');
    const other = await widget(newSite());
    await other.updateComplete;
    expect($(other, '.root')!.getAttribute('lang'), 'another site keeps its locale attribute').to.equal('en');
  });

  it('storage that throws breaks nothing: the choice holds for the page', async () => {
    const setItem = Storage.prototype.setItem;
    const getItem = Storage.prototype.getItem;
    Storage.prototype.setItem = () => {
      throw new DOMException('blocked', 'SecurityError');
    };
    Storage.prototype.getItem = () => {
      throw new DOMException('blocked', 'SecurityError');
    };
    try {
      const el = await openedWidget(newSite());
      choose(pickerOf(el)!, 'zh-CN');
      await waitUntil(() => $(el, '.root')?.getAttribute('lang') === 'zh-CN', 'switched without storage', WAIT);
    } finally {
      Storage.prototype.setItem = setItem;
      Storage.prototype.getItem = getItem;
    }
  });

  it('a page switching its locale attribute later wins over an earlier choice', async () => {
    const el = await openedWidget(newSite());
    choose(pickerOf(el)!, 'ug');
    await waitUntil(() => $(el, '.root')?.getAttribute('lang') === 'ug', 'ug', WAIT);
    el.setAttribute('locale', 'zh-HK');
    await waitUntil(() => $(el, '.root')?.getAttribute('lang') === 'zh-HK', 'the page’s new language', WAIT);
  });

  it('emits nothing to the host when the language changes', async () => {
    const el = await openedWidget(newSite());
    const heard: string[] = [];
    const listen = (event: Event) => event.type.startsWith('intake-') && heard.push(event.type);
    for (const name of ['intake-open', 'intake-close', 'intake-error', 'intake-request-submitted', 'intake-message-sent', 'intake-feedback']) el.addEventListener(name, listen);
    choose(pickerOf(el)!, 'zh-CN');
    await waitUntil(() => $(el, '.site')?.textContent === TEXTS['zh-CN']!.site, 'switched', WAIT);
    expect(heard).to.deep.equal([]);
  });

  it('hide-language-picker leaves it out', async () => {
    const el = await openedWidget(newSite(), { hide: true });
    expect(pickerOf(el)).to.equal(null);
  });

  it('the script tag: data-hide-language-picker reaches the widget', async () => {
    const script = document.createElement('script');
    script.setAttribute('data-endpoint', endpoint);
    script.setAttribute('data-site', newSite());
    script.setAttribute('data-hide-language-picker', '');
    const el = createApi(script, []).mount();
    try {
      expect(el?.hasAttribute('hide-language-picker')).to.equal(true);
    } finally {
      el?.remove();
    }
  });

  it('by keyboard: Tab from the close button reaches it, arrow keys change the language', async () => {
    const el = await openedWidget(newSite());
    $(el, '.close')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement, 'the picker follows the close button').to.equal(pickerOf(el));
    await sendKeys({ press: 'ArrowDown' });
    // en → ug is the next option; an engine whose closed select opens its list on ArrowDown
    // (WebKitGTK) needs Enter to pick it.
    if (pickerOf(el)!.value === 'en') await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(el, '.root')?.getAttribute('lang') === 'ug', 'switched by keyboard', WAIT);
    expect(el.shadowRoot!.activeElement, 'focus stays on the picker').to.equal(pickerOf(el));
  });
});

describe('language picker: the inline views', () => {
  it('<intake-form>: picker beside the heading, switching keeps the draft and asks for the catalogue again', async () => {
    const site = newSite();
    const form = await fixture<IntakeForm>(html`<intake-form endpoint=${endpoint} site=${site} locale="zh-CN" service="rubbish" type="help"></intake-form>`);
    await waitUntil(() => form.shadowRoot!.querySelector('textarea'), 'details step', WAIT);
    const select = pickerOf(form)!;
    expect(select.closest('.heading'), 'in the heading').to.exist;
    expect(select.value).to.equal('zh-CN');
    type(form.shadowRoot!.querySelector('textarea')!, '垃圾桶满了');
    await form.updateComplete;
    choose(select, 'en');
    await waitUntil(() => form.shadowRoot!.querySelector('.form')?.getAttribute('lang') === 'en', 'form in English', WAIT);
    await waitUntil(() => form.shadowRoot!.querySelector('.title')?.textContent?.includes(TEXTS['en']!.site), 'the site name in English', WAIT);
    expect(catalogueCalls('en')).to.be.at.least(1);
    expect(form.shadowRoot!.querySelector('textarea')!.value).to.equal('垃圾桶满了');
    await expect(form).to.be.accessible();
  });

  it('<intake-chat>: the composer keeps its text, dir flips for ug; the choice is shared with the widget of that site', async () => {
    const site = newSite();
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <intake-chat endpoint=${endpoint} site=${site} locale="en"></intake-chat>
      <intake-widget endpoint=${endpoint} site=${site} locale="en"></intake-widget>
    </div>`);
    const chat = wrapper.querySelector<IntakeChat>('intake-chat')!;
    const el = wrapper.querySelector<IntakeWidget>('intake-widget')!;
    await waitUntil(() => chat.shadowRoot?.querySelector('textarea') && pickerOf(chat), 'chat ready', WAIT);
    type(chat.shadowRoot!.querySelector('textarea')!, 'Hello there');
    choose(pickerOf(chat)!, 'ug');
    await waitUntil(() => chat.shadowRoot!.querySelector('.chat')?.getAttribute('dir') === 'rtl', 'chat right to left', WAIT);
    expect(chat.shadowRoot!.querySelector('.chat')!.getAttribute('lang')).to.equal('ug');
    expect(chat.shadowRoot!.querySelector('textarea')!.value).to.equal('Hello there');
    await waitUntil(() => $(el, '.root')?.getAttribute('lang') === 'ug', 'the widget of the same site follows', WAIT);
    await expect(chat).to.be.accessible();
  });

  it('<intake-status>: a picker too; hide-language-picker leaves it out', async () => {
    const status = await fixture<IntakeStatus>(html`<intake-status endpoint=${endpoint} site=${newSite()} locale="en"></intake-status>`);
    await waitUntil(() => pickerOf(status), 'picker', WAIT);
    choose(pickerOf(status)!, 'zh-HK');
    await waitUntil(() => status.shadowRoot!.querySelector('.status')?.getAttribute('lang') === 'zh-HK', 'status in zh-HK', WAIT);
    await expect(status).to.be.accessible();
    const hidden = await fixture<IntakeStatus>(html`<intake-status endpoint=${endpoint} site=${newSite()} locale="en" hide-language-picker></intake-status>`);
    await hidden.updateComplete;
    expect(pickerOf(hidden)).to.equal(null);
  });
});

describe('what follows the choice besides the views', () => {
  it('<intake-ask> speaks its widget’s chosen language', async () => {
    const site = newSite();
    const wrapper = await fixture<HTMLDivElement>(html`<div>
      <intake-ask topic="rubbish" locale="en"></intake-ask>
      <intake-widget endpoint=${endpoint} site=${site} locale="en"></intake-widget>
    </div>`);
    const ask = wrapper.querySelector<IntakeAsk>('intake-ask')!;
    const el = wrapper.querySelector<IntakeWidget>('intake-widget')!;
    await waitUntil(() => ask.shadowRoot?.textContent?.includes('Ask about this'), 'in English', WAIT);
    await el.open({ focus: false });
    await waitUntil(() => pickerOf(el), 'picker', WAIT);
    choose(pickerOf(el)!, 'ug');
    await waitUntil(() => ask.shadowRoot?.textContent?.includes('بۇ ھەقتە سوراڭ'), 'the ask button in Uyghur', WAIT);
  });

  it('My requests asks for a request in the locale it speaks (GET /requests/{reference}?locale=)', async () => {
    const transport = new IntakeTransport({ endpoint, site: 'garden', locale: 'ug', timeoutMs: 5000 });
    await transport.getRequest('RS-7KQ2-M9XD-N', { accessToken: 't' }).catch(() => undefined);
    const asked = calls.filter((c) => c.startsWith('/api/v1/requests/RS-7KQ2-M9XD-N'));
    expect(asked.length).to.be.at.least(1);
    expect(new URLSearchParams(asked.at(-1)!.split('?')[1]).get('locale')).to.equal('ug');
  });
});

describe('server texts that fell back to another locale (langs)', () => {
  it('the ug catalogue’s untranslated service name carries lang="zh-CN"', async () => {
    const form = await fixture<IntakeForm>(html`<intake-form endpoint=${endpoint} site=${newSite()} locale="ug" service="rubbish" type="help"></intake-form>`);
    await waitUntil(() => form.shadowRoot!.querySelector('textarea'), 'details step', WAIT);
    const name = [...form.shadowRoot!.querySelectorAll('bdi')].find((b) => b.textContent === '垃圾清运');
    expect(name, 'the service name').to.exist;
    expect(name!.getAttribute('lang')).to.equal('zh-CN');
    const site = [...form.shadowRoot!.querySelectorAll('bdi')].find((b) => b.textContent === TEXTS['ug']!.site);
    expect(site?.getAttribute('lang'), 'a translated text in the catalogue’s own locale').to.equal('ug');
  });

  it('declared beats the script guess: a zh-CN name in a zh-HK catalogue is lang="zh-CN", the zh-HK site name zh-HK', async () => {
    const form = await fixture<IntakeForm>(html`<intake-form endpoint=${endpoint} site=${newSite()} locale="zh-HK" service="rubbish" type="help"></intake-form>`);
    await waitUntil(() => form.shadowRoot!.querySelector('textarea'), 'details step', WAIT);
    const name = [...form.shadowRoot!.querySelectorAll('bdi')].find((b) => b.textContent === '垃圾清运');
    expect(name?.getAttribute('lang')).to.equal('zh-CN');
    const site = [...form.shadowRoot!.querySelectorAll('bdi')].find((b) => b.textContent === TEXTS['zh-HK']!.site);
    expect(site?.getAttribute('lang')).to.equal('zh-HK');
  });
});

describe('the header with the picker at phone and desktop sizes', () => {
  it('a gradient header (the street portal’s): the pressed large-text toggle keeps a visible label', async () => {
    const el = await openedWidget(newSite());
    el.style.setProperty('--intake-panel-header-background', 'linear-gradient(120deg, #0b6b5d, #13896f)');
    $(el, '.large-text-toggle')!.click();
    await waitUntil(() => $(el, '.large-text-toggle')?.getAttribute('aria-pressed') === 'true', 'pressed', WAIT);
    const style = getComputedStyle($(el, '.large-text-toggle')!);
    expect(style.color, 'text and background differ').to.not.equal(style.backgroundColor);
    el.setLargeText(false);
  });

  afterEach(async () => {
    await resize(800, 600);
  });
  for (const [width, height] of [[390, 844], [1280, 800]] as const) {
    for (const locale of ['zh-CN', 'zh-HK', 'en', 'ug']) {
      it(`${width}×${height}, ${locale}: title, picker, large text and close stay inside the header, none overlapping`, async function () {
        const sized = await resize(width, height);
        const el = await openedWidget(newSite(), { locale });
        await waitUntil(() => $(el, '.root')?.getAttribute('lang') === locale && $(el, '#panel-title')?.textContent, 'in its language', WAIT);
        const header = $(el, '.header')!.getBoundingClientRect();
        const boxes = ['.titles', '.close', '.language', '.large-text-toggle'].map((s) => [s, $(el, s)!.getBoundingClientRect()] as const);
        for (const [name, box] of boxes) {
          expect(box.left, `${name} left`).to.be.at.least(header.left - 0.5);
          expect(box.right, `${name} right`).to.be.at.most(header.right + 0.5);
          expect(box.bottom, `${name} bottom`).to.be.at.most(header.bottom + 0.5);
        }
        for (const [i, [a, boxA]] of boxes.entries()) {
          for (const [b, boxB] of boxes.slice(i + 1)) {
            const overlap = boxA.left < boxB.right - 0.5 && boxB.left < boxA.right - 0.5 && boxA.top < boxB.bottom - 0.5 && boxB.top < boxA.bottom - 0.5;
            expect(overlap, `${a} and ${b} overlap`).to.equal(false);
          }
        }
        if (sized) expect(pickerOf(el)!.scrollWidth, 'the chosen name is not cut off').to.be.at.most(pickerOf(el)!.clientWidth + 1);
      });
    }
  }
});
