/**
 * The form and My requests load only when their tab opens (their own chunk in the build; their own
 * modules here, served one by one): opening the chat loads neither, the Form tab loads the form and
 * it works, and a view whose code cannot be loaded says so in the tab, keeps what the resident typed
 * in the chat, and loads on Try again.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { IntakeChat } from '../../src/components/chat/chat.component.js';
import type { IntakeForm } from '../../src/components/form/form.component.js';
import '../../src/components/widget/widget.js';
import type { IntakeWidget } from '../../src/components/widget/widget.component.js';
import { viewLoaders } from '../../src/components/widget/widget-panel.js';
import { isLocaleLoaded, loadLocale, stringsLoaders } from '../../src/i18n/i18n.js';
import { FakeClient, makeRequestCatalog } from '../helpers/fake-client.js';
import { WAIT, next, pick, step, toStep } from '../helpers/view-driver.js';

/** The source modules of a view the page has fetched (each module is its own request here). */
function loaded(view: 'form' | 'status'): string[] {
  return performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((name) => name.includes(`/src/components/${view}/`));
}

function $(el: IntakeWidget, selector: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(selector);
}

async function mount(client: FakeClient): Promise<IntakeWidget> {
  return fixture<IntakeWidget>(html`<intake-widget endpoint="https://intake.test/api/v1" site="test/lazy" locale="en" .client=${client}></intake-widget>`);
}

async function openChat(el: IntakeWidget): Promise<IntakeChat> {
  await el.open();
  await waitUntil(() => el.shadowRoot!.querySelector('intake-chat')?.shadowRoot?.querySelector('textarea'), 'chat ready', WAIT);
  return el.shadowRoot!.querySelector('intake-chat')!;
}

