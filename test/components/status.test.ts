import { expect, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/components/status/status.js';
import '../../src/components/widget/widget.js';
import type { IntakeStatus } from '../../src/components/status/status.component.js';
import type { IntakeWidget } from '../../src/components/widget/widget.component.js';
import type { IntakeForm } from '../../src/components/form/form.component.js';
import { mountTemplate } from './mount.js';
import { FakeClient, makeDetail, makeRequestCatalog } from '../helpers/fake-client.js';
import type { RequestDetail } from '../../src/client/protocol.js';
import { makeReference } from '../../src/client/reference.js';

const WAIT = { timeout: 8000 };

function $<T extends HTMLElement = HTMLElement>(el: HTMLElement, selector: string): T | null {
  return el.shadowRoot!.querySelector<T>(selector);
}
function $$(el: HTMLElement, selector: string): HTMLElement[] {
  return Array.from(el.shadowRoot!.querySelectorAll<HTMLElement>(selector));
}
function textOf(el: HTMLElement, selector: string): string {
  return ($(el, selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
}
function deepActive(): Element | null {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

const REF = 'GC-20250301-0001';

function withRequest(client: FakeClient, detail: RequestDetail): void {
  client.known.push({ reference: detail.reference, accessToken: 'secret', service: detail.service.id, type: detail.type, createdAt: detail.createdAt });
  client.requests.set(detail.reference, detail);
}

function replied(overrides: Partial<RequestDetail> = {}): RequestDetail {
  return makeDetail(REF, {
    status: 'resolved',
    timeline: [
      { at: '2025-03-01T02:00:00.000Z', status: 'received' },
      { at: '2025-03-01T03:00:00.000Z', status: 'routed', department: { id: 'sanitation', name: 'Sanitation Office' }, note: 'Sent to the street team' },
      { at: '2025-03-02T09:15:00.000Z', status: 'replied', department: { id: 'sanitation', name: 'Sanitation Office' } },
      { at: '2025-03-02T09:20:00.000Z', status: 'resolved' },
    ],
    replies: [{ id: 'r1', at: '2025-03-02T09:15:00.000Z', department: { id: 'sanitation', name: 'Sanitation Office' }, text: 'We emptied the bins.\n<b>Sorry</b> for the delay.' }],
    awaitingFeedback: true,
    canReopen: true,
    ...overrides,
  });
}

async function mount(client: FakeClient, attrs: { reference?: string; locale?: string } = {}): Promise<IntakeStatus> {
  const wrapper = await mountTemplate(html`<intake-status locale=${attrs.locale ?? 'en'} .client=${client} reference=${attrs.reference ?? ''}></intake-status>`);
  const el = wrapper.querySelector('intake-status')!;
  await waitUntil(() => $(el, '.body') && !$(el, '.body [role="status"].muted'), 'status ready', WAIT);
  return el;
}

async function openRequest(el: IntakeStatus, reference = REF): Promise<void> {
  await waitUntil(() => $(el, `[data-reference="${reference}"] .badge`), 'list item with status', WAIT);
  $<HTMLButtonElement>(el, `[data-reference="${reference}"]`)!.click();
  await waitUntil(() => $(el, '.detail'), 'detail shown', WAIT);
}

async function fill(el: HTMLElement, selector: string, value: string): Promise<void> {
  const input = $<HTMLInputElement>(el, selector)!;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await (el as IntakeStatus).updateComplete;
}

describe('<intake-status>', () => {
  it('empty: says nothing was sent from here and offers the lookup; accessible', async () => {
    const el = await mount(new FakeClient({ catalog: makeRequestCatalog() }));
    expect(textOf(el, '.empty')).to.contain('not sent a request from this device');
    expect($(el, '#f-lookup-reference')).to.exist;
    expect($(el, '#f-lookup-contact')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('lists requests from this browser with kind, service, department and status; the timeline has times in the locale', async () => {
    const client = new FakeClient({ catalog: makeRequestCatalog() });
    withRequest(client, replied({ awaitingFeedback: false, feedback: { rating: 5, resolved: true, at: '2025-03-02T10:00:00.000Z' } }));
    const el = await mount(client);
    await waitUntil(() => $(el, `[data-reference="${REF}"] .badge`), 'item', WAIT);
    const item = textOf(el, `[data-reference="${REF}"]`);
    for (const shown of [REF, 'Resolved', 'Complaint', 'Rubbish collection', 'Sanitation Office', 'New reply']) expect(item).to.contain(shown);
    await expect(el).to.be.accessible();
    await openRequest(el);
    await waitUntil(() => deepActive() === $(el, '.detail-title'), 'heading focused', WAIT);
    const times = $$(el, '.timeline time');
    expect(times).to.have.length(4);
    const expected = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date('2025-03-01T03:00:00.000Z'));
    expect(times[1]!.textContent).to.equal(expected);
    expect(times[1]!.getAttribute('datetime')).to.equal('2025-03-01T03:00:00.000Z');
    expect($$(el, '.timeline .what').map((w) => w.textContent)).to.deep.equal(['Received', 'Sent to a department', 'Replied', 'Resolved']);
    expect(textOf(el, '.timeline')).to.contain('Sent to the street team');
    const reply = $(el, '.reply-text')!;
    expect(reply.textContent).to.equal('We emptied the bins.\n<b>Sorry</b> for the delay.');
    expect(reply.querySelector('b'), 'staff text is text only').to.equal(null);
    expect(textOf(el, '.given')).to.contain('You rated the answer: Very satisfied. Solved.');
    expect($(el, '.rate'), 'already rated').to.equal(null);
    await waitUntil(() => (client.drafts.get('status:seen') as Record<string, number> | undefined)?.[REF] === 1, 'reply marked seen', WAIT);
    await expect(el).to.be.accessible();

    const zh = await mount(client, { locale: 'zh-CN' });
    await openRequest(zh);
    const zhTime = new Intl.DateTimeFormat('zh-CN', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date('2025-03-01T03:00:00.000Z'));
    expect($$(zh, '.timeline time')[1]!.textContent).to.equal(zhTime);
    expect(textOf(zh, '.timeline')).to.contain('已派单');
  });

  it('a reply is signed as the site configured it (office and person), else with the department', async () => {
    const client = new FakeClient({ catalog: makeRequestCatalog() });
    const department = { id: 'sanitation', name: 'Sanitation Office' };
    withRequest(client, replied({
      replies: [
        { id: 'r1', at: '2025-03-02T09:15:00.000Z', department, text: 'First.', signature: 'Sanitation Office · Wang Fang' },
        { id: 'r2', at: '2025-03-02T10:15:00.000Z', department, text: 'Second.' },
      ],
    }));
    const el = await mount(client);
    await openRequest(el);
    const metas = $$(el, '.reply-meta strong').map((s) => s.textContent);
    expect(metas).to.deep.equal(['Sanitation Office · Wang Fang', 'Sanitation Office']);
    expect($$(el, '.reply')[0]!.getAttribute('aria-label')).to.contain('Wang Fang');
    await expect(el).to.be.accessible();
  });

  it('refreshes the open request while it is shown', async () => {
    const client = new FakeClient({ catalog: makeRequestCatalog() });
    withRequest(client, makeDetail(REF, { status: 'routed' }));
    // Test files run side by side in background tabs; the view (rightly) skips polling when hidden.
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    try {
      const el = await mount(client);
      el.refreshInterval = 1000;
      await openRequest(el);
      expect(textOf(el, '.detail')).to.contain('No reply yet.');
      client.requests.set(REF, replied({ status: 'replied' }));
      await waitUntil(() => textOf(el, '.detail').includes('We emptied the bins.'), 'new reply appears', { timeout: 15000 });
      expect(textOf(el, '.facts .badge')).to.equal('Replied');
    } finally {
      delete (document as { visibilityState?: unknown }).visibilityState;
    }
  });

  it('looks a request up by reference and the phone or email given', async () => {
    const client = new FakeClient({ catalog: makeRequestCatalog() });
    client.requests.set('GC-20250101-0042', makeDetail('GC-20250101-0042', { status: 'in_progress' }));
    client.contacts.set('GC-20250101-0042', 'li@example.com');
    const el = await mount(client);
    $<HTMLButtonElement>(el, '.lookup button[type="submit"]')!.click();
    await waitUntil(() => deepActive()?.classList.contains('error-summary'), 'summary focused', WAIT);
    expect($$(el, '.error-summary a').map((a) => a.textContent!.trim())).to.deep.equal(['Enter the reference number', 'Enter the phone or email you gave']);
    await expect(el).to.be.accessible();
    ($$(el, '.error-summary a')[1] as HTMLAnchorElement).click();
    expect(deepActive()).to.equal($(el, '#f-lookup-contact'));

    await fill(el, '#f-lookup-reference', 'GC-20250101-0042');
    await fill(el, '#f-lookup-contact', 'wrong@example.com');
    $<HTMLButtonElement>(el, '.lookup button[type="submit"]')!.click();
    await waitUntil(() => textOf(el, '.error-summary').includes('No request matches'), 'not found', WAIT);
    await fill(el, '#f-lookup-contact', 'li@example.com');
    $<HTMLButtonElement>(el, '.lookup button[type="submit"]')!.click();
    await waitUntil(() => $(el, '.detail'), 'detail', WAIT);
    expect(textOf(el, '.detail-title')).to.equal('Request GC-20250101-0042');
    expect(textOf(el, '.facts')).to.contain('Being handled');
    expect(client.lookups.at(-1)).to.deep.equal({ reference: 'GC-20250101-0042', contact: 'li@example.com' });
  });

  it('reads a reference typed any way, sends its one spelling, and says at once when a character is wrong', async () => {
    const reference = makeReference('GC', new Uint8Array([7, 18, 23, 2, 20, 9, 29, 13]));
    const client = new FakeClient({ catalog: makeRequestCatalog() });
    client.requests.set(reference, makeDetail(reference, { status: 'in_progress' }));
    client.contacts.set(reference, '13800138000');
    client.requests.set('GC-20250101-0042', makeDetail('GC-20250101-0042', { status: 'routed' }));
    client.contacts.set('GC-20250101-0042', '13800138000');
    const el = await mount(client);
    const submit = () => $<HTMLButtonElement>(el, '.lookup button[type="submit"]')!.click();

    // One character wrong: a clear message at once, nothing sent, the typed text kept.
    const body = reference.slice(3).replaceAll('-', '');
    const typo = `gc ${body.slice(0, 7)}${body[7] === '9' ? '8' : '9'}${body.slice(8)}`;
    await fill(el, '#f-lookup-reference', typo);
    await fill(el, '#f-lookup-contact', '13800138000');
    submit();
    await waitUntil(() => textOf(el, '.error-summary').includes('Check the reference number'), 'check message', WAIT);
    expect(client.lookups).to.have.length(0);
    expect($<HTMLInputElement>(el, '#f-lookup-reference')!.value).to.equal(typo);
    expect($(el, '#f-lookup-reference')!.getAttribute('aria-invalid')).to.equal('true');
    await expect(el).to.be.accessible();

    // Lower case, full width, spaces, no dashes: found, by its canonical form, shown as such.
    const fullWidth = [...body.toLowerCase()].map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).join('');
    await fill(el, '#f-lookup-reference', ` ｇｃ ${fullWidth} `);
    submit();
    await waitUntil(() => $(el, '.detail'), 'detail', WAIT);
    expect(client.lookups.at(-1)).to.deep.equal({ reference, contact: '13800138000' });
    expect(textOf(el, '.detail-title')).to.equal(`Request ${reference}`);
    $<HTMLButtonElement>(el, '.back')!.click();
    await waitUntil(() => $(el, '#f-lookup-reference'), 'lookup again', WAIT);
    expect($<HTMLInputElement>(el, '#f-lookup-reference')!.value, 'the field shows the canonical form').to.equal(reference);

    // An old dated reference without dashes.
    await fill(el, '#f-lookup-reference', 'gc202501010042');
    submit();
    await waitUntil(() => textOf(el, '.detail-title') === 'Request GC-20250101-0042', 'old reference found', WAIT);

    // The server's own "check the reference" (422 with fields.reference) reads the same, in each language.
    client.getRequest = async () => {
      throw Object.assign(new Error('Check the reference'), { code: 'validation_failed', fields: { reference: 'Check the reference' } });
    };
    const zh = await mount(client, { locale: 'zh-CN' });
    await fill(zh, '#f-lookup-reference', 'XY-1234');
    await fill(zh, '#f-lookup-contact', '13800138000');
    $<HTMLButtonElement>(zh, '.lookup button[type="submit"]')!.click();
    await waitUntil(() => textOf(zh, '.error-summary').includes('请核对受理编号'), 'server check message, translated', WAIT);
    expect($<HTMLInputElement>(zh, '#f-lookup-reference')!.value).to.equal('XY-1234');
  });

  it('return visit: rating 1–5 and "solved?" through the outbox (offline first), then thanks', async () => {
    const client = new FakeClient({ catalog: makeRequestCatalog() });
    client.initialRequestDelivery = 'queued';
    withRequest(client, replied());
    const el = await mount(client, { reference: REF });
    await waitUntil(() => $(el, '.rate'), 'rating form', WAIT);
    expect($$(el, 'input[name="rating"]')).to.have.length(5);
    await expect(el).to.be.accessible();
    $<HTMLButtonElement>(el, '.rate button[type="submit"]')!.click();
    await waitUntil(() => deepActive()?.classList.contains('error-summary'), 'summary focused', WAIT);
    expect($$(el, '.error-summary a').map((a) => a.textContent!.trim())).to.deep.equal(['Choose a rating from 1 to 5', 'Choose whether your problem was solved']);
    await expect(el).to.be.accessible();

    client.setConnection('offline');
    $<HTMLInputElement>(el, 'input[name="rating"][value="4"]')!.click();
    $<HTMLInputElement>(el, 'input[name="resolved"][value="yes"]')!.click();
    await fill(el, '#f-comment', 'Quick and polite.');
    const rated = oneEvent(el, 'intake-feedback');
    $<HTMLButtonElement>(el, '.rate button[type="submit"]')!.click();
    expect((await rated).detail).to.deep.equal({ reference: REF, rating: 4 });
    expect(client.feedbacks.map((f) => f.feedback)).to.deep.equal([{ rating: 4, resolved: true, comment: 'Quick and polite.' }]);
    await waitUntil(() => $(el, '.thanks')?.dataset['state'] === 'queued', 'queued', WAIT);
    expect(textOf(el, '.thanks')).to.contain('will be sent when you are back online');
    expect($(el, '.rate')).to.equal(null);
    client.setConnection('online');
    client.ackItem(client.feedbacks[0]!.key, replied({ awaitingFeedback: false, feedback: { rating: 4, resolved: true, at: '2025-03-03T00:00:00.000Z' } }));
    await waitUntil(() => textOf(el, '.thanks') === 'Thank you for your rating.', 'thanks', WAIT);
    expect($(el, '.reopen')).to.equal(null);
    expect(client.feedbacks, 'sent once').to.have.length(1);
  });

  it('"not solved" offers reopening, sent through the outbox', async () => {
    const client = new FakeClient({ catalog: makeRequestCatalog() });
    withRequest(client, replied());
    const el = await mount(client);
    await openRequest(el);
    $<HTMLInputElement>(el, 'input[name="rating"][value="2"]')!.click();
    $<HTMLInputElement>(el, 'input[name="resolved"][value="no"]')!.click();
    $<HTMLButtonElement>(el, '.rate button[type="submit"]')!.click();
    await waitUntil(() => $(el, '.reopen'), 'reopen offered', WAIT);
    client.ackItem(client.feedbacks[0]!.key, replied({ awaitingFeedback: false, feedback: { rating: 2, resolved: false, at: '2025-03-03T00:00:00.000Z' } }));
    await waitUntil(() => textOf(el, '.given').includes('Not solved.'), 'feedback shown', WAIT);
    expect($(el, '.reopen')).to.exist;
    await expect(el).to.be.accessible();
    await fill(el, '#f-reopen', 'The bins are full again.');
    $<HTMLButtonElement>(el, '.reopen button[type="submit"]')!.click();
    await waitUntil(() => client.reopens.length === 1, 'reopen sent', WAIT);
    expect(client.reopens[0]).to.include({ reference: REF, reason: 'The bins are full again.' });
    client.ackItem(client.reopens[0]!.key, replied({ status: 'in_progress', awaitingFeedback: false, canReopen: false, feedback: { rating: 2, resolved: false, at: '2025-03-03T00:00:00.000Z' } }));
    await waitUntil(() => textOf(el, '.thanks').includes('sent back to be handled again'), 'reopened', WAIT);
    expect($(el, '.reopen')).to.equal(null);
    expect(textOf(el, '.facts .badge')).to.equal('Being handled');
  });
});

describe('<intake-widget> with requests', () => {
  const SITE = 'test/requests';
  afterEach(() => localStorage.removeItem(`intake-widgets:requests:${SITE}`));

  it('the launcher shows a notice for a new reply, and the Form and My requests tabs hold the real views', async () => {
    localStorage.setItem(`intake-widgets:requests:${SITE}`, '1');
    const client = new FakeClient({ catalog: makeRequestCatalog() });
    withRequest(client, replied());
    const wrapper = await mountTemplate(html`<intake-widget endpoint="https://intake.test/api/v1" site=${SITE} locale="en" .client=${client}></intake-widget>`);
    const el = wrapper.querySelector('intake-widget') as IntakeWidget;
    await waitUntil(() => $(el, '.launcher .badge[data-notice]'), 'notice on the launcher', WAIT);
    expect($(el, '.launcher')!.getAttribute('aria-label')).to.equal('Ask us, a reply to your request is waiting');

    await el.openForm({ service: 'rubbish', type: 'complaint' });
    const form = await waitUntil(() => $(el, 'intake-form'), 'form view', WAIT).then(() => $(el, 'intake-form') as IntakeForm);
    // The views load when their tab opens: wait for the element to be upgraded, then for its step.
    await waitUntil(() => form.shadowRoot?.querySelector('form')?.dataset['step'] === 'details', 'form on details', WAIT);
    await expect(el).to.be.accessible();

    await el.showStatus(REF);
    const status = $(el, 'intake-status') as IntakeStatus;
    await waitUntil(() => status.shadowRoot?.querySelector('.detail'), 'status detail', WAIT);
    await waitUntil(() => !$(el, '.launcher .badge[data-notice]') || $(el, '.launcher .badge[data-notice]')!.dataset['notice'] === 'rating', 'reply seen', WAIT);
    await expect(el).to.be.accessible();
  });
});
