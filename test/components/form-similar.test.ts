/**
 * Duplicates in the form (issue 17): on the details step the form asks for open requests of the
 * chosen service at the place given and offers them as public facts with "Follow this request"
 * and "Submit a new one anyway"; following keeps the request for My requests (the client's
 * follow) and the draft as typed; filing anyway sends everything the resident typed. The
 * backend is a stand-in client.
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import '../../src/components/form/form.js';
import type { IntakeForm } from '../../src/components/form/form.component.js';
import type { FollowCreated, SimilarRequest } from '../../src/client/protocol.js';
import { mountTemplate } from './mount.js';
import { FakeClient, makeRequestCatalog } from '../helpers/fake-client.js';
import { $, WAIT, fill, next, pick, textOf, toStep } from '../helpers/view-driver.js';

const OFFER: SimilarRequest = {
  reference: 'RS-9QXF-2MDK-7',
  service: { id: 'rubbish', name: 'Rubbish collection' },
  place: { id: 'riverside/xinhua/garden', name: 'Garden Community' },
  street: 'Garden Road',
  status: 'routed',
  createdAt: new Date(Date.now() - 3 * 864e5).toISOString(),
};

/** The stand-in client with the two duplicate calls: what it was asked, what it answers. */
class DuplicatesClient extends FakeClient {
  asked: { service: string; place?: { lat?: number; lng?: number; address?: string } }[] = [];
  followedRefs: string[] = [];
  offers: SimilarRequest[] = [OFFER];
  async similar(service: string, place?: { lat?: number; lng?: number; address?: string }): Promise<SimilarRequest[]> {
    this.asked.push({ service, place });
    return this.offers;
  }
  async follow(reference: string): Promise<FollowCreated> {
    this.followedRefs.push(reference);
    return { reference, accessToken: 'follower-token', service: 'rubbish', type: 'help', createdAt: new Date().toISOString() };
  }
}

async function mount(client: FakeClient, locale = 'en'): Promise<IntakeForm> {
  const wrapper = await mountTemplate(html`<intake-form locale=${locale} .client=${client}></intake-form>`);
  const el = wrapper.querySelector('intake-form')!;
  await waitUntil(() => $(el, 'form'), 'form ready', WAIT);
  return el;
}

async function toDetails(el: IntakeForm): Promise<void> {
  await pick(el, 'input[name="kind"][value="help"]');
  await next(el);
  await toStep(el, 'service');
  await pick(el, 'input[name="service"][value="rubbish"]');
  await next(el);
  await toStep(el, 'details');
}

const DESCRIPTION = 'The bins on Garden Road were not emptied this week.';

describe('intake-form: already reported nearby', () => {
  it('offers open requests of the service at the place, in plain facts; follow keeps it and the draft', async () => {
    const client = new DuplicatesClient({ catalog: makeRequestCatalog() });
    const el = await mount(client);
    await toDetails(el);
    await fill(el, '#f-description', DESCRIPTION);
    await fill(el, '#f-fields-location', '12 Garden Road');
    await waitUntil(() => client.asked.some((a) => a.place?.address === '12 Garden Road'), 'asked with the address', WAIT);
    await waitUntil(() => $(el, '#similar-title'), 'the offer is shown', WAIT);
    expect(client.asked.at(-1)!.service).to.equal('rubbish');
    expect(textOf(el, '#similar-title')).to.equal('Already reported nearby');
    const facts = textOf(el, '.similar li');
    expect(facts).to.contain('Rubbish collection · Garden Community · Garden Road · Sent to a department · 3 days ago');
    await expect(el).to.be.accessible();

    const follow = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.similar button')].find((b) => b.textContent!.includes('Follow this request'))!;
    follow.click();
    await waitUntil(() => client.followedRefs.length === 1, 'followed', WAIT);
    expect(client.followedRefs).to.deep.equal(['RS-9QXF-2MDK-7']);
    await waitUntil(() => textOf(el, '[role="status"].answers').includes('You are following RS-9QXF-2MDK-7'), 'told it is followed', WAIT);
    // The draft is as typed: filing anyway is still possible.
    expect($<HTMLTextAreaElement>(el, '#f-description')!.value).to.equal(DESCRIPTION);
    let shown: unknown;
    el.addEventListener('intake-show-status', (e) => (shown = (e as CustomEvent).detail));
    [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role="status"].answers button')][0]!.click();
    expect(shown).to.deep.equal({ reference: 'RS-9QXF-2MDK-7' });
  });

  it('"Submit a new one anyway" hides the offer; everything typed is sent', async () => {
    const client = new DuplicatesClient({ catalog: makeRequestCatalog() });
    const el = await mount(client);
    await toDetails(el);
    await fill(el, '#f-description', DESCRIPTION);
    await fill(el, '#f-fields-location', '12 Garden Road');
    await waitUntil(() => $(el, '#similar-title'), 'the offer is shown', WAIT);
    const anyway = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.answers button')].find((b) => b.textContent!.includes('Submit a new one anyway'))!;
    anyway.click();
    await el.updateComplete;
    expect($(el, '#similar-title'), 'the offer is gone').to.equal(null);
    expect($<HTMLTextAreaElement>(el, '#f-description')!.value, 'the text is kept').to.equal(DESCRIPTION);
    await pick(el, 'input[name="bin_type"][value="o1"]');
    await next(el);
    await toStep(el, 'contact');
    await pick(el, 'input[name="contact"][value="anonymous"]');
    await pick(el, '#f-consent');
    await next(el);
    await toStep(el, 'check');
    await next(el);
    await waitUntil(() => client.submitted.length === 1, 'submitted', WAIT);
    expect(client.submitted[0]!.draft.description).to.equal(DESCRIPTION);
    expect(client.followedRefs).to.deep.equal([]);
  });

  it('in Chinese, Cantonese-Traditional and Uyghur the offer is in the resident’s words', async () => {
    for (const [locale, title, follow] of [['zh-CN', '附近已有相同的诉求', '关注此诉求'], ['zh-HK', '附近已有相同的訴求', '關注此訴求'], ['ug', 'يېقىن ئەتراپتا ئوخشاش ئىلتىماس بار', 'بۇ ئىلتىماسقا ئەگىشىش']] as const) {
      const client = new DuplicatesClient({ catalog: makeRequestCatalog() });
      const el = await mount(client, locale);
      await toDetails(el);
      await fill(el, '#f-fields-location', '12 Garden Road');
      await waitUntil(() => $(el, '#similar-title'), `the offer is shown (${locale})`, WAIT);
      expect(textOf(el, '#similar-title')).to.equal(title);
      expect(textOf(el, '.similar li')).to.contain(follow);
    }
  });

  it('nothing similar: no offer', async () => {
    const client = new DuplicatesClient({ catalog: makeRequestCatalog() });
    client.offers = [];
    const el = await mount(client);
    await toDetails(el);
    await waitUntil(() => client.asked.length > 0, 'asked', WAIT);
    await el.updateComplete;
    expect($(el, '#similar-title')).to.equal(null);
  });
});
