// My requests keeps every rating (issue 15, item 4): the timeline shows each rating in plain words
// in the resident's language, and after a reopen and a new answer the resident rates again.
import { expect, html, waitUntil } from '@open-wc/testing';
import '../../src/components/status/status.js';
import type { IntakeStatus } from '../../src/components/status/status.component.js';
import { mountTemplate } from './mount.js';
import { FakeClient, makeDetail, makeRequestCatalog } from '../helpers/fake-client.js';
import type { RequestDetail } from '../../src/client/protocol.js';

const WAIT = { timeout: 8000 };
const REF = 'GC-20250301-0002';
const SANITATION = { id: 'sanitation', name: 'Sanitation Office' };

const $ = <T extends HTMLElement = HTMLElement>(el: HTMLElement, selector: string) => el.shadowRoot!.querySelector<T>(selector);
const $$ = (el: HTMLElement, selector: string) => Array.from(el.shadowRoot!.querySelectorAll<HTMLElement>(selector));
const textOf = (node: Element | null) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

const first = { rating: 2, resolved: false, comment: 'Still <b>full</b> every evening.' };
const firstAt = '2025-03-02T12:00:00.000Z';

/** Rated 2 not solved, reopened, answered again: what the server answers before the second rating. */
function redone(overrides: Partial<RequestDetail> = {}): RequestDetail {
  return makeDetail(REF, {
    status: 'replied',
    timeline: [
      { at: '2025-03-01T02:00:00.000Z', status: 'received' },
      { at: '2025-03-01T03:00:00.000Z', status: 'routed', department: SANITATION },
      { at: '2025-03-02T09:15:00.000Z', status: 'replied', department: SANITATION },
      { at: firstAt, status: 'replied', note: '市民评价：2/5，未解决。Still <b>full</b> every evening.', feedback: first },
      { at: '2025-03-02T12:05:00.000Z', status: 'in_progress', department: SANITATION, note: 'Reopened: the resident says it is not solved (earlier rating 2/5)' },
      { at: '2025-03-03T08:00:00.000Z', status: 'replied', department: SANITATION },
    ],
    replies: [
      { id: 'r1', at: '2025-03-02T09:15:00.000Z', department: SANITATION, text: 'We emptied the bins.' },
      { id: 'r2', at: '2025-03-03T08:00:00.000Z', department: SANITATION, text: 'Collection is now twice a day.' },
    ],
    feedback: { ...first, at: firstAt },
    feedbackHistory: [{ ...first, at: firstAt }],
    awaitingFeedback: true,
    canReopen: true,
    ...overrides,
  });
}

async function mount(client: FakeClient, locale = 'en'): Promise<IntakeStatus> {
  client.known.push({ reference: REF, accessToken: 'secret', service: 'rubbish', type: 'complaint', createdAt: '2025-03-01T02:00:00.000Z' });
  const wrapper = await mountTemplate(html`<intake-status locale=${locale} .client=${client} reference=${REF}></intake-status>`);
  const el = wrapper.querySelector('intake-status')!;
  await waitUntil(() => $(el, '.detail .timeline'), 'detail shown', WAIT);
  return el;
}

