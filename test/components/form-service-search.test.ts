import { expect, html, waitUntil } from '@open-wc/testing';
import '../../src/components/form/form.js';
import type { IntakeForm } from '../../src/components/form/form.component.js';
import { IntakeClient } from '../../src/client/client.js';
import type { ServiceSuggestion } from '../../src/client/protocol.js';
import { mountTemplate } from './mount.js';
import { FakeClient, makeRequestCatalog } from '../helpers/fake-client.js';
import { $, $$, WAIT, deepActive, fill, next, pick, textOf, toStep } from '../helpers/view-driver.js';

/**
 * The form's service search (issue 18): the server's ranking (`GET /services/suggest`) first,
 * best first; the local match until it answers, offline and where the backend has no ranking; the
 * search field keeps focus and what was typed.
 */

const names = (el: IntakeForm) => $$(el, 'input[name="service"]').map((i) => (i as HTMLInputElement).value);

async function toServiceStep(el: IntakeForm, kind: string): Promise<void> {
  await waitUntil(() => $(el, `input[name="kind"][value="${kind}"]`), 'catalogue', { timeout: 30_000 });
  await pick(el, `input[name="kind"][value="${kind}"]`);
  await next(el);
  await toStep(el, 'service');
}

/** Types into the search field as the resident would: focused, then an input event. */
async function search(el: IntakeForm, value: string): Promise<HTMLInputElement> {
  const input = $<HTMLInputElement>(el, '#service-search')!;
  input.focus();
  await fill(el, '#service-search', value);
  return input;
}

describe('<intake-form> service search against the reference server', () => {
  let api = '';
  before(async function () {
    this.timeout(120_000);
    const body = (await (await fetch('/__server')).json()) as { api?: string; error?: string };
    if (!body.api) throw new Error(`The reference server did not start: ${body.error}`);
    api = body.api;
  });

  async function mountReal(locale: string): Promise<{ el: IntakeForm; done: () => void }> {
    const db = `form-service-search-${locale}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const client = new IntakeClient({ endpoint: api, site: 'riverside/xinhua/garden', locale, dbName: db });
    const wrapper = await mountTemplate(html`<intake-form locale=${locale} .client=${client}></intake-form>`);
    const el = wrapper.querySelector('intake-form')!;
    return {
      el,
      done: () => {
        wrapper.remove();
        client.close();
        indexedDB.deleteDatabase(db);
      },
    };
  }

  it('a resident\'s sentence no name contains finds its service first, focus and words kept', async function () {
    this.timeout(60_000);
    const { el, done } = await mountReal('zh-CN');
    try {
      await toServiceStep(el, 'complaint');
      const typed = '楼道灯坏了三天没人修';
      const input = await search(el, typed);
      // The local match finds nothing for a whole sentence; the server's ranking does.
      await waitUntil(() => names(el)[0] === 'housing-repair', 'server ranking shown', { timeout: 30_000 });
      expect(deepActive(), 'the search field keeps focus').to.equal(input);
      expect(input.value).to.equal(typed);
      expect(textOf(el, '.search [role="status"]')).to.not.equal('');
      await expect(el).to.be.accessible();
    } finally {
      done();
    }
  });

  it('路灯 (the issue\'s miss), Traditional characters and English all rank the right service first', async function () {
    this.timeout(60_000);
    for (const [locale, kind, typed, want] of [
      ['zh-CN', 'help', '路灯', 'housing-repair'],
      ['zh-HK', 'help', '樓道燈壞咗冇人整', 'housing-repair'],
      ['zh-CN', 'complaint', '拉圾好几天没人收', 'rubbish-collection'],
      ['en', 'complaint', 'elevator broken again', 'housing-repair'],
      ['en', 'complaint', 'garbge not colected', 'rubbish-collection'],
    ] as const) {
      const { el, done } = await mountReal(locale);
      try {
        await toServiceStep(el, kind);
        const input = await search(el, typed);
        await waitUntil(() => names(el)[0] === want, `${typed}: ${want} first`, { timeout: 30_000 });
        expect(input.value).to.equal(typed);
        expect(deepActive()).to.equal(input);
      } finally {
        done();
      }
    }
  });
});

/** A stand-in whose ranking answers when the test says so (or fails, as offline). */
class HeldRanking extends FakeClient {
  asked: string[] = [];
  private held: { resolve: (r: ServiceSuggestion[] | null) => void; reject: (e: Error) => void }[] = [];
  async suggestServices(query: string): Promise<ServiceSuggestion[] | null> {
    this.asked.push(query);
    return new Promise((resolve, reject) => this.held.push({ resolve, reject }));
  }
  rankWith(services: ServiceSuggestion[] | null): void {
    for (const p of this.held.splice(0)) p.resolve(services);
  }
  failRanking(): void {
    for (const p of this.held.splice(0)) p.reject(new Error('offline'));
  }
}

describe('<intake-form> service search with a stand-in client', () => {
  async function mount(client: FakeClient): Promise<IntakeForm> {
    const wrapper = await mountTemplate(html`<intake-form locale="en" .client=${client}></intake-form>`);
    const el = wrapper.querySelector('intake-form')!;
    await waitUntil(() => $(el, 'form'), 'form ready', WAIT);
    return el;
  }

  it('shows the local match until the ranking answers, then the ranking first, best first', async () => {
    const client = new HeldRanking({ catalog: makeRequestCatalog() });
    const el = await mount(client);
    await toServiceStep(el, 'complaint');
    const input = await search(el, 'bin');
    expect(names(el), 'the local match at once').to.deep.equal(['rubbish']);
    await waitUntil(() => client.asked.length === 1, 'ranking asked', WAIT);
    expect(client.asked[0]).to.equal('bin');
    client.rankWith([{ service: 'everything', confidence: 0.7 }, { service: 'rubbish', confidence: 0.2 }]);
    await waitUntil(() => names(el)[0] === 'everything', 'ranking shown', WAIT);
    expect(names(el)).to.deep.equal(['everything', 'rubbish']);
    expect(deepActive()).to.equal(input);
    expect(input.value).to.equal('bin');
    // A ranking for other words than those in the field now is not shown.
    await search(el, 'garbage');
    expect(names(el), 'the local match for the new words').to.deep.equal(['rubbish']);
  });

  it('keeps the local match when the ranking fails (offline) or the backend has none', async () => {
    const client = new HeldRanking({ catalog: makeRequestCatalog() });
    const el = await mount(client);
    await toServiceStep(el, 'complaint');
    await search(el, 'garbage');
    await waitUntil(() => client.asked.length === 1, 'ranking asked', WAIT);
    client.failRanking();
    await el.updateComplete;
    expect(names(el)).to.deep.equal(['rubbish']);
    client.rankWith(null);

    // No ranking at all (Open311, a stand-in without it): the local match, nothing asked.
    const plain = await mount(new FakeClient({ catalog: makeRequestCatalog() }));
    await toServiceStep(plain, 'complaint');
    await search(plain, 'garbage');
    expect(names(plain)).to.deep.equal(['rubbish']);
  });
});
