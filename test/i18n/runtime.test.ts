import { expect, html, waitUntil } from '@open-wc/testing';
import type { Catalog } from '../../src/client/protocol.js';
import '../../src/components/chat/chat.js';
import type { IntakeChat } from '../../src/components/chat/chat.component.js';
import '../../src/components/widget/widget.js';
import type { IntakeWidget } from '../../src/components/widget/widget.component.js';
import { readConfig } from '../../src/config.js';
import { createApi } from '../../src/embed.js';
import { applyStrings, i18n, isLocaleLoaded, loadLocale } from '../../src/i18n/i18n.js';
import { SUPPORTED_LOCALES, type Locale } from '../../src/i18n/locale.js';
import { FakeClient } from '../helpers/fake-client.js';
import { mountTemplate } from '../components/mount.js';

const WAIT = { timeout: 8000 };

/** Counts catalogue fetches. */
class CountingClient extends FakeClient {
  catalogCalls = 0;
  override async catalog(): Promise<Catalog> {
    this.catalogCalls++;
    return super.catalog();
  }
}

function loaded(): Locale[] {
  return SUPPORTED_LOCALES.filter((l) => isLocaleLoaded(l));
}

function capture(): { errors: string[]; restore(): void } {
  const errors: string[] = [];
  const original = console.error;
  console.error = (...a: unknown[]) => errors.push(a.join(' '));
  return { errors, restore: () => (console.error = original) };
}

async function openWidget(client: FakeClient, locale = 'en', site = 'test/i18n'): Promise<IntakeWidget> {
  const wrapper = await mountTemplate(html`<intake-widget endpoint="https://intake.test/api/v1" site=${site} locale=${locale} .client=${client}></intake-widget>`);
  const el = wrapper.querySelector('intake-widget')!;
  await el.open();
  await waitUntil(() => el.shadowRoot!.querySelector('intake-chat')?.shadowRoot?.querySelector('textarea'), 'chat ready', WAIT);
  return el;
}

function chatOf(el: IntakeWidget): IntakeChat {
  return el.shadowRoot!.querySelector('intake-chat')!;
}

