// The launcher at intent (hover, focus, pointerdown): a preconnect to the backend's origin, once
// per origin, in the document's head, and the panel on its way; nothing of either before intent.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/components/widget/widget.js';
import type { IntakeWidget } from '../../src/components/widget/widget.component.js';
import { FakeClient } from '../helpers/fake-client.js';

const WAIT = { timeout: 8000 };

const preconnects = (origin: string) =>
  [...document.head.querySelectorAll<HTMLLinkElement>('link[rel=preconnect]')].filter((link) => link.href === `${origin}/`);

function launcherOf(el: IntakeWidget): HTMLButtonElement {
  return el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="launcher"]')!;
}

async function mount(endpoint: string, site = 'test/intent'): Promise<IntakeWidget> {
  return fixture<IntakeWidget>(html`<intake-widget endpoint=${endpoint} site=${site} locale="en" .client=${new FakeClient()}></intake-widget>`);
}

describe('the launcher at intent', () => {
  afterEach(() => {
    for (const link of document.head.querySelectorAll('link[rel=preconnect]')) link.remove();
    sessionStorage.clear();
  });

  // First in this file, then the site strings: nothing here has loaded the panel or the translations yet.
  it('before hover or focus: no preconnect, no request to the backend, the panel neither loaded nor fetched', async () => {
    const origin = 'https://intake-before.test';
    const el = await mount(`${origin}/api/v1`);
    await el.updateComplete;
    expect(preconnects(origin)).to.have.length(0);
    expect(performance.getEntriesByType('resource').filter((e) => e.name.startsWith(origin))).to.have.length(0);
    expect(el.panel).to.equal(undefined);
    expect(performance.getEntriesByType('resource').filter((e) => /\/src\/components\/widget\/widget-(panel|intent)\.ts/.test(e.name))).to.have.length(0);
  });

  it('site strings before intent load nothing (not even i18next); the panel lays them over the catalogue when it comes', async () => {
    const i18n = () => performance.getEntriesByType('resource').filter((e) => /\/src\/i18n\/i18n\.ts/.test(e.name));
    expect(i18n(), 'i18next not loaded by this page yet').to.have.length(0);
    const el = await fixture<IntakeWidget>(html`<intake-widget endpoint="https://intake-strings.test/api/v1" site="test/strings-intent" locale="en"
      .client=${new FakeClient()} .strings=${{ en: { widget: { title: 'Garden Street help' } } }}></intake-widget>`);
    el.strings = { en: { widget: { title: 'Garden Street help' } } };
    await el.updateComplete;
    const intent = performance.now();
    await el.open();
    await waitUntil(() => el.shadowRoot!.querySelector('#panel-title')?.textContent === 'Garden Street help', 'title overridden', WAIT);
    // A module is fetched once per page: its one fetch began at intent, not before.
    const [entry, ...more] = i18n();
    expect(more, 'fetched once').to.have.length(0);
    expect(entry!.startTime, 'i18next asked for at intent, not with the strings').to.be.at.least(intent);
    // Changed while the panel is in: laid over at once.
    el.strings = { en: { widget: { title: 'Riverside help' } } };
    await waitUntil(() => el.shadowRoot!.querySelector('#panel-title')?.textContent === 'Riverside help', 'title changed', WAIT);
    await el.close();
  });

  it('focus: one <link rel=preconnect crossorigin> to the endpoint origin in the head, and the panel loads without opening', async () => {
    const origin = 'https://intake-focus.test';
    const el = await mount(`${origin}/api/v1`);
    launcherOf(el).dispatchEvent(new FocusEvent('focus'));
    const [link] = preconnects(origin);
    expect(link, 'preconnect added at intent').to.exist;
    expect(link!.parentElement).to.equal(document.head);
    expect(link!.getAttribute('crossorigin')).to.equal('');
    await waitUntil(() => el.panel, 'panel loaded on focus', WAIT);
    expect(el.isOpen).to.equal(false);
  });

  it('once per origin: hover after focus, and a second widget of the same backend, add none; another backend adds its own', async () => {
    const origin = 'https://intake-once.test';
    const first = await mount(`${origin}/api/v1`, 'test/once-1');
    const second = await mount(`${origin}/api/v2`, 'test/once-2');
    launcherOf(first).dispatchEvent(new FocusEvent('focus'));
    launcherOf(first).dispatchEvent(new PointerEvent('pointerenter'));
    launcherOf(second).dispatchEvent(new PointerEvent('pointerenter'));
    expect(preconnects(origin)).to.have.length(1);
    const other = 'https://intake-other.test';
    const third = await mount(`${other}/api/v1`, 'test/once-3');
    launcherOf(third).dispatchEvent(new PointerEvent('pointerenter'));
    expect(preconnects(other)).to.have.length(1);
    expect(preconnects(origin)).to.have.length(1);
  });

  it('pointerdown (a touch has no hover) starts the panel loading before the click', async () => {
    const origin = 'https://intake-touch.test';
    const el = await mount(`${origin}/api/v1`);
    launcherOf(el).dispatchEvent(new PointerEvent('pointerdown'));
    expect(preconnects(origin)).to.have.length(1);
    await waitUntil(() => el.panel, 'panel loaded on pointerdown', WAIT);
    expect(el.isOpen).to.equal(false);
  });

  it('the page own origin, or an endpoint that is not a URL: no preconnect', async () => {
    const same = await mount(`${location.origin}/api/v1`, 'test/same');
    launcherOf(same).dispatchEvent(new FocusEvent('focus'));
    const bad = await mount('not a url', 'test/bad');
    launcherOf(bad).dispatchEvent(new FocusEvent('focus'));
    expect(document.head.querySelectorAll('link[rel=preconnect]')).to.have.length(0);
  });
});