describe('<intake-widget> views loaded by tab', () => {
  const original = { ...viewLoaders };
  beforeEach(() => sessionStorage.clear());
  afterEach(() => {
    Object.assign(viewLoaders, original);
    sessionStorage.clear();
  });

  // First in this file: the form's and My requests' modules are not in this page yet.
  it('opening the chat loads neither the form nor My requests; the Form tab loads the form, which works', async () => {
    performance.clearResourceTimings();
    const el = await mount(new FakeClient({ catalog: makeRequestCatalog() }));
    await openChat(el);
    expect(el.panel!.currentTab).to.equal('chat');
    expect(loaded('form'), 'form modules fetched with the chat').to.deep.equal([]);
    expect(loaded('status'), 'status modules fetched with the chat').to.deep.equal([]);
    expect(customElements.get('intake-form')).to.equal(undefined);
    expect(el.shadowRoot!.querySelector('intake-form:defined, intake-status:defined'), 'no view upgraded').to.equal(null);

    $(el, '#tab-form')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector<IntakeForm>('intake-form')?.shadowRoot?.querySelector('form'), 'form shown', WAIT);
    expect(loaded('form').length, 'form modules fetched').to.be.greaterThan(0);
    expect($(el, '#view-form')!.hasAttribute('aria-busy')).to.equal(false);
    const form = el.shadowRoot!.querySelector<IntakeForm>('intake-form')!;
    // It works: the catalogue reached it, and a kind chosen goes on to the service step.
    expect(step(form)).to.equal('kind');
    await pick(form, 'input[name="kind"][value="complaint"]');
    await next(form);
    await toStep(form, 'service');
    expect(form.shadowRoot!.querySelectorAll('input[name="service"]').length).to.be.greaterThan(0);
    // The chat is still there, with its state.
    expect(el.shadowRoot!.querySelector('intake-chat')).to.not.equal(null);
  });

  it('a view on its way: busy with a status line; when its code cannot be loaded, a translated error in its tab, the chat draft kept, Try again loads it', async () => {
    let refuse!: (error: Error) => void;
    let fail = true;
    viewLoaders.status = () => (fail ? new Promise((_resolve, reject) => (refuse = reject)) : original.status());
    const el = await mount(new FakeClient({ catalog: makeRequestCatalog() }));
    const chat = await openChat(el);
    const input = chat.shadowRoot!.querySelector('textarea')!;
    input.value = 'The street light on Garden Road is out';
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));

    $(el, '#tab-status')!.click();
    await waitUntil(() => $(el, '#view-status [role="status"]'), 'loading shown', WAIT);
    expect($(el, '#view-status')!.getAttribute('aria-busy')).to.equal('true');
    expect($(el, '#view-status [role="status"]')!.textContent).to.contain('Loading');

    const error = oneEvent(el, 'intake-error');
    refuse(new TypeError('Failed to fetch dynamically imported module'));
    expect(((await error) as CustomEvent<{ code: string }>).detail.code).to.equal('load_failed');
    await waitUntil(() => $(el, '#view-status [role="alert"]'), 'error shown', WAIT);
    expect($(el, '#view-status [role="alert"]')!.textContent).to.contain('could not be loaded');
    expect($(el, '#view-status')!.hasAttribute('aria-busy')).to.equal(false);
    expect(el.shadowRoot!.querySelector('intake-status:defined')).to.equal(null);

    // Back in the chat, what was typed is still there.
    $(el, '#tab-chat')!.click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('intake-chat')).to.equal(chat);
    expect(chat.shadowRoot!.querySelector('textarea')!.value).to.equal('The street light on Garden Road is out');

    // The tab chosen again tries again; in another language the note is translated.
    $(el, '#tab-status')!.click();
    await waitUntil(() => $(el, '#view-status [role="status"]'), 'loading again', WAIT);
    el.setAttribute('locale', 'zh-CN');
    refuse(new TypeError('Failed to fetch dynamically imported module'));
    await waitUntil(() => $(el, '#view-status [role="alert"]')?.textContent?.includes('无法加载'), 'error in zh-CN', WAIT);
    expect($(el, '#view-status .retry')!.textContent!.trim()).to.equal('重试');

    fail = false;
    $(el, '#view-status .retry')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('intake-status')?.shadowRoot?.childElementCount, 'status shown', WAIT);
    expect($(el, '#view-status [role="alert"]')).to.equal(null);
    expect(chat.shadowRoot!.querySelector('textarea')!.value).to.equal('The street light on Garden Road is out');
  });

  it('the form’s words that cannot be loaded (a language’s views part): after a switch the tab says so with Try again, and the chat is not held up', async () => {
    const original = { ug: stringsLoaders.views.ug, 'zh-HK': stringsLoaders.views['zh-HK'] };
    let fail = true;
    const refused = () => Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
    stringsLoaders.views.ug = () => (fail ? refused() : original.ug());
    stringsLoaders.views['zh-HK'] = refused;
    try {
      const el = await mount(new FakeClient({ catalog: makeRequestCatalog() }));
      const chat = await openChat(el);
      $(el, '#tab-form')!.click();
      const form = () => el.shadowRoot!.querySelector<IntakeForm>('intake-form')!.shadowRoot!;
      await waitUntil(() => form().querySelector('form'), 'the form in English', WAIT);
      const error = oneEvent(el, 'intake-error');
      el.setAttribute('locale', 'ug');
      expect(((await error) as CustomEvent<{ code: string }>).detail.code).to.equal('load_failed');
      await waitUntil(() => $(el, '#view-form [role="alert"]'), 'the tab says the form could not be loaded', WAIT);
      expect($(el, '#view-form .retry')).to.not.equal(null);
      expect(form().textContent).not.to.contain('form.', 'no untranslated key shown');

      fail = false;
      $(el, '#view-form .retry')!.click();
      await waitUntil(() => !$(el, '#view-form [role="alert"]') && form().querySelector('form'), 'the form in ug after Try again', WAIT);
      expect(form().textContent).not.to.contain('form.', 'no untranslated key shown');

      // Another language whose views part cannot load: the chat still switches to it.
      $(el, '#tab-chat')!.click();
      el.setAttribute('locale', 'zh-HK');
      await waitUntil(() => chat.shadowRoot!.querySelector('.send')?.textContent?.trim() === '發送', 'the chat in zh-HK', WAIT);
      // What the panel, the chat and <intake-ask> wait on (the core) does not fail for it; who asks for the views part hears it.
      expect(isLocaleLoaded('zh-HK', ['views'])).to.equal(false);
      await loadLocale('zh-HK');
      let refused = false;
      await loadLocale('zh-HK', ['views']).catch(() => (refused = true));
      expect(refused, 'the views part’s own loader is told').to.equal(true);
    } finally {
      Object.assign(stringsLoaders.views, original);
    }
  });
});
