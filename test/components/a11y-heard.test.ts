/**
 * What a screen reader hears (issue 22, items 1–5): live-region additions counted inside the
 * shadow roots, the language and direction of every text, and Chromium's accessibility tree
 * through CDP (the `ax-tree` command).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/components/chat/chat.js';
import '../../src/components/form/form.js';
import '../../src/components/status/status.js';
import '../../src/components/widget/widget.js';
import type { IntakeWidget } from '../../src/components/widget/widget.component.js';
import type { IntakeChat } from '../../src/components/chat/chat.component.js';
import type { IntakeForm } from '../../src/components/form/form.component.js';
import { FakeClient, makeCatalog, makeDetail, makeRequestCatalog } from '../helpers/fake-client.js';
import { LiveRecorder, axTree, type AXNode } from '../helpers/live-regions.js';
import { fill, next, pick, toStep } from '../helpers/view-driver.js';
import { mountTemplate } from './mount.js';

const WAIT = { timeout: 8000 };

function $<T extends HTMLElement = HTMLElement>(el: Element, selector: string): T | null {
  return el.shadowRoot!.querySelector<T>(selector);
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
  it('item 1: an answer out of sight is heard once, politely, with where it is; the Chat tab shows it unread', async () => {
    const client = new FakeClient();
    const reference = 'GC-20250301-0001';
    const detail = makeDetail(reference, { status: 'routed' });
    client.known.push({ reference, accessToken: 'secret', service: 'rubbish', type: 'complaint', createdAt: detail.createdAt });
    client.requests.set(reference, detail);
    const el = await fixture<IntakeWidget>(html`<intake-widget endpoint="https://intake.test/api/v1" site="test/heard-1" locale="en" .client=${client}></intake-widget>`);
    // The launcher's live region is there before the panel loads.
    expect(el.shadowRoot!.querySelector('[aria-live="polite"]'), 'a live region before intent').to.exist;
    await el.open();
    const chat = () => el.shadowRoot!.querySelector('intake-chat')!;
    await waitUntil(() => chat()?.shadowRoot?.querySelector('textarea'), 'chat ready', WAIT);
    await send(chat(), 'Hello');
    await waitUntil(() => client.subscribers === 1, 'subscribed', WAIT);
    client.ack(client.sent[0]!.clientId);
    await waitUntil(() => chat().shadowRoot!.querySelector('.delivery')?.textContent === 'Sent', 'sent', WAIT);
    const live = new LiveRecorder(el);

    // Panel closed: the launcher's region says it, once.
    await el.close();
    client.staffSays('Reply one');
    await waitUntil(() => live.heard.length >= 1, 'heard with the panel closed', WAIT);
    await el.updateComplete;
    expect(live.texts()).to.deep.equal(['New message in Chat. Open “Ask us” to read it.']);

    // Open on the form: the Chat tab counts it, and the launcher's region says where it is.
    await el.open();
    $<HTMLButtonElement>(el, '#tab-form')!.click();
    await waitUntil(() => !$(el, '#view-form')!.hidden, 'form shown', WAIT);
    client.staffSays('Reply two');
    await waitUntil(() => live.heard.length >= 2, 'heard on the form tab', WAIT);
    await el.updateComplete;
    expect(live.texts()[1]).to.equal('New message in the Chat tab.');
    expect($(el, '#tab-chat')!.getAttribute('aria-label')).to.equal('Chat, 1 unread message');
    const tree = await axTree();
    if (tree) expect(tree.some((n) => n.role === 'tab' && n.name === 'Chat, 1 unread message'), 'the tab in the tree').to.equal(true);

    // My requests refreshes in its hidden tab and brings a reply: heard once, from the launcher.
    await live.watch();
    client.requests.set(reference, { ...detail, status: 'replied', replies: [{ id: 'r1', at: new Date().toISOString(), department: { id: 'sanitation', name: 'Sanitation Office' }, text: 'We emptied the bins.' }] });
    const status = el.shadowRoot!.querySelector('intake-status');
    if (status) await status.reload();
    else {
      $<HTMLButtonElement>(el, '#tab-status')!.click();
      $<HTMLButtonElement>(el, '#tab-form')!.click();
    }
    await waitUntil(() => live.heard.length >= 3, 'the reply heard', WAIT);
    await el.updateComplete;
    expect(live.texts()[2]).to.equal('A reply to your request has come. Open My requests to read it.');

    // The chat in sight says its own messages; the launcher says nothing more.
    $<HTMLButtonElement>(el, '#tab-chat')!.click();
    await waitUntil(() => !$(el, '#tab-chat')!.hasAttribute('aria-label'), 'the tab read', WAIT);
    live.watch();
    client.staffSays('Reply three');
    await waitUntil(() => live.heard.length >= 4, 'heard in the chat', WAIT);
    await el.updateComplete;
    expect(live.texts().slice(3)).to.deep.equal(['Housing Bureau: Reply three']);
    live.stop();
  });

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

  it('item 3: the form and My requests in ug mark English and Chinese server text by its language', async () => {
    // The form: service list and the "every field" details step, from an English catalogue.
    const catalog = makeRequestCatalog();
    const form = await mountForm(new FakeClient({ catalog }), 'ug');
    expect(wrongVoice(form.shadowRoot!), 'kind step').to.deep.equal([]);
    await pick(form, 'input[name="kind"][value="complaint"]');
    await next(form);
    await toStep(form, 'service');
    expect(wrongVoice(form.shadowRoot!), 'service step').to.deep.equal([]);
    await pick(form, 'input[name="service"][value="everything"]');
    await next(form);
    await toStep(form, 'details');
    expect(wrongVoice(form.shadowRoot!), 'details step').to.deep.equal([]);

    // My requests: a Chinese department, note and reply in a Uyghur view.
    const client = new FakeClient({ catalog: { ...makeCatalog({ siteName: '花园社区' }), locale: 'zh-CN' } });
    const department = { id: 'sanitation', name: '环卫所' };
    const detail = makeDetail('GC-20250301-0001', {
      status: 'replied',
      service: { id: 'rubbish', name: '垃圾清运' },
      routedTo: department,
      timeline: [
        { at: '2025-03-01T02:00:00.000Z', status: 'received' },
        { at: '2025-03-01T03:00:00.000Z', status: 'routed', department, note: '已转街道环卫组' },
      ],
      replies: [{ id: 'r1', at: '2025-03-02T13:01:00.000Z', department, text: '请问垃圾什么时候收？' }],
    });
    client.known.push({ reference: detail.reference, accessToken: 'secret', service: 'rubbish', type: 'complaint', createdAt: detail.createdAt });
    client.requests.set(detail.reference, detail);
    const wrapper = await mountTemplate(html`<intake-status locale="ug" .client=${client}></intake-status>`);
    const status = wrapper.querySelector('intake-status')!;
    await waitUntil(() => $(status, '[data-reference] .badge'), 'listed', WAIT);
    $<HTMLButtonElement>(status, '[data-reference]')!.click();
    await waitUntil(() => $(status, '.reply-text'), 'reply shown', WAIT);
    expect(wrongVoice(status.shadowRoot!), 'My requests').to.deep.equal([]);
    const reply = $(status, '.reply-text')!.firstElementChild as HTMLElement;
    expect(reply.matches(':dir(ltr)'), 'the Chinese reply runs left to right, "？" at its end').to.equal(true);
  });

  it('item 4: every required control or group says it is required in the accessibility tree', async () => {
    // The "every field" service with every field required.
    const catalog = makeRequestCatalog();
    const service = catalog.services.find((x) => x.id === 'everything')!;
    service.fields = service.fields.map((f) => (f.readOnly ? f : { ...f, required: true }));
    const el = await mountForm(new FakeClient({ catalog }));
    let tree = await axTree();
    if (tree) expect(required(tree, 'radiogroup', 'What kind of request is it?'), 'the kind radiogroup').to.equal(true);
    await pick(el, 'input[name="kind"][value="complaint"]');
    await next(el);
    await toStep(el, 'service');
    tree = await axTree();
    if (tree) expect(required(tree, 'radiogroup', 'What is it about?'), 'the service radiogroup').to.equal(true);
    await pick(el, 'input[name="service"][value="everything"]');
    await next(el);
    await toStep(el, 'details');
    tree = await axTree();
    if (!tree) return;
    const missing: string[] = [];
    for (const name of ['Describe your request', 'Title', 'Story', 'Households', 'Phone on site', 'Email for papers', 'Address or place']) {
      if (!required(tree, undefined, name)) missing.push(name);
    }
    if (!required(tree, 'radiogroup', 'Size')) missing.push('Size (radiogroup)');
    // Roles with no required state (a group of checkboxes or files; Chromium drops it for Date, DateTime and a select) say it in their name.
    for (const name of ['Days', 'Papers', 'Day', 'Moment', 'District']) if (!tree.some((n) => n.name === `${name} required`)) missing.push(`${name} (named required)`);
    // …and nothing says "invalid" before the resident has tried to continue.
    expect(tree.filter((n) => n.properties['invalid'] === 'true').map((n) => n.name), 'invalid before any error').to.deep.equal([]);
    expect(missing, 'controls not said to be required').to.deep.equal([]);
  });

  it('item 5: the focused error summary is heard with its errors; the reference number is announced', async () => {
    const client = new FakeClient({ catalog: makeRequestCatalog() });
    const el = await mountForm(client);
    await pick(el, 'input[name="kind"][value="complaint"]');
    await next(el);
    await toStep(el, 'service');
    await pick(el, 'input[name="service"][value="rubbish"]');
    await next(el);
    await toStep(el, 'details');
    await next(el);
    await waitUntil(() => (el.shadowRoot!.activeElement as HTMLElement | null)?.classList.contains('error-summary'), 'summary focused', WAIT);
    const tree = await axTree();
    if (tree) {
      const focused = tree.find((n) => n.properties['focused'] === true && n.role !== 'RootWebArea');
      expect(focused?.name).to.equal('There is a problem');
      for (const error of ['Describe your request', 'Enter Location', 'Choose Kind of waste']) expect(focused?.description, 'the summary reads its errors').to.contain(error);
    }

    await fill(el, '#f-description', 'The bins on Garden Road were not emptied this week.');
    await fill(el, '#f-fields-location', '12 Garden Road');
    await pick(el, 'input[name="bin_type"][value="o1"]');
    await next(el);
    await toStep(el, 'contact');
    await pick(el, 'input[name="contact"][value="anonymous"]');
    await pick(el, '#f-consent');
    await next(el);
    await toStep(el, 'check');
    const live = new LiveRecorder(el);
    await next(el);
    await waitUntil(() => client.submitted.length === 1, 'submitted', WAIT);
    client.ackRequest();
    await waitUntil(() => el.shadowRoot!.querySelector('.reference-number'), 'confirmation', WAIT);
    await waitUntil(() => live.texts().some((t) => t.includes('GC-20250301-0001')), 'the reference number heard', WAIT);
    expect(live.texts().filter((t) => t.includes('GC-20250301-0001'))).to.deep.equal(['Request sent. Your reference number is GC-20250301-0001.']);
  });
});

async function mountForm(client: FakeClient, locale = 'en'): Promise<IntakeForm> {
  const wrapper = await mountTemplate(html`<intake-form locale=${locale} .client=${client}></intake-form>`);
  const el = wrapper.querySelector('intake-form')!;
  await waitUntil(() => el.shadowRoot!.querySelector('form'), 'form ready', WAIT);
  return el;
}

/** The node with this role (any role when undefined) whose name starts with `name` says required. */
function required(tree: AXNode[], role: string | undefined, name: string): boolean {
  return tree.some((n) => (!role || n.role === role) && n.name.replace(/\s+/g, ' ').trim().startsWith(name) && n.properties['required'] === true);
}