describe('<intake-status> ratings', () => {
  it('the timeline shows each rating as its own entry in plain words, the comment as text', async () => {
    const client = new FakeClient({ catalog: makeRequestCatalog() });
    client.requests.set(REF, redone());
    const el = await mount(client);
    const entries = $$(el, '.timeline li');
    expect(entries).to.have.length(6);
    const rating = entries[3]!;
    expect(rating.classList.contains('rating'), 'a rating entry').to.equal(true);
    expect(textOf(rating.querySelector('.what'))).to.equal('Your rating: Dissatisfied');
    expect(textOf(rating.querySelector('.who'))).to.equal('Not solved.');
    expect(textOf(rating.querySelector('.note'))).to.equal('Your comment: Still <b>full</b> every evening.');
    expect(rating.querySelector('b'), 'the comment is text, not markup').to.equal(null);
    expect(textOf(rating), "the server's note in its own language is not shown beside it").not.to.contain('市民评价');
    expect(rating.querySelector('time')?.getAttribute('datetime')).to.equal(firstAt);
    await expect(el).to.be.accessible();
  });

  it('says it in every locale', async () => {
    const words: Record<string, [string, string, string]> = {
      'zh-CN': ['您的评价：不满意', '问题未解决。', '您的意见：'],
      'zh-HK': ['您的評價：不滿意', '問題未解決。', '您的意見：'],
      ug: ['باھايىڭىز: نارازى', 'ھەل بولمىدى.', 'پىكرىڭىز:'],
    };
    for (const [locale, [what, verdict, comment]] of Object.entries(words)) {
      const client = new FakeClient({ catalog: makeRequestCatalog() });
      client.requests.set(REF, redone());
      const el = await mount(client, locale);
      await waitUntil(() => textOf($(el, '.timeline li.rating .what')) === what, `${locale}: ${what}`, WAIT);
      expect(textOf($(el, '.timeline li.rating .who'))).to.equal(verdict);
      expect(textOf($(el, '.timeline li.rating .note')).startsWith(comment), `${locale} comment label`).to.equal(true);
      el.parentElement!.remove();
    }
  });

  it('after a reopen and a new answer: asks for a new rating, empty, and keeps the earlier one in the timeline', async () => {
    const client = new FakeClient({ catalog: makeRequestCatalog() });
    client.requests.set(REF, redone());
    const el = await mount(client);
    await waitUntil(() => $(el, '.rate'), 'the new answer can be rated', WAIT);
    expect(textOf($(el, '.rate'))).to.contain('handled again');
    expect($(el, '.given'), 'the earlier rating is not shown as the answer to this one').to.equal(null);
    expect($(el, '.reopen'), 'rate first, then reopen if need be').to.equal(null);
    expect($$(el, 'input[name="rating"]').some((i) => (i as HTMLInputElement).checked)).to.equal(false);

    $<HTMLInputElement>(el, 'input[name="rating"][value="5"]')!.click();
    $<HTMLInputElement>(el, 'input[name="resolved"][value="yes"]')!.click();
    $<HTMLButtonElement>(el, '.rate button[type="submit"]')!.click();
    await waitUntil(() => client.feedbacks.length === 1, 'second rating sent', WAIT);
    expect(client.feedbacks[0]!.feedback).to.deep.equal({ rating: 5, resolved: true });
    const secondAt = '2025-03-03T09:00:00.000Z';
    const after = redone({
      status: 'resolved',
      timeline: [...redone().timeline, { at: secondAt, status: 'replied', feedback: { rating: 5, resolved: true } }, { at: secondAt, status: 'resolved' }],
      feedback: { rating: 5, resolved: true, at: secondAt },
      feedbackHistory: [{ ...first, at: firstAt }, { rating: 5, resolved: true, at: secondAt }],
      awaitingFeedback: false,
      canReopen: false,
    });
    client.ackItem(client.feedbacks[0]!.key, after);
    await waitUntil(() => textOf($(el, '.given')).includes('Very satisfied'), 'the latest rating shown', WAIT);
    expect($$(el, '.timeline li.rating .what').map(textOf)).to.deep.equal(['Your rating: Dissatisfied', 'Your rating: Very satisfied']);
    expect($(el, '.rate')).to.equal(null);
    expect($(el, '.reopen')).to.equal(null);
  });

  it('a reopen starts the next rating from an empty form', async () => {
    const client = new FakeClient({ catalog: makeRequestCatalog() });
    const answered = redone({ timeline: redone().timeline.slice(0, 3), feedback: null, feedbackHistory: [], awaitingFeedback: true });
    client.requests.set(REF, answered);
    const el = await mount(client);
    await waitUntil(() => $(el, '.rate'), 'rating form', WAIT);
    $<HTMLInputElement>(el, 'input[name="rating"][value="2"]')!.click();
    $<HTMLInputElement>(el, 'input[name="resolved"][value="no"]')!.click();
    $<HTMLButtonElement>(el, '.rate button[type="submit"]')!.click();
    await waitUntil(() => client.feedbacks.length === 1, 'rating sent', WAIT);
    client.ackItem(client.feedbacks[0]!.key, redone({ timeline: redone().timeline.slice(0, 4), awaitingFeedback: false }));
    await waitUntil(() => $(el, '.reopen'), 'reopen offered', WAIT);
    $<HTMLButtonElement>(el, '.reopen button[type="submit"]')!.click();
    await waitUntil(() => client.reopens.length === 1, 'reopen sent', WAIT);
    client.ackItem(client.reopens[0]!.key, redone({ status: 'in_progress', timeline: redone().timeline.slice(0, 5), awaitingFeedback: false, canReopen: false }));
    await waitUntil(() => textOf($(el, '.thanks')).includes('sent back'), 'reopened', WAIT);
    client.requests.set(REF, redone());
    // What the view's own refresh timer does when the redo is answered.
    await (el as unknown as { refresh(): Promise<void> }).refresh();
    await waitUntil(() => $(el, '.rate'), 'the redo can be rated', WAIT);
    expect($$(el, 'input[name="rating"]').some((i) => (i as HTMLInputElement).checked), 'no earlier choice carried over').to.equal(false);
    expect($$(el, 'input[name="resolved"]').some((i) => (i as HTMLInputElement).checked)).to.equal(false);
  });
});

