// Issue 21, item 1: changing the language with the chat open (setLocale(), or the `locale`
// attribute, which is what frameworks set) must not touch the chat's liveness: one event stream
// stays open, and staff replies keep arriving live. The widget makes its own client here (no
// `.client`), against the fake backend (test/helpers/fake-backend.mjs), as on a real page.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/components/widget/widget.js';
import type { IntakeChat } from '../../src/components/chat/chat.component.js';
import type { IntakeWidget } from '../../src/components/widget/widget.component.js';
import { FakeBackend } from '../helpers/fake-backend.js';

const WAIT = { timeout: 10000 };

// Every EventSource the page opens, so the test can count the ones still open.
const sources = new Set<EventSource>();
const NativeEventSource = window.EventSource;
window.EventSource = class extends NativeEventSource {
  constructor(url: string | URL, init?: EventSourceInit) {
    super(url, init);
    sources.add(this);
  }
};
const openStreams = () => [...sources].filter((s) => s.readyState !== EventSource.CLOSED).length;

function chatOf(el: IntakeWidget): IntakeChat {
  return el.shadowRoot!.querySelector('intake-chat')!;
}
function staffBubbles(el: IntakeWidget): string[] {
  return [...(chatOf(el)?.shadowRoot?.querySelectorAll('.message.staff .bubble') ?? [])].map((b) => b.textContent ?? '');
}

async function chatting(name: string): Promise<{ el: IntakeWidget; fake: FakeBackend; conversation: string }> {
  const fake = await FakeBackend.create(name);
  const el = await fixture<IntakeWidget>(html`<intake-widget endpoint=${fake.endpoint} site=${`test/${name}`} locale="en" modes="chat"></intake-widget>`);
  await el.open();
  await waitUntil(() => chatOf(el)?.shadowRoot?.querySelector('textarea'), 'chat ready', WAIT);
  const box = chatOf(el).shadowRoot!.querySelector('textarea')!;
  box.value = 'Where do I take old furniture?';
  box.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await chatOf(el).updateComplete;
  chatOf(el).shadowRoot!.querySelector<HTMLButtonElement>('button.send')!.click();
  let conversation = '';
  await waitUntil(async () => {
    const state = await fake.state();
    conversation = Object.keys(state.conversations)[0] ?? '';
    return conversation && state.conversations[conversation]!.messages.some((m) => m.text === 'Where do I take old furniture?');
  }, 'message reached the backend', WAIT);
  await fake.control({ action: 'staff', conversation, text: 'Before' });
  await waitUntil(() => staffBubbles(el).includes('Before 1'), 'a staff reply before the change', WAIT);
  await waitUntil(() => openStreams() === 1, 'one event stream', WAIT);
  return { el, fake, conversation };
}

describe('a locale change with the chat open (issue 21, item 1)', () => {
  afterEach(() => {
    for (const source of sources) source.close();
    sources.clear();
  });

  it('setLocale(): the view speaks the new language and staff replies still arrive live', async () => {
    const { el, fake, conversation } = await chatting('locale-method');
    el.setLocale('zh-CN');
    await waitUntil(() => el.shadowRoot!.querySelector('[part~="launcher"]')?.textContent?.includes('咨询'), 'launcher in Chinese', WAIT);
    await fake.control({ action: 'staff', conversation, text: 'After' });
    await waitUntil(() => staffBubbles(el).includes('After 1'), 'a staff reply after setLocale() arrives live', WAIT);
    expect(openStreams()).to.equal(1);
    // And again later: the stream did not just deliver one event and stop.
    await fake.control({ action: 'staff', conversation, text: 'Later' });
    await waitUntil(() => staffBubbles(el).includes('Later 1'), 'a second reply arrives live', WAIT);
    expect(staffBubbles(el).filter((t) => t === 'Before 1')).to.have.length(1);
  });

  it('the locale attribute (what frameworks set): the same', async () => {
    const { el, fake, conversation } = await chatting('locale-attribute');
    el.setAttribute('locale', 'ug');
    await waitUntil(() => el.shadowRoot!.querySelector('.root')?.getAttribute('dir') === 'rtl', 'the widget in Uyghur', WAIT);
    await fake.control({ action: 'staff', conversation, text: 'After' });
    await waitUntil(() => staffBubbles(el).includes('After 1'), 'a staff reply after the attribute change arrives live', WAIT);
    expect(openStreams()).to.equal(1);
  });
});
