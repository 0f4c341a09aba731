/**
 * The complainant's choice (issue 16): on a complaint, the contact step offers an unticked
 * checkbox to let the office complained about see the name and contact, with a plain
 * explanation; the request carries `contact.shareWithOffice: true` only when ticked; other kinds
 * never offer it. In all four languages.
 */
import { expect, html, waitUntil } from '@open-wc/testing';
import '../../src/components/form/form.js';
import type { IntakeForm } from '../../src/components/form/form.component.js';
import { mountTemplate } from './mount.js';
import { FakeClient, makeRequestCatalog } from '../helpers/fake-client.js';
import { $, WAIT, fill, next, pick, textOf, toStep } from '../helpers/view-driver.js';

async function mount(client: FakeClient, locale = 'en'): Promise<IntakeForm> {
  const wrapper = await mountTemplate(html`<intake-form locale=${locale} .client=${client}></intake-form>`);
  const el = wrapper.querySelector('intake-form')!;
  await waitUntil(() => $(el, 'form'), 'form ready', WAIT);
  return el;
}

/** A rubbish request of `kind` up to the contact step, answering by phone. */
async function toContact(el: IntakeForm, kind: string): Promise<void> {
  await pick(el, `input[name="kind"][value="${kind}"]`);
  await next(el);
  await toStep(el, 'service');
  await pick(el, 'input[name="service"][value="rubbish"]');
  await next(el);
  await toStep(el, 'details');
  await fill(el, '#f-description', 'The bins on Garden Road were not emptied this week.');
  await fill(el, '#f-fields-location', '12 Garden Road');
  await pick(el, 'input[name="bin_type"][value="o1"]');
  await next(el);
  await toStep(el, 'contact');
  await pick(el, 'input[name="contact"][value="reply"]');
  await fill(el, '#f-contact-name', 'Li Hua');
  await fill(el, '#f-contact-phone', '13800138000');
}

async function send(el: IntakeForm): Promise<void> {
  await pick(el, '#f-consent');
  await next(el);
  await toStep(el, 'check');
  await next(el);
}

const SHARE = '#f-contact-shareWithOffice';

describe('intake-form: a complainant may share the contact with the office', () => {
  it('complaint: the box is offered unticked with its explanation; unticked, the request does not share', async () => {
    const client = new FakeClient({ catalog: makeRequestCatalog() });
    const el = await mount(client);
    await toContact(el, 'complaint');
    const box = $<HTMLInputElement>(el, SHARE);
    expect(box, 'offered on a complaint').to.exist;
    expect(box!.checked).to.equal(false);
    expect(textOf(el, '.share-with-office')).to.contain('Let the office I complain about see my name and contact');
    expect(box!.getAttribute('aria-describedby')).to.equal('contact-share-hint');
    expect(textOf(el, '#contact-share-hint')).to.contain('only the intake centre sees them');
    await expect(el).to.be.accessible();
    await send(el);
    await waitUntil(() => client.submitted.length === 1, 'submitted', WAIT);
    expect(client.submitted[0]!.draft.contact).to.deep.equal({ name: 'Li Hua', phone: '13800138000', preferred: 'phone' });
  });

  it('complaint, ticked: the request carries contact.shareWithOffice', async () => {
    const client = new FakeClient({ catalog: makeRequestCatalog() });
    const el = await mount(client);
    await toContact(el, 'complaint');
    await pick(el, SHARE);
    expect($<HTMLInputElement>(el, SHARE)!.checked).to.equal(true);
    await send(el);
    await waitUntil(() => client.submitted.length === 1, 'submitted', WAIT);
    expect(client.submitted[0]!.draft.contact).to.deep.equal({ name: 'Li Hua', phone: '13800138000', preferred: 'phone', shareWithOffice: true });
  });

  it('a help request never offers it, and never sends it', async () => {
    const client = new FakeClient({ catalog: makeRequestCatalog() });
    const el = await mount(client);
    await toContact(el, 'help');
    expect($(el, SHARE), 'not on other kinds').to.equal(null);
    await send(el);
    await waitUntil(() => client.submitted.length === 1, 'submitted', WAIT);
    expect(client.submitted[0]!.draft.contact).to.not.have.property('shareWithOffice');
  });

  for (const [locale, words] of [['zh-CN', '被投诉的部门'], ['zh-HK', '被投訴的部門'], ['ug', 'ئەرز قىلىنغان ئورۇن']] as const) {
    it(`${locale}: the box and its explanation are in the resident's language`, async () => {
      const el = await mount(new FakeClient({ catalog: makeRequestCatalog() }), locale);
      await toContact(el, 'complaint');
      expect(textOf(el, '.share-with-office')).to.contain(words);
      expect(textOf(el, '#contact-share-hint')).to.contain('12345');
      await expect(el).to.be.accessible();
    });
  }
});