// Issue 17: the national five-level scale (政务服务"好差评") with "was it solved?" in every locale;
// a bad rating sent back to be redone in plain words; a rating from any device by reference + contact.
describe('<intake-status> 好差评 five levels, redo, any device', () => {
  const answeredOnce = () => redone({ timeline: redone().timeline.slice(0, 3), feedback: null, feedbackHistory: [], awaitingFeedback: true });

  it('the five levels, best first, and solved / not solved, in zh-CN, zh-HK, en and ug', async () => {
    const words: Record<string, string[]> = {
      'zh-CN': ['非常满意', '满意', '基本满意', '不满意', '非常不满意', '已解决', '未解决'],
      'zh-HK': ['非常滿意', '滿意', '基本滿意', '不滿意', '非常不滿意', '已解決', '未解決'],
      en: ['Very satisfied', 'Satisfied', 'Fairly satisfied', 'Dissatisfied', 'Very dissatisfied', 'Solved', 'Not solved'],
      ug: ['ناھايىتى رازى', 'رازى', 'ئاساسەن رازى', 'نارازى', 'ناھايىتى نارازى', 'ھەل بولدى', 'ھەل بولمىدى'],
    };
    for (const [locale, expected] of Object.entries(words)) {
      const client = new FakeClient({ catalog: makeRequestCatalog() });
      client.requests.set(REF, answeredOnce());
      const el = await mount(client, locale);
      await waitUntil(() => $(el, '.rate') && textOf($(el, '.rate .choice')) === expected[0], `${locale}: the form in its words`, WAIT);
      expect($$(el, '.rate .choice').map(textOf), locale).to.deep.equal(expected);
      expect($$(el, 'input[name="rating"]').map((i) => (i as HTMLInputElement).value), 'values 5..1').to.deep.equal(['5', '4', '3', '2', '1']);
      el.parentElement!.remove();
    }
  });

  it('a redo in the timeline says it was sent back and by when a reply is due', async () => {
    const client = new FakeClient({ catalog: makeRequestCatalog() });
    const due = '2025-03-07T12:00:00.000Z';
    client.requests.set(REF, redone({
      status: 'in_progress',
      timeline: [...redone().timeline.slice(0, 4), { at: firstAt, status: 'in_progress', department: SANITATION, note: '根据您的评价，已退回承办单位重新办理', step: { code: 'redo', which: 'reply', due } }],
      awaitingFeedback: false,
      canReopen: false,
    }));
    const el = await mount(client);
    const step = $(el, '.timeline li.step-redo');
    expect(step, 'a redo entry').to.not.equal(null);
    expect(textOf(step!.querySelector('.what'))).to.match(/^Sent back to the office to be redone after your rating: a reply is due by .*2025/);
    expect(textOf(step), "not the server's note in another language").not.to.contain('退回');
    await expect(el).to.be.accessible();
  });

  it('looked up by reference and contact on another device: rated there, the contact sent with it', async () => {
    const client = new FakeClient({ catalog: makeRequestCatalog() });
    client.requests.set(REF, answeredOnce());
    client.contacts.set(REF, '13800000000');
    const wrapper = await mountTemplate(html`<intake-status locale="en" .client=${client}></intake-status>`);
    const el = wrapper.querySelector('intake-status')!;
    await waitUntil(() => $(el, '#f-lookup-reference'), 'lookup form', WAIT);
    const type = (selector: string, value: string) => {
      const input = $<HTMLInputElement>(el, selector)!;
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    };
    type('#f-lookup-reference', REF);
    type('#f-lookup-contact', '13800000000');
    $<HTMLButtonElement>(el, '.lookup button[type="submit"]')!.click();
    await waitUntil(() => $(el, '.rate'), 'the rating form, not "rate on the other device"', WAIT);
    expect(textOf($(el, '.detail'))).not.to.contain('device you sent the request from');
    $<HTMLInputElement>(el, 'input[name="rating"][value="4"]')!.click();
    $<HTMLInputElement>(el, 'input[name="resolved"][value="yes"]')!.click();
    $<HTMLButtonElement>(el, '.rate button[type="submit"]')!.click();
    await waitUntil(() => client.feedbacks.length === 1, 'rating sent', WAIT);
    expect(client.feedbacks[0]).to.deep.include({ reference: REF, contact: '13800000000', feedback: { rating: 4, resolved: true } });
    await expect(el).to.be.accessible();
  });
});
