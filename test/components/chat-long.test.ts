/**
 * A long conversation: the log shows the latest entries and brings back earlier ones on request
 * (the log stays `role="log"` and is busy while they are added, so nothing old is announced as
 * new), and typing in the composer does not touch the message list.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/components/chat/chat.js';
import type { IntakeChat } from '../../src/components/chat/chat.component.js';
import type { ChatMessage } from '../../src/client/types.js';
import { FakeClient, type DraftStore } from '../helpers/fake-client.js';

const WAIT = { timeout: 8000 };
const $ = (el: IntakeChat, s: string) => el.shadowRoot!.querySelector<HTMLElement>(s);
const $$ = (el: IntakeChat, s: string) => Array.from(el.shadowRoot!.querySelectorAll<HTMLElement>(s));

function history(count: number): ChatMessage[] {
  const at = new Date().toISOString();
  return Array.from({ length: count }, (_, i): ChatMessage =>
    i % 3 === 2
      ? { id: `m-${i + 1}`, seq: i + 1, author: 'staff', authorName: 'Street Office', text: `Answer ${i + 1}`, at }
      : { id: `m-${i + 1}`, seq: i + 1, clientId: `c-${i + 1}`, author: 'resident', text: `Question ${i + 1}`, at, delivery: 'sent' },
  );
}

async function mountLong(count: number): Promise<{ el: IntakeChat; client: FakeClient }> {
  const drafts: DraftStore = new Map([['chat:conversation', true]]);
  const client = new FakeClient({ drafts });
  client.historyValue = history(count);
  const el = await fixture<IntakeChat>(html`<intake-chat locale="en" .client=${client}></intake-chat>`);
  await waitUntil(() => $$(el, '.message').length > 0, 'history shown', WAIT);
  return { el, client };
}

describe('<intake-chat> with a long conversation', () => {
  it('shows the latest messages, and earlier ones on request, keeping the log a log', async () => {
    const { el } = await mountLong(150);
    const shown = $$(el, '.message').length;
    expect(shown).to.be.greaterThan(10).and.lessThan(150);
    expect($$(el, '.message').at(-1)!.textContent).to.contain('Answer 150');
    const log = $(el, '[role="log"]')!;
    const earlier = log.querySelector<HTMLButtonElement>('button.earlier')!;
    expect(earlier, 'a "show earlier messages" button inside the log').to.exist;
    expect(earlier.textContent).to.contain(String(150 - shown));
    earlier.click();
    await waitUntil(() => $$(el, '.message').length === shown * 2, 'a page more shown', WAIT);
    expect(log.hasAttribute('aria-busy'), 'busy only while adding').to.equal(false);
    expect($$(el, '.message').at(-1)!.textContent).to.contain('Answer 150');
    while ($(el, 'button.earlier')) {
      $(el, 'button.earlier')!.click();
      await el.updateComplete;
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    expect($$(el, '.message')).to.have.length(150);
    expect($$(el, '.message')[0]!.textContent).to.contain('Question 1');
    await expect(el).to.be.accessible();
  });

  it('typing does not re-render the list, and the draft is kept', async () => {
    const { el } = await mountLong(300);
    const before = $$(el, '.message .bubble');
    const texts = before.map((b) => b.textContent);
    const observer = new MutationObserver(() => undefined);
    observer.observe($(el, '[role="log"]')!, { subtree: true, childList: true, characterData: true, attributes: true });
    const input = $(el, 'textarea') as HTMLTextAreaElement;
    for (const text of ['H', 'He', 'Hel', 'Hell', 'Hello']) {
      input.value = text;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await el.updateComplete;
    }
    expect(observer.takeRecords(), 'no change in the log while typing').to.have.length(0);
    observer.disconnect();
    expect($$(el, '.message .bubble').map((b) => b.textContent)).to.deep.equal(texts);
    expect(input.value).to.equal('Hello');
    expect(($(el, 'button.send') as HTMLButtonElement).disabled).to.equal(false);
  });

  it('a new message arriving while earlier ones are hidden still shows at the end', async () => {
    const { el, client } = await mountLong(200);
    const input = $(el, 'textarea') as HTMLTextAreaElement;
    input.value = 'One more question';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await el.updateComplete;
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true }));
    await waitUntil(() => client.sent.length === 1, 'sent', WAIT);
    await waitUntil(() => $$(el, '.message').at(-1)!.textContent!.includes('One more question'), 'new message last', WAIT);
  });
});
