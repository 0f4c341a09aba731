/**
 * What a screen reader hears (issue 22, items 1–5): live-region additions counted inside the
 * shadow roots, the language and direction of every text, and Chromium's accessibility tree
 * through CDP (the `ax-tree` command).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/components/chat/chat.js';
import type { IntakeChat } from '../../src/components/chat/chat.component.js';
import { FakeClient, makeCatalog } from '../helpers/fake-client.js';
import { LiveRecorder } from '../helpers/live-regions.js';

const WAIT = { timeout: 8000 };

function $(el: Element, selector: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(selector);
}
function textOf(el: Element, selector: string): string {
  return ($(el, selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

async function mountChat(client: FakeClient, locale = 'en'): Promise<IntakeChat> {
  const el = await fixture<IntakeChat>(html`<intake-chat locale=${locale} .client=${client}></intake-chat>`);
  await waitUntil(() => $(el, 'textarea') && $(el, '.greeting')?.textContent?.trim(), 'chat ready', WAIT);
  return el;
}

async function send(el: IntakeChat, text: string): Promise<void> {
  const input = $(el, 'textarea') as HTMLTextAreaElement;
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await el.updateComplete;
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true }));
}

/** The script a text is written in, as the test sees it. */
function scriptOf(text: string): 'zh' | 'ug' | 'en' | undefined {
  const count = (re: RegExp) => text.match(re)?.length ?? 0;
  const han = count(/\p{Script=Han}/gu);
  const arabic = count(/\p{Script=Arabic}/gu);
  const latin = count(/\p{Script=Latin}/gu);
  if (!han && !arabic && !latin) return undefined;
  if (han >= arabic && han >= latin) return 'zh';
  return arabic >= latin ? 'ug' : 'en';
}

/** Every visible text node whose nearest `lang` is not the language its script says. */
function wrongVoice(root: ShadowRoot): string[] {
  const out: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent!.trim();
    const script = scriptOf(text);
    const parent = n.parentElement;
    if (!script || !parent || parent.closest('style, [hidden]')) continue;
    const lang = parent.closest('[lang]')?.getAttribute('lang') ?? '';
    if (!lang.startsWith(script)) out.push(`${JSON.stringify(text)} in lang="${lang}"`);
  }
  return out;
}

describe('what a screen reader hears', () => {
  it('item 2: one Enter gives one acknowledgement, and the delivery state is heard when it settles', async () => {
    const client = new FakeClient({ catalog: makeCatalog({ capabilities: { staffOnDuty: false } }), staffOnDuty: false });
    const el = await mountChat(client);
    const live = new LiveRecorder(el);
    await send(el, 'The rubbish was not collected');
    await waitUntil(() => client.sent.length === 1 && $(el, '.message.resident'), 'in the log', WAIT);
    await waitUntil(() => client.subscribers === 1, 'subscribed', WAIT);
    client.ack(client.sent[0]!.clientId);
    await waitUntil(() => textOf(el, '.message.resident .delivery') === 'Sent', 'sent shown', WAIT);
    // The backend's own note, as the reference server sends it right after.
    const at = new Date().toISOString();
    client.push({ type: 'message', seq: 90, at, message: { id: 'ack-1', seq: 90, clientId: null, author: 'system', text: 'Received: we reply within 2 working days.', at, attachments: [] } });
    await waitUntil(() => textOf(el, '.message.system .bubble') === 'Received: we reply within 2 working days.', 'the backend note', WAIT);
    await el.updateComplete;
    expect(live.texts()).to.deep.equal(['Sent. We have your message. We reply within 2 working days.']);

    // A second message that fails for good: heard once, with what to do.
    await send(el, 'And the bins are broken');
    await waitUntil(() => client.sent.length === 2, 'second sent', WAIT);
    client.fail(client.sent[1]!.clientId);
    await waitUntil(() => live.heard.length === 2, 'failure heard', WAIT);
    await el.updateComplete;
    expect(live.texts()[1]).to.equal('Your message was not sent. Choose Retry now, or Edit to change it.');
    expect(live.heard).to.have.length(2);

    // A staff answer is heard once, with who said it.
    client.staffSays('We will send a truck today.');
    await waitUntil(() => live.heard.length === 3, 'staff heard', WAIT);
    await el.updateComplete;
    expect(live.texts()[2]).to.equal('Housing Bureau: We will send a truck today.');
    expect(live.heard).to.have.length(3);
    live.stop();
  });

  it('item 3: in ug, Chinese and English server text is marked by its language and isolated; times are not "PM 09:01"', async () => {
    const catalog = { ...makeCatalog({ siteName: '花园社区' }), locale: 'zh-CN' };
    const client = new FakeClient({ catalog });
    const el = await mountChat(client, 'ug');
    await send(el, 'ئەخلەت قاچان توشۇلىدۇ');
    await waitUntil(() => client.sent.length === 1 && client.subscribers === 1, 'sent', WAIT);
    client.staffSays('请问垃圾什么时候收？', '街道办');
    client.staffSays('Collection is on Monday.', 'Housing Bureau');
    await waitUntil(() => el.shadowRoot!.querySelectorAll('.message.staff').length === 2, 'staff messages', WAIT);
    await el.updateComplete;
    expect(wrongVoice(el.shadowRoot!)).to.deep.equal([]);
    const bubble = el.shadowRoot!.querySelectorAll<HTMLElement>('.message.staff .bubble')[0]!;
    expect(bubble.lang).to.equal('zh-CN');
    // Isolated: the Chinese sentence runs left to right, its "？" at its end, inside the right-to-left view.
    expect(bubble.matches(':dir(ltr)'), 'the Chinese bubble runs left to right').to.equal(true);
    expect($(el, '.chat')!.matches(':dir(rtl)')).to.equal(true);
    for (const time of Array.from(el.shadowRoot!.querySelectorAll('time'))) expect(time.textContent).to.match(/^[\d:\s٠-٩-]+$/);
  });
});
