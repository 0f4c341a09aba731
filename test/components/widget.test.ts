import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { IntakeChat } from '../../src/components/chat/chat.component.js';
import '../../src/components/widget/widget.js';
import { IntakeWidget as IntakeWidgetClass } from '../../src/components/widget/widget.component.js';
import type { IntakeWidget } from '../../src/components/widget/widget.component.js';
import { mountTemplate } from './mount.js';
import { FakeClient, makeCatalog } from '../helpers/fake-client.js';

const WAIT = { timeout: 8000 };

function $(el: IntakeWidget, selector: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(selector);
}
function chatOf(el: IntakeWidget): IntakeChat {
  return el.shadowRoot!.querySelector('intake-chat')!;
}
function deepActive(): Element | null {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

async function mount(client = new FakeClient(), attrs: { modes?: string; locale?: string; position?: string } = {}): Promise<IntakeWidget> {
  const el = await fixture<IntakeWidget>(html`<intake-widget
    endpoint="https://intake.test/api/v1"
    site="test/widget"
    locale=${attrs.locale ?? 'en'}
    modes=${attrs.modes ?? ''}
    position=${attrs.position ?? 'bottom-end'}
    .client=${client}
  ></intake-widget>`);
  return el;
}

/** setViewport is not available over WebDriver (WebKit); those checks run in Chromium and Firefox. */
async function resize(width: number, height: number): Promise<boolean> {
  try {
    await setViewport({ width, height });
    return true;
  } catch {
    return false;
  }
}

/** Finishes the opening animation so axe measures the final colours. */
function settle(el: IntakeWidget): void {
  for (const animation of el.shadowRoot!.querySelector('.panel')?.getAnimations() ?? []) animation.finish();
}

async function openAndWait(el: IntakeWidget): Promise<void> {
  await el.open();
  await waitUntil(() => chatOf(el)?.shadowRoot?.querySelector('textarea'), 'chat ready', WAIT);
  settle(el);
}

/** Types word by word: WebKitGTK's WebDriver drops all but the first space within one `type`. */
async function typeWords(text: string): Promise<void> {
  const words = text.split(' ');
  for (const [i, word] of words.entries()) {
    await sendKeys({ type: word });
    if (i < words.length - 1) await sendKeys({ type: ' ' });
  }
}

describe('<intake-widget>', () => {
  beforeEach(() => sessionStorage.clear());
  afterEach(async () => {
    sessionStorage.clear();
    await resize(800, 600);
  });

  it('closed: only the launcher, with its translated label; nothing else loaded before intent', async () => {
    const el = await mount();
    const launcher = $(el, '[part~="launcher"]')!;
    expect(launcher.textContent).to.contain('Ask us');
    expect(launcher.getAttribute('aria-expanded')).to.equal('false');
    expect(el.panel).to.equal(undefined);
    expect($(el, '[part~="panel"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('properties a page set before the tag was registered are kept (registration waits for the page to load)', async () => {
    // A fresh tag name: the element exists, un-upgraded, while the page (or a framework) sets it up.
    class LateWidget extends IntakeWidgetClass {}
    const el = document.createElement('intake-widget-late') as IntakeWidget;
    const client = new FakeClient();
    Object.assign(el, { endpoint: 'https://intake.test/api/v1', site: 'test/late', locale: 'en', client, largeText: true });
    document.body.append(el);
    try {
      customElements.define('intake-widget-late', LateWidget);
      await el.updateComplete;
      expect(el.client).to.equal(client);
      expect(el.getAttribute('endpoint')).to.equal('https://intake.test/api/v1');
      expect(el.hasAttribute('large-text')).to.equal(true);
      expect($(el, '.label')!.textContent).to.equal('Ask us');
      await el.open();
      expect(el.panel?.client).to.equal(client);
    } finally {
      el.remove();
    }
  });

  it('properties and attributes are one: setting either updates the launcher', async () => {
    const el = await mount();
    el.locale = 'zh-CN';
    await el.updateComplete;
    expect(el.getAttribute('locale')).to.equal('zh-CN');
    expect($(el, '.label')!.textContent).to.equal('咨询·求助');
    el.setAttribute('position', 'bottom-start');
    await el.updateComplete;
    expect(el.position).to.equal('bottom-start');
    expect($(el, '.root')!.classList.contains('bottom-start')).to.equal(true);
    el.locale = undefined;
    expect(el.hasAttribute('locale')).to.equal(false);
  });

  it('an update that changes nothing in the launcher writes nothing to it (no restyle of the open panel)', async () => {
    const el = await mount();
    await el.open();
    await waitUntil(() => chatOf(el), 'chat rendered', WAIT);
    await el.updateComplete;
    const records: MutationRecord[] = [];
    const observer = new MutationObserver((list) => records.push(...list));
    const root = $(el, '.root')!;
    for (const target of [root, $(el, '.launcher')!, $(el, '.label')!]) observer.observe(target, { attributes: true, childList: true, characterData: true });
    el.requestUpdate();
    await el.updateComplete;
    el.setAttribute('modes', '');
    await el.updateComplete;
    records.push(...observer.takeRecords());
    observer.disconnect();
    expect(records.map((r) => `${r.type} ${r.attributeName ?? ''} on ${(r.target as Element).className}`)).to.deep.equal([]);
  });

  it('speaks the page language before intent (zh-CN default label)', async () => {
    const el = await fixture<IntakeWidget>(html`<intake-widget endpoint="https://intake.test/api/v1" site="a" locale="zh-CN"></intake-widget>`);
    expect($(el, '.label')!.textContent).to.equal('咨询·求助');
  });

  it('hover or focus on the launcher loads the panel without opening it', async () => {
    const el = await mount();
    $(el, '.launcher')!.dispatchEvent(new FocusEvent('focus'));
    await waitUntil(() => el.panel, 'panel loaded', WAIT);
    expect(el.isOpen).to.equal(false);
    expect($(el, '[part~="panel"]')!.hidden).to.equal(true);
  });

  it('open: a non-modal dialog beside the content with tabs, placed by floating-ui, accessible', async () => {
    const client = new FakeClient();
    const el = await mount(client);
    const opened = oneEvent(el, 'intake-open');
    await openAndWait(el);
    await opened;
    const panel = $(el, '[part~="panel"]')!;
    expect(panel.getAttribute('role')).to.equal('dialog');
    expect(panel.getAttribute('aria-modal')).to.equal('false');
    expect(el.hasAttribute('open')).to.equal(true);
    expect($(el, '.launcher')!.getAttribute('aria-expanded')).to.equal('true');
    const tabs = Array.from(el.shadowRoot!.querySelectorAll('[role="tab"]')).map((t) => t.textContent!.trim());
    expect(tabs).to.deep.equal(['Chat', 'Form', 'My requests']);
    expect(el.panel!.positioning).to.equal(true);
    await waitUntil(() => panel.style.top !== '', 'positioned', WAIT);
    const launcherRect = $(el, '.launcher')!.getBoundingClientRect();
    const panelRect = panel.getBoundingClientRect();
    expect(panelRect.bottom).to.be.at.most(launcherRect.top + 1);
    expect(Math.round(panelRect.right)).to.equal(Math.round(launcherRect.right));
    await expect(el).to.be.accessible();
  });

  it('closing stops autoUpdate; so does removing the element', async () => {
    const el = await mount();
    await openAndWait(el);
    expect(el.panel!.positioning).to.equal(true);
    const closed = oneEvent(el, 'intake-close');
    await el.close();
    await closed;
    expect(el.panel!.positioning).to.equal(false);
    expect(el.hasAttribute('open')).to.equal(false);
    await el.open();
    expect(el.panel!.positioning).to.equal(true);
    const panel = el.panel!;
    el.remove();
    expect(panel.positioning).to.equal(false);
  });

  it('tabs follow modes and the backend: no chat tab without chat capability; one mode, no tab list', async () => {
    const noChat = await mount(new FakeClient({ catalog: makeCatalog({ capabilities: { chat: false } }) }));
    await noChat.open();
    await waitUntil(() => noChat.shadowRoot!.querySelectorAll('[role="tab"]').length === 2, 'two tabs', WAIT);
    settle(noChat);
    expect($(noChat, '[role="tab"][aria-selected="true"]')!.textContent!.trim()).to.equal('Form');
    await expect(noChat).to.be.accessible();

    const onlyChat = await mount(new FakeClient(), { modes: 'chat' });
    await openAndWait(onlyChat);
    expect($(onlyChat, '[role="tablist"]')).to.equal(null);
    await expect(onlyChat).to.be.accessible();
  });

  it('tabs: arrow keys move between them', async () => {
    const el = await mount();
    await openAndWait(el);
    $(el, '#tab-chat')!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => $(el, '#tab-form')!.getAttribute('aria-selected') === 'true', 'form selected', WAIT);
    expect(deepActive()).to.equal($(el, '#tab-form'));
    expect($(el, '#view-form')!.hidden).to.equal(false);
    expect($(el, '#view-chat')!.hidden).to.equal(true);
  });

  it('keyboard: Tab to the launcher, Enter opens, type and send, Escape closes, focus returns', async () => {
    const client = new FakeClient();
    const wrapper = await mountTemplate(html`
      <button id="before">before</button>
      <intake-widget endpoint="https://intake.test/api/v1" site="test/keys" locale="en" .client=${client}></intake-widget>
    `);
    const el = wrapper.querySelector('intake-widget')!;
    await el.updateComplete;
    wrapper.querySelector<HTMLButtonElement>('#before')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(deepActive()).to.equal($(el, '.launcher'));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => deepActive()?.tagName === 'TEXTAREA', 'composer focused', WAIT);
    await typeWords('Where do I renew my residence permit?');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => client.sent.length === 1, 'message sent', WAIT);
    expect(client.sent[0]!.text).to.equal('Where do I renew my residence permit?');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !el.isOpen, 'closed', WAIT);
    expect(deepActive()).to.equal($(el, '.launcher'));
  });

  it('the close button closes and returns focus to the launcher', async () => {
    const el = await mount();
    await openAndWait(el);
    $(el, '.close')!.focus();
    $(el, '.close')!.click();
    await waitUntil(() => !el.isOpen, 'closed', WAIT);
    expect(deepActive()).to.equal($(el, '.launcher'));
  });

  it('phones: a modal full-screen sheet with a focus trap and the page scroll locked', async function () {
    // WebDriver cannot resize the viewport; the phone layout is covered in Chromium and Firefox.
    if (!(await resize(390, 844))) this.skip();
    const el = await mount();
    await openAndWait(el);
    const panel = $(el, '[part~="panel"]')!;
    expect(panel.getAttribute('aria-modal')).to.equal('true');
    expect(panel.classList.contains('sheet')).to.equal(true);
    expect(el.panel!.positioning).to.equal(false);
    const rect = panel.getBoundingClientRect();
    expect(Math.round(rect.width)).to.equal(390);
    expect(document.documentElement.style.overflow).to.equal('hidden');
    await expect(el).to.be.accessible();
    // Tab from the last control wraps to the first (the close button).
    $(el, '.close')!.focus();
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expect(deepActive()?.closest('intake-widget, intake-chat') ?? deepActive()).to.not.equal(document.body);
    const active = deepActive();
    expect(active === $(el, '.close') || el.shadowRoot!.contains(active) || chatOf(el).shadowRoot!.contains(active)).to.equal(true);
    await el.close();
    expect(document.documentElement.style.overflow).to.equal('');
  });

  it('the open state survives navigation (sessionStorage)', async () => {
    const el = await mount();
    await openAndWait(el);
    el.remove();
    const again = await mount();
    await waitUntil(() => again.isOpen && again.panel, 'restored open', WAIT);
    await again.close();
    const third = await mount();
    await new Promise((r) => setTimeout(r, 50));
    expect(third.isOpen).to.equal(false);
  });

  it('startChat({topic, text}) opens the chat with the topic and text in the composer', async () => {
    const client = new FakeClient();
    const el = await mount(client);
    await el.openForm({ service: 'rubbish' });
    await waitUntil(() => $(el, '#tab-form')?.getAttribute('aria-selected') === 'true', 'form tab', WAIT);
    expect(el.panel!.formOptions).to.deep.equal({ service: 'rubbish' });
    await el.startChat({ topic: 'Rubbish collection', text: 'My bin was not emptied' });
    await waitUntil(() => (chatOf(el).shadowRoot!.querySelector('textarea') as HTMLTextAreaElement | null)?.value === 'My bin was not emptied', 'prefilled', WAIT);
    expect(chatOf(el).topic).to.equal('Rubbish collection');
    expect($(el, '#tab-chat')!.getAttribute('aria-selected')).to.equal('true');
    await el.showStatus('R-2024-1');
    await waitUntil(() => $(el, '#tab-status')!.getAttribute('aria-selected') === 'true', 'status tab', WAIT);
  });

  it('unread badge counts staff messages while closed and clears on open', async () => {
    const client = new FakeClient();
    const el = await mount(client);
    await openAndWait(el);
    const chat = chatOf(el);
    const input = chat.shadowRoot!.querySelector('textarea')!;
    input.value = 'Hello';
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await waitUntil(() => client.subscribers === 1, 'subscribed', WAIT);
    await el.close();
    const received: string[] = [];
    el.addEventListener('intake-message-received', () => received.push(`isOpen=${el.isOpen}`));
    client.staffSays('Reply one');
    await waitUntil(() => $(el, '.badge')?.textContent === '1', 'badge', WAIT).catch((error: Error) => {
      const state = { isOpen: el.isOpen, received, subscribers: client.subscribers, badge: $(el, '.badge')?.textContent, staff: chat.shadowRoot!.querySelectorAll('.message.staff').length };
      throw new Error(`${error.message} ${JSON.stringify(state)}`);
    });
    expect($(el, '.launcher')!.getAttribute('aria-label')).to.equal('Ask us, 1 unread message');
    await expect(el).to.be.accessible();
    await el.open();
    await waitUntil(() => !$(el, '.badge'), 'badge cleared', WAIT);
  });

  it('the tab the resident was on comes back with the panel on the next page of the site', async () => {
    const first = await mount();
    await openAndWait(first);
    $(first, '#tab-form')!.click();
    await waitUntil(() => $(first, '#tab-form')!.getAttribute('aria-selected') === 'true', 'form selected', WAIT);
    first.remove();
    // The next page of the same site (sessionStorage is kept across it).
    const next = await mount();
    await next.open();
    await waitUntil(() => $(next, '#tab-form')?.getAttribute('aria-selected') === 'true', 'form selected again', WAIT);
    expect($(next, '#view-form')!.hidden).to.equal(false);
  });

  it('a widget removed before the page went idle leaves the stored open state alone', async () => {
    // A late idle task of a removed widget once stored "open" for its site, and the next widget of
    // that site then reopened itself (and cleared its badge) out of the blue.
    const el = document.createElement('intake-widget') as IntakeWidget;
    el.setAttribute('endpoint', 'https://intake.test/api/v1');
    el.setAttribute('site', 'test/widget-removed');
    el.client = new FakeClient();
    el.setAttribute('open', '');
    document.body.append(el);
    el.remove();
    // After the widget's own page-ready task (an idle callback, or a timeout where there is none).
    await new Promise((resolve) => ('requestIdleCallback' in window ? requestIdleCallback(resolve, { timeout: 3000 }) : setTimeout(resolve, 20)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sessionStorage.getItem('intake-widgets:open:test/widget-removed')).to.equal(null);
  });

  it('position bottom-start and RTL mirror the launcher', async () => {
    const start = await mount(new FakeClient(), { position: 'bottom-start' });
    expect($(start, '.launcher')!.getBoundingClientRect().left).to.be.below(window.innerWidth / 2);
    const rtl = await mount(new FakeClient(), { locale: 'ug' });
    expect($(rtl, '.root')!.getAttribute('dir')).to.equal('rtl');
    expect($(rtl, '.launcher')!.getBoundingClientRect().left).to.be.below(window.innerWidth / 2);
    await openAndWait(rtl);
    await expect(rtl).to.be.accessible();
  });

  it('reports a wrong attribute value naming it and the expected form, and uses a safe default', async () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args.join(' '));
    try {
      const el = await mount(new FakeClient(), { position: 'middle', modes: 'chat fax' });
      expect(errors.some((e) => e.includes('position="middle"') && e.includes('"bottom-end"'))).to.equal(true);
      expect(errors.some((e) => e.includes('modes="chat fax"') && e.includes('chat form status'))).to.equal(true);
      expect(el.modeList).to.deep.equal(['chat']);
    } finally {
      console.error = original;
    }
  });

  it('large text and dark theme stay accessible', async () => {
    const el = await fixture<IntakeWidget>(html`<intake-widget endpoint="https://intake.test/api/v1" site="a/b" locale="en" theme="dark" large-text .client=${new FakeClient()}></intake-widget>`);
    await openAndWait(el);
    expect(parseFloat(getComputedStyle($(el, '.launcher')!).fontSize)).to.be.at.least(20);
    await expect(el).to.be.accessible();
  });

  it('a backend that cannot be reached still opens, says so and keeps the chat', async () => {
    const client = new FakeClient();
    client.catalogError = Object.assign(new Error('down'), { code: 'network' });
    const el = await mount(client);
    await el.open();
    await waitUntil(() => $(el, '.notice'), 'notice', WAIT);
    expect($(el, '.notice')!.textContent).to.contain('cannot be reached');
    expect(chatOf(el)).to.exist;
  });
});