describe('languages at runtime', () => {
  // Runs first in this file (one page per file): nothing else has loaded a locale yet.
  it('loads only the active locale, fetches another when switched to, and every view follows', async () => {
    expect(loaded()).to.deep.equal([]);
    const client = new CountingClient();
    const el = await openWidget(client, 'en');
    expect(loaded()).to.deep.equal(['en']);
    expect(isLocaleLoaded('en', ['views']), 'a resident who only chats never loads the form’s words').to.equal(false);
    const fetchedBefore = client.catalogCalls;
    expect(fetchedBefore).to.be.greaterThan(0);
    const send = () => chatOf(el).shadowRoot!.querySelector('.send')?.textContent?.trim();
    expect(send()).to.equal('Send');

    el.setLocale('ug');
    await waitUntil(() => isLocaleLoaded('ug') && send() !== undefined && send() !== 'Send', 'chat re-rendered in ug', WAIT);
    expect(loaded()).to.deep.equal(['en', 'ug']);
    expect(send()).to.equal(i18n.getFixedT('ug')('chat.send'));
    const root = el.shadowRoot!.querySelector('.root')!;
    expect(root.getAttribute('dir')).to.equal('rtl');
    expect(root.getAttribute('lang')).to.equal('ug');
    expect(chatOf(el).getAttribute('locale')).to.equal('ug');
    expect(chatOf(el).shadowRoot!.querySelector('.chat')!.getAttribute('dir')).to.equal('rtl');
    const tabs = Array.from(el.shadowRoot!.querySelectorAll('[role="tab"]')).map((t) => t.textContent!.trim());
    expect(tabs).to.deep.equal(['chat', 'form', 'status'].map((t) => i18n.getFixedT('ug')(`widget.tab.${t}`)));
    // The catalogue is fetched again for the new language.
    await waitUntil(() => client.catalogCalls > fetchedBefore, 'catalogue re-fetched', WAIT);

    // Views not shown (form, status) speak the new language too.
    const form = el.shadowRoot!.querySelector('intake-form')!;
    expect(form.getAttribute('locale')).to.equal('ug');
    el.setLocale('zh-HK');
    await waitUntil(() => send() === '發送', 'chat in zh-HK', WAIT);
    expect(el.shadowRoot!.querySelector('.root')!.getAttribute('dir')).to.equal('ltr');
    expect(el.shadowRoot!.querySelector('intake-status')!.getAttribute('locale')).to.equal('zh-HK');
    expect(loaded()).to.deep.equal(['en', 'zh-HK', 'ug']);
    expect(SUPPORTED_LOCALES.filter((l) => isLocaleLoaded(l, ['views'])), 'no view opened: no views part').to.deep.equal([]);
  });

  it('the form’s and My requests’ words load when one of them opens, and a language switch then brings them too', async () => {
    const client = new FakeClient();
    const el = await openWidget(client, 'en', 'test/views-part');
    try {
      expect(isLocaleLoaded('en', ['views'])).to.equal(false);
      await el.openForm();
      const form = () => el.shadowRoot!.querySelector('intake-form')?.shadowRoot;
      await waitUntil(() => isLocaleLoaded('en', ['views']) && form()?.querySelector('form, .confirmation, fieldset'), 'the form in English', WAIT);
      expect(form()!.querySelector('.loading')).to.equal(null);
      expect(form()!.textContent).not.to.contain('form.', 'no untranslated key shown');
      el.setLocale('ug');
      await waitUntil(() => isLocaleLoaded('ug', ['views']) && el.shadowRoot!.querySelector('intake-form')!.getAttribute('locale') === 'ug', 'ug with its views part', WAIT);
      await waitUntil(() => !form()!.querySelector('.loading') && form()!.querySelector('form, .confirmation, fieldset'), 'the form in ug', WAIT);
      expect(form()!.textContent).not.to.contain('form.', 'no untranslated key shown');
    } finally {
      el.remove();
    }
  });

  it('IntakeWidgets.setLocale() switches the mounted widget', async () => {
    const script = document.createElement('script');
    script.setAttribute('data-endpoint', 'https://intake.test/api/v1');
    script.setAttribute('data-site', 'test/embed-locale');
    script.setAttribute('data-locale', 'en');
    const api = createApi(script);
    const widget = api.mount()!;
    try {
      await widget.updateComplete;
      expect(widget.shadowRoot!.querySelector('.label')!.textContent).to.equal('Ask us');
      await api.setLocale('zh-CN');
      expect(widget.shadowRoot!.querySelector('.label')!.textContent).to.equal('咨询·求助');
      expect(widget.shadowRoot!.querySelector('.root')!.getAttribute('lang')).to.equal('zh-CN');
    } finally {
      widget.remove();
    }
  });

  it('plurals and interpolation through i18next in every locale', async () => {
    for (const locale of SUPPORTED_LOCALES) {
      await loadLocale(locale, ['views']);
      const t = i18n.getFixedT(locale);
      for (const key of ['chat.remaining', 'form.counter.left', 'form.service.found']) {
        const one = t(key, { count: 1 });
        const many = t(key, { count: 5 });
        expect(one, `${locale} ${key}`).to.contain('1').and.not.equal(key);
        expect(many, `${locale} ${key}`).to.contain('5').and.not.equal(key);
        // i18next picks the form Intl.PluralRules names for the locale (zh: other only; en, ug: one/other).
        const rules = new Intl.PluralRules(locale);
        const raw = (n: number) => String(i18n.getResource(locale, 'translation', `${key}_${rules.select(n)}`)).replace('{{count}}', String(n));
        expect(one, `${locale} ${key}`).to.equal(raw(1));
        expect(many, `${locale} ${key}`).to.equal(raw(5));
      }
      expect(t('chat.typing', { name: 'Li' })).to.contain('Li');
    }
  });

  it('dates, times and numbers through Intl in the active locale', async () => {
    const at = '2025-03-01T02:05:00.000Z';
    const client = new FakeClient({ drafts: new Map([['chat:conversation', true]]) });
    client.historyValue = [{ id: 'm-1', seq: 1, author: 'staff', authorName: 'Office', text: 'hello', at }];
    const el = await openWidget(client, 'ug', 'test/intl');
    await waitUntil(() => chatOf(el).shadowRoot!.querySelector('.message.staff time'), 'message shown', WAIT);
    const time = chatOf(el).shadowRoot!.querySelector('.message.staff time')!;
    const shown = new Date(time.getAttribute('datetime')!);
    // Uyghur through Intl where the engine has its data; otherwise a plain 24-hour clock, never a
    // missing locale's English "AM"/"PM" (Chromium has no Uyghur data: src/components/shared/text-lang.ts).
    const hasUg = Intl.DateTimeFormat.supportedLocalesOf(['ug']).length > 0;
    const expected = hasUg
      ? new Intl.DateTimeFormat('ug', { hour: '2-digit', minute: '2-digit' }).format(shown)
      : new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(shown);
    expect(time.textContent).to.equal(expected);
    if (!hasUg) expect(time.textContent).not.to.match(/AM|PM/);
    el.setLocale('zh-CN');
    await waitUntil(() => chatOf(el).shadowRoot!.querySelector('.message.staff time')?.textContent === new Intl.DateTimeFormat('zh-CN', { hour: '2-digit', minute: '2-digit' }).format(shown), 'time in zh-CN', WAIT);
  });
});

