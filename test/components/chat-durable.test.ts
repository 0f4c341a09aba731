// Issue 15 in the chat view: a conversation staff closed says so once, keeps saying so after a
// reload, and offers a new conversation carrying what was typed; a message that cannot be sent is
// never stuck in the log nor lost.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/components/chat/chat.js';
import type { IntakeChat } from '../../src/components/chat/chat.component.js';
import { FakeClient, type DraftStore } from '../helpers/fake-client.js';

const WAIT = { timeout: 8000 };
const $ = (el: IntakeChat, s: string) => el.shadowRoot!.querySelector<HTMLElement>(s);
const $$ = (el: IntakeChat, s: string) => Array.from(el.shadowRoot!.querySelectorAll<HTMLElement>(s));
const textOf = (el: IntakeChat, s: string) => ($(el, s)?.textContent ?? '').replace(/\s+/g, ' ').trim();

async function mount(client: FakeClient): Promise<IntakeChat> {
  const el = await fixture<IntakeChat>(html`<intake-chat locale="en" .client=${client}></intake-chat>`);
  await waitUntil(() => $(el, 'textarea') && el.shadowRoot!.textContent!.includes('Garden Community'), 'chat ready', WAIT);
  return el;
}

async function type(el: IntakeChat, text: string): Promise<void> {
  const input = $(el, 'textarea') as HTMLTextAreaElement;
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await el.updateComplete;
}

const send = (el: IntakeChat) => ($(el, 'button.send') as HTMLButtonElement).click();
const closedNotices = (el: IntakeChat) => $$(el, '.notice').filter((n) => n.textContent!.includes('This conversation has ended.'));
const closedError = () => Object.assign(new Error('This conversation has ended'), { code: 'conversation_closed' });

describe('<intake-chat> closed and failed (issue 15)', () => {
  it('a close says so once, and the composer starts a new conversation with what was typed', async () => {
    const client = new FakeClient();
    const el = await mount(client);
    await type(el, 'Hello');
    send(el);
    await waitUntil(() => client.subscribers === 1, 'subscribed', WAIT);
    const at = new Date().toISOString();
    // The server sends both: status closed, then closed.
    client.push({ type: 'status', seq: 20, at, status: 'closed' });
    client.push({ type: 'closed', seq: 21, at });
    await waitUntil(() => closedNotices(el).length > 0, 'closed notice', WAIT);
    await el.updateComplete;
    expect(closedNotices(el)).to.have.length(1);
    expect(textOf(el, 'button.send')).to.equal('Start a new conversation');
    expect(textOf(el, '.closed-hint')).to.contain('Sending starts a new conversation');
    await expect(el).to.be.accessible();

    await type(el, 'One more question');
    send(el);
    await waitUntil(() => client.sent.length === 2, 'sent into the new conversation', WAIT);
    expect(client.forgotten).to.equal(1);
    expect(client.sent[1]!.text).to.equal('One more question');
    expect(closedNotices(el)).to.have.length(0);
    expect(textOf(el, 'button.send')).to.equal('Send');
  });

  it('after a reload the close is still said, once, and still offers a new conversation', async () => {
    const drafts: DraftStore = new Map([['chat:conversation', true]]);
    const client = new FakeClient({ drafts });
    const at = new Date().toISOString();
    client.historyValue = [
      { id: 'm-1', seq: 1, clientId: 'c-1', author: 'resident', text: 'Earlier', at, delivery: 'sent' },
      { id: 'closed-3', seq: 3, author: 'system', text: '', at, closed: true },
    ];
    const el = await mount(client);
    await waitUntil(() => closedNotices(el).length === 1, 'closed notice after the reload', WAIT);
    expect(textOf(el, 'button.send')).to.equal('Start a new conversation');
  });

  it('a message refused as conversation_closed goes back into the composer, never "Not sent / Retry" forever', async () => {
    const client = new FakeClient();
    const el = await mount(client);
    await type(el, 'Are you there?');
    send(el);
    await waitUntil(() => client.sent.length === 1, 'sent', WAIT);
    client.fail(client.sent[0]!.clientId, closedError());
    await waitUntil(() => closedNotices(el).length === 1, 'closed notice', WAIT);
    await waitUntil(() => ($(el, 'textarea') as HTMLTextAreaElement).value === 'Are you there?', 'text back in the composer', WAIT);
    expect($$(el, '.message.resident')).to.have.length(0);
    expect($(el, 'button.retry')).to.equal(null);
    expect(client.discarded).to.deep.equal([client.sent[0]!.clientId]);
    expect(textOf(el, 'button.send')).to.equal('Start a new conversation');
  });

  it('a message failed for good offers Retry and Edit; Edit puts its text back and drops it from the outbox', async () => {
    const client = new FakeClient();
    const el = await mount(client);
    await type(el, 'Refused text');
    send(el);
    await waitUntil(() => client.sent.length === 1, 'sent', WAIT);
    client.fail(client.sent[0]!.clientId);
    await waitUntil(() => $(el, 'button.edit'), 'edit offered', WAIT);
    expect($(el, 'button.retry')).to.exist;
    ($(el, 'button.edit') as HTMLButtonElement).click();
    await waitUntil(() => ($(el, 'textarea') as HTMLTextAreaElement).value === 'Refused text', 'text back', WAIT);
    expect($$(el, '.message.resident')).to.have.length(0);
    expect(client.discarded).to.deep.equal([client.sent[0]!.clientId]);
  });

  it('a conversation still queued is swapped for the real one when it exists', async () => {
    const client = new FakeClient();
    const el = await mount(client);
    await type(el, 'First');
    send(el);
    await waitUntil(() => client.sent.length === 1, 'sent', WAIT);
    const real = { id: 'conv-real', token: 't', createdAt: new Date().toISOString(), staffOnDuty: true, replyPromise: { hours: 48, text: 'x' } };
    client.dispatchEvent(new CustomEvent('conversation', { detail: { pendingId: 'conv-1', conversation: real } }));
    await waitUntil(() => (el as unknown as { conversation?: { id: string } }).conversation?.id === 'conv-real', 'swapped', WAIT);
  });
});
