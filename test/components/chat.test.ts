import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/components/chat/chat.js';
import type { IntakeChat } from '../../src/components/chat/chat.component.js';
import { mountTemplate } from './mount.js';
import { FakeClient, makeCatalog, type DraftStore } from '../helpers/fake-client.js';

const WAIT = { timeout: 8000 };

function $(el: IntakeChat, selector: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(selector);
}
function $$(el: IntakeChat, selector: string): HTMLElement[] {
  return Array.from(el.shadowRoot!.querySelectorAll<HTMLElement>(selector));
}
function textOf(el: IntakeChat, selector: string): string {
  return ($(el, selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

async function mount(client: FakeClient, options: { locale?: string } = {}): Promise<IntakeChat> {
  const el = await fixture<IntakeChat>(html`<intake-chat locale=${options.locale ?? 'en'} .client=${client}></intake-chat>`);
  await waitUntil(() => $(el, 'textarea') && el.shadowRoot!.textContent!.includes('Garden Community'), 'chat ready', WAIT);
  return el;
}

async function type(el: IntakeChat, text: string): Promise<void> {
  const input = $(el, 'textarea') as HTMLTextAreaElement;
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await el.updateComplete;
}

function pressEnter(el: IntakeChat, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true, ...init });
  $(el, 'textarea')!.dispatchEvent(event);
  return event;
}

describe('<intake-chat>', () => {
  it('inline: greets with the site name and reply promise from the catalogue, and is accessible', async () => {
    const client = new FakeClient();
    const el = await mount(client);
    expect(textOf(el, '.greeting')).to.contain('This is Garden Community');
    expect(textOf(el, '.greeting')).to.contain('We reply within 2 working days.');
    expect($(el, '[role="log"]')).to.exist;
    expect($(el, 'h2')!.textContent).to.contain('Garden Community');
    expect(client.conversationsStarted, 'the conversation starts with the first message').to.equal(0);
    await expect(el).to.be.accessible();
  });

  it('takes endpoint and site from an enclosing <intake-widget> when it has none', async () => {
    const wrapper = await mountTemplate(html`<intake-widget endpoint="https://intake.test/api/v1" site="a/b"><intake-chat .client=${new FakeClient()}></intake-chat></intake-widget>`);
    const chat = wrapper.querySelector('intake-chat')!;
    expect((chat as unknown as { resolveOptions(): { endpoint: string; site: string } }).resolveOptions()).to.deep.equal({ endpoint: 'https://intake.test/api/v1', site: 'a/b' });
  });

  it('sending: Enter sends, the message shows "Sending…", then "Sent" and "Read"', async () => {
    const client = new FakeClient();
    const el = await mount(client);
    await type(el, '  The rubbish was not collected  ');
    const sent = oneEvent(el, 'intake-message-sent');
    const enter = pressEnter(el);
    expect(enter.defaultPrevented).to.equal(true);
    const event = await sent;
    expect(client.sent.map((m) => m.text)).to.deep.equal(['The rubbish was not collected']);
    expect(event.detail.clientId).to.equal(client.sent[0]!.clientId);
    await waitUntil(() => $(el, '.message.resident .delivery')?.dataset['state'] === 'sending', 'sending shown', WAIT);
    expect(textOf(el, '.message.resident .delivery')).to.equal('Sending…');
    expect(($(el, 'textarea') as HTMLTextAreaElement).value).to.equal('');
    await expect(el).to.be.accessible();

    const stored = client.ack(client.sent[0]!.clientId);
    await waitUntil(() => textOf(el, '.message.resident .delivery') === 'Sent', 'sent shown', WAIT);
    client.push({ type: 'message', seq: stored.seq, at: stored.at, message: stored });
    client.push({ type: 'read', seq: 9, at: stored.at, by: 'staff', upTo: stored.seq });
    await waitUntil(() => textOf(el, '.message.resident .delivery') === 'Read', 'read shown', WAIT);
    expect($$(el, '.message.resident')).to.have.length(1);
  });

  it('Shift+Enter and Enter during IME composition do not send', async () => {
    const client = new FakeClient();
    const el = await mount(client);
    await type(el, '你好');
    expect(pressEnter(el, { shiftKey: true }).defaultPrevented).to.equal(false);
    expect(pressEnter(el, { isComposing: true }).defaultPrevented).to.equal(false);
    expect(client.sent).to.have.length(0);
  });

  it('failed-will-retry: shows the state and "Retry now" calls the outbox', async () => {
    const client = new FakeClient();
    client.initialDelivery = 'queued';
    const el = await mount(client);
    await type(el, 'Is the library open on Sunday?');
    pressEnter(el);
    await waitUntil(() => client.sent.length === 1, 'sent', WAIT);
    const key = client.sent[0]!.clientId;
    client.setDelivery(key, 'retrying');
    await waitUntil(() => $(el, '.retry'), 'retry button', WAIT);
    expect(textOf(el, '.message.resident .delivery')).to.equal('Not sent yet, will retry');
    await expect(el).to.be.accessible();
    ($(el, '.retry') as HTMLButtonElement).click();
    expect(client.retried).to.deep.equal([key]);
  });

  it('failed for good: shows "Not sent" and reports intake-error', async () => {
    const client = new FakeClient();
    const el = await mount(client);
    await type(el, 'Hello');
    pressEnter(el);
    await waitUntil(() => client.sent.length === 1, 'sent', WAIT);
    const error = oneEvent(el, 'intake-error');
    client.fail(client.sent[0]!.clientId);
    expect((await error).detail.code).to.equal('validation_failed');
    await waitUntil(() => textOf(el, '.message.resident .delivery') === 'Not sent', 'failed shown', WAIT);
  });

  it('keeps the text when the outbox cannot take it', async () => {
    const client = new FakeClient();
    client.sendError = Object.assign(new Error('quota'), { code: 'storage' });
    const el = await mount(client);
    await type(el, 'Please keep me');
    pressEnter(el);
    await waitUntil(() => textOf(el, '.banner').includes('could not be saved'), 'problem shown', WAIT);
    expect(($(el, 'textarea') as HTMLTextAreaElement).value).to.equal('Please keep me');
  });

  it('offline: a quiet banner, and messages still go to the outbox', async () => {
    const client = new FakeClient();
    const el = await mount(client);
    client.setConnection('offline');
    await waitUntil(() => !$(el, '.banner')!.hidden, 'banner', WAIT);
    expect(textOf(el, '.banner')).to.contain('You are offline');
    expect($(el, '.banner')!.getAttribute('role')).to.equal('status');
    await type(el, 'Sent while offline');
    client.initialDelivery = 'queued';
    pressEnter(el);
    await waitUntil(() => textOf(el, '.message.resident .delivery') === 'Waiting to send', 'queued', WAIT);
    await expect(el).to.be.accessible();
    client.setConnection('reconnecting');
    await waitUntil(() => textOf(el, '.banner').includes('Reconnecting'), 'reconnecting', WAIT);
    client.setConnection('online');
    await waitUntil(() => $(el, '.banner')!.hidden, 'banner hidden', WAIT);
  });

  it('no staff on duty: says so, still takes the message and shows the reply promise', async () => {
    const client = new FakeClient({ catalog: makeCatalog({ capabilities: { staffOnDuty: false } }), staffOnDuty: false });
    const el = await mount(client);
    expect(textOf(el, '.no-staff')).to.contain('No one is on duty');
    await type(el, 'Broken street light on Elm Road');
    pressEnter(el);
    await waitUntil(() => textOf(el, '.notice').includes('We have your message. We reply within 2 working days.'), 'promise after send', WAIT);
    expect(client.sent).to.have.length(1);
    await expect(el).to.be.accessible();
    // A backend that acknowledges on its own: its note replaces the widget's, the resident reads one.
    await waitUntil(() => client.subscribers === 1, 'subscribed', WAIT);
    const at = new Date().toISOString();
    client.push({ type: 'message', seq: 90, at, message: { id: 'ack-1', seq: 90, clientId: null, author: 'system', text: 'Received: we reply within 2 working days.', at, attachments: [] } });
    await waitUntil(() => textOf(el, '.message.system .bubble') === 'Received: we reply within 2 working days.', 'the backend note', WAIT);
    expect(textOf(el, '[role="log"]')).not.to.contain('We have your message');
    expect($$(el, '.message.system')).to.have.length(1);
  });

  it('keeps the latest message in sight when the log gets smaller, unless the resident scrolled up', async () => {
    const client = new FakeClient();
    const el = await mount(client);
    el.style.setProperty('--intake-chat-height', '600px');
    await type(el, 'First');
    pressEnter(el);
    await waitUntil(() => client.subscribers === 1, 'subscribed', WAIT);
    for (let i = 0; i < 30; i++) client.staffSays(`Answer line ${i}`);
    const log = $(el, '[role="log"]')!;
    await waitUntil(() => $$(el, '.message.staff').length === 30 && log.scrollHeight > log.clientHeight * 2, 'a long log', WAIT);
    const atEnd = () => log.scrollHeight - log.scrollTop - log.clientHeight < 2;
    await waitUntil(atEnd, 'at the end after new messages', WAIT);
    // The on-screen keyboard takes half the height: the last message stays in sight.
    el.style.setProperty('--intake-chat-height', '300px');
    await waitUntil(() => log.clientHeight < 300, 'smaller', WAIT);
    await waitUntil(atEnd, 'still at the end after the resize', WAIT);
    // Scrolled up to read: a resize leaves the reader where they are.
    log.scrollTop = 0;
    log.dispatchEvent(new Event('scroll'));
    el.style.setProperty('--intake-chat-height', '500px');
    await waitUntil(() => log.clientHeight > 300, 'taller', WAIT);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    expect(log.scrollTop).to.equal(0);
  });

  it('typing both ways: shows staff typing; tells the server while the resident types', async () => {
    const client = new FakeClient();
    const el = await mount(client);
    await type(el, 'First');
    pressEnter(el);
    await waitUntil(() => client.subscribers === 1, 'subscribed', WAIT);
    client.push({ type: 'typing', author: 'staff', typing: true });
    await waitUntil(() => textOf(el, '.typing') === 'Staff is typing…', 'typing shown', WAIT);
    await expect(el).to.be.accessible();
    await type(el, 'Second message');
    expect(client.typing).to.deep.equal([true]);
    const message = client.staffSays('We are on it.');
    await waitUntil(() => textOf(el, '.typing') === '', 'typing cleared by the message', WAIT);
    expect(textOf(el, '.message.staff .sender')).to.equal('Housing Bureau');
    expect(textOf(el, '.message.staff .bubble')).to.equal('We are on it.');
    expect(message.id).to.be.a('string');
  });

  it('fires intake-message-received and shows routing and closing notices', async () => {
    const client = new FakeClient();
    const el = await mount(client);
    await type(el, 'Hi');
    pressEnter(el);
    await waitUntil(() => client.subscribers === 1, 'subscribed', WAIT);
    const received = oneEvent(el, 'intake-message-received');
    const message = client.staffSays('Hello from staff');
    expect((await received).detail.id).to.equal(message.id);
    client.push({ type: 'routed', seq: 50, at: new Date().toISOString(), department: { id: 'housing', name: 'Housing Bureau' } });
    client.push({ type: 'closed', seq: 51, at: new Date().toISOString() });
    await waitUntil(() => $$(el, '.notice').length === 2, 'notices', WAIT);
    expect(textOf(el, '.notice')).to.equal('Notice: Your question was passed to Housing Bureau.');
  });

  it('history: after a reload the conversation comes back from the server, and the draft too', async () => {
    const drafts: DraftStore = new Map();
    const first = new FakeClient({ drafts });
    const el = await mount(first);
    await type(el, 'Sent before reload');
    pressEnter(el);
    await waitUntil(() => first.sent.length === 1, 'sent', WAIT);
    await type(el, 'half-typed draft');
    await waitUntil(() => drafts.get('chat:draft') === 'half-typed draft', 'draft saved', WAIT);
    el.remove();

    const second = new FakeClient({ drafts });
    second.historyValue = [
      { id: 'm-1', seq: 1, clientId: 'c-1', author: 'resident', text: 'Sent before reload', at: new Date().toISOString(), delivery: 'sent' },
      { id: 'm-2', seq: 2, author: 'staff', authorName: 'Street Office', text: 'Answer from staff', at: new Date().toISOString() },
      { id: 'routed-3', seq: 3, author: 'system', text: '', at: new Date().toISOString(), routedTo: 'Housing Bureau' },
    ];
    const again = await mount(second);
    await waitUntil(() => $$(again, '.message').length === 3, 'history shown', WAIT);
    expect(textOf(again, '.notice'), 'where the question went is still shown after the reload').to.equal('Notice: Your question was passed to Housing Bureau.');
    expect(second.conversationsStarted).to.equal(1);
    expect(($(again, 'textarea') as HTMLTextAreaElement).value).to.equal('half-typed draft');
    expect(textOf(again, '.message.staff .bubble')).to.equal('Answer from staff');
  });

  it('instant answers: debounced, the previous query aborted, and the resident can still send', async () => {
    const client = new FakeClient();
    client.answersResult = [{ id: 'a1', question: 'When is rubbish collected?', answer: 'Every Tuesday. See https://city.example/rubbish.', url: 'https://city.example/rubbish', score: 0.9 }];
    const el = await mount(client);
    await type(el, 'ru');
    await type(el, 'rubb');
    await type(el, 'rubbish');
    await waitUntil(() => $(el, '.answers'), 'answers shown', WAIT);
    expect(client.answerQueries).to.deep.equal(['rubbish']);
    expect(textOf(el, '.answers h3')).to.equal('These may answer your question');
    await expect(el).to.be.accessible();
    await type(el, 'rubbish bins');
    await type(el, 'rubbish bins are full');
    await waitUntil(() => client.answerQueries.length === 2, 'second query', WAIT);
    pressEnter(el);
    await waitUntil(() => client.sent.length === 1 && !$(el, '.answers'), 'sent and answers cleared', WAIT);
  });

  it('character limit: a counter; text over the limit is kept whole, said to be too long, and not sent', async () => {
    const client = new FakeClient({ catalog: makeCatalog({ messageMax: 20 }) });
    const el = await mount(client);
    await type(el, 'abcdefghijklmnopqrs');
    const input = $(el, 'textarea') as HTMLTextAreaElement;
    expect(textOf(el, '.counter')).to.equal('19 / 20');
    expect(textOf(el, '#remaining')).to.equal('1 character left');
    expect($(el, '.counter')!.classList.contains('near')).to.equal(true);
    // A paste longer than the limit: nothing is cut off (no maxlength), the resident is told.
    expect(input.maxLength).to.equal(-1);
    await type(el, 'abcdefghijklmnopqrstuvw');
    expect(input.value).to.equal('abcdefghijklmnopqrstuvw');
    expect(textOf(el, '#remaining')).to.equal('You have 3 characters too many');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(($(el, '.send') as HTMLButtonElement).disabled).to.equal(true);
    pressEnter(el);
    await el.updateComplete;
    expect(client.sent).to.have.length(0);
    expect(input.value, 'still there after Enter').to.equal('abcdefghijklmnopqrstuvw');
    await type(el, 'abcdefghijklmnopqrst');
    pressEnter(el);
    await waitUntil(() => client.sent.length === 1, 'sent once short enough', WAIT);
  });

  it('renders text as text: only http(s), mailto and tel become links, with rel="noopener noreferrer"', async () => {
    const client = new FakeClient();
    const el = await mount(client);
    await type(el, 'x');
    pressEnter(el);
    await waitUntil(() => client.subscribers === 1, 'subscribed', WAIT);
    client.staffSays('See https://gov.example/a?b=1, call tel:+861012345 or mail mailto:help@gov.example. Not javascript:alert(1) <b>bold</b> <img src=x onerror=alert(1)>');
    await waitUntil(() => $(el, '.message.staff'), 'message', WAIT);
    const links = $$(el, '.message.staff a') as HTMLAnchorElement[];
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal(['https://gov.example/a?b=1', 'tel:+861012345', 'mailto:help@gov.example']);
    for (const a of links) expect(a.rel).to.equal('noopener noreferrer');
    const bubble = $(el, '.message.staff .bubble')!;
    expect(bubble.querySelector('b, img')).to.equal(null);
    expect(bubble.textContent).to.contain('<img src=x onerror=alert(1)>');
    expect(bubble.textContent).to.contain('javascript:alert(1)');
  });

  it('without chat in the backend, says so and offers no composer', async () => {
    const client = new FakeClient({ catalog: makeCatalog({ capabilities: { chat: false } }) });
    const el = await fixture<IntakeChat>(html`<intake-chat locale="en" .client=${client}></intake-chat>`);
    await waitUntil(() => $(el, '.unavailable'), 'unavailable', WAIT);
    expect($(el, 'textarea')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('speaks zh-CN by default and is accessible in dark theme', async () => {
    const client = new FakeClient();
    const el = await fixture<IntakeChat>(html`<intake-chat locale="zh-CN" theme="dark" .client=${client}></intake-chat>`);
    await waitUntil(() => $(el, 'textarea'), 'ready', WAIT);
    expect(textOf(el, '.send')).to.equal('发送');
    await expect(el).to.be.accessible();
  });
});