describe('site string overrides', () => {
  it('per locale, nested: a `strings` property on the widget is laid over the catalogue', async () => {
    const client = new FakeClient();
    const wrapper = await mountTemplate(html`<intake-widget
      endpoint="https://intake.test/api/v1"
      site="test/strings"
      locale="en"
      .client=${client}
      .strings=${{ en: { chat: { send: 'Send it' } }, 'zh-CN': { chat: { send: '发出去' } } }}
    ></intake-widget>`);
    const el = wrapper.querySelector('intake-widget')!;
    await el.open();
    const send = () => chatOf(el).shadowRoot?.querySelector('.send')?.textContent?.trim();
    await waitUntil(() => send() === 'Send it', 'override shown', WAIT);
    // Other keys are untouched (deep merge), and a locale loaded later gets its overrides too.
    expect(chatOf(el).shadowRoot!.querySelector('label[for="input"]')!.textContent).to.equal('Your message');
    el.setLocale('zh-CN');
    await waitUntil(() => send() === '发出去', 'zh-CN override shown', WAIT);
  });

  it('flat form (dotted keys, every locale) on an inline view', async () => {
    const wrapper = await mountTemplate(html`<intake-chat locale="zh-HK" .client=${new FakeClient()} .strings=${{ 'chat.composerLabel': 'Ihre Frage' }}></intake-chat>`);
    const chat = wrapper.querySelector('intake-chat')!;
    await waitUntil(() => chat.shadowRoot!.querySelector('label[for="input"]')?.textContent === 'Ihre Frage', 'flat override', WAIT);
    await loadLocale('en');
    expect(i18n.getFixedT('en')('chat.composerLabel')).to.equal('Ihre Frage');
  });

  it('only text is taken; anything else is reported', () => {
    const errors: string[] = [];
    applyStrings({ 'zh-CN': { chat: { hint: 42 } } }, (m) => errors.push(m));
    applyStrings('nope', (m) => errors.push(m));
    expect(errors).to.have.length(2);
    expect(errors[0]).to.contain('chat.hint');
  });

  it('data-strings on the script tag: JSON, validated; bad JSON is reported naming data-strings and ignored', async () => {
    const good = document.createElement('script');
    good.setAttribute('data-strings', JSON.stringify({ en: { widget: { title: 'Garden Street help' } } }));
    expect(readConfig((n) => good.getAttribute(n), 'data-', () => undefined).strings).to.deep.equal({ en: { widget: { title: 'Garden Street help' } } });

    for (const bad of ['{"en": ', '[1,2]', '"text"']) {
      const errors: string[] = [];
      const script = document.createElement('script');
      script.setAttribute('data-strings', bad);
      expect(readConfig((n) => script.getAttribute(n), 'data-', (m) => errors.push(m)).strings).to.equal(undefined);
      expect(errors.some((e) => e.startsWith('data-strings')), bad).to.equal(true);
    }

    const script = document.createElement('script');
    script.setAttribute('data-endpoint', 'https://intake.test/api/v1');
    script.setAttribute('data-site', 'test/data-strings');
    script.setAttribute('data-locale', 'en');
    script.setAttribute('data-strings', '{"en": {"widget": {"title": "Garden Street help"}}}');
    const { errors, restore } = capture();
    const api = createApi(script);
    const widget = api.mount()!;
    restore();
    try {
      expect(errors).to.deep.equal([]);
      widget.client = new FakeClient();
      await widget.open();
      await waitUntil(() => widget.shadowRoot!.querySelector('#panel-title')?.textContent === 'Garden Street help', 'title overridden', WAIT);
    } finally {
      widget.remove();
    }
  });
});

describe('large text', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => localStorage.clear());

  it('a reflected attribute, a toggle in the header, passed to every view, remembered for the site', async () => {
    const el = await openWidget(new FakeClient(), 'en', 'test/large');
    const toggle = el.shadowRoot!.querySelector<HTMLButtonElement>('.large-text-toggle')!;
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
    expect(toggle.textContent!.trim()).to.equal('Large text');
    const views = () => Array.from(el.shadowRoot!.querySelectorAll('intake-chat, intake-form, intake-status'));
    expect(views()).to.have.length(3);
    for (const view of views()) expect(view.hasAttribute('large-text')).to.equal(false);

    toggle.click();
    await el.updateComplete;
    expect(el.hasAttribute('large-text')).to.equal(true);
    expect(toggle.getAttribute('aria-pressed')).to.equal('true');
    await Promise.all(views().map((v) => (v as IntakeChat).updateComplete));
    for (const view of views()) expect(view.hasAttribute('large-text'), view.tagName).to.equal(true);
    expect(localStorage.getItem('intake-widgets:large-text:test/large')).to.equal('1');

    // Another widget for the same site (the next page) starts in large text; another site does not.
    const again = await mountTemplate(html`<intake-widget endpoint="https://intake.test/api/v1" site="test/large" locale="en"></intake-widget>`);
    expect(again.querySelector('intake-widget')!.hasAttribute('large-text')).to.equal(true);
    const other = await mountTemplate(html`<intake-widget endpoint="https://intake.test/api/v1" site="test/other" locale="en"></intake-widget>`);
    expect(other.querySelector('intake-widget')!.hasAttribute('large-text')).to.equal(false);

    toggle.click();
    await el.updateComplete;
    expect(el.hasAttribute('large-text')).to.equal(false);
    expect(localStorage.getItem('intake-widgets:large-text:test/large')).to.equal('0');
    await Promise.all(views().map((v) => (v as IntakeChat).updateComplete));
    for (const view of views()) expect(view.hasAttribute('large-text')).to.equal(false);
  });

  it('the toggle label is translated', async () => {
    const el = await openWidget(new FakeClient(), 'zh-CN', 'test/large-zh');
    expect(el.shadowRoot!.querySelector('.large-text-toggle')!.textContent!.trim()).to.equal('大字');
  });
});
