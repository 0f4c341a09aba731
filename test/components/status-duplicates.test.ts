/**
 * Duplicates in My requests (issue 17): a request merged into another says so in the resident's
 * words with the other's reference (the code TimelineEntry.mergedInto, not the note), and offers no
 * rating; a followed request is marked 关注中 and shows no description and no rating. All four locales.
 */
import { expect } from '@open-wc/testing';
import '../../src/components/status/status.js';
import { openRequest } from './status-view.js';
import { makeDetail } from '../helpers/fake-client.js';
import type { RequestDetail } from '../../src/client/protocol.js';

const REF = 'GC-20260930-0002';
const INTO = 'RS-9QXF-2MDK-7';

const $ = <T extends HTMLElement = HTMLElement>(el: HTMLElement, selector: string) => el.shadowRoot!.querySelector<T>(selector);
const textOf = (el: HTMLElement, selector: string) => ($(el, selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();

const merged = (): RequestDetail => makeDetail(REF, {
  status: 'closed',
  replies: [],
  mergedInto: INTO,
  awaitingFeedback: false,
  canReopen: false,
  timeline: [
    { at: '2026-10-08T01:00:00.000Z', status: 'received' },
    { at: '2026-10-09T07:45:00.000Z', status: 'closed', mergedInto: INTO, note: '同一地点的同一问题' },
  ],
});

const followed = (): RequestDetail => makeDetail(REF, {
  status: 'replied', following: true, description: '', awaitingFeedback: false, canReopen: false,
  timeline: [{ at: '2026-10-08T01:00:00.000Z', status: 'received' }, { at: '2026-10-09T07:45:00.000Z', status: 'replied' }],
});

const open = (d: RequestDetail, locale: string) => openRequest(d, locale, '.timeline');

describe('<intake-status> merged and followed requests', () => {
  it('a merged request says where it went, in every locale; no rating; accessible', async () => {
    for (const [locale, words] of [
      ['en', `Merged with ${INTO}, a request about the same problem`],
      ['zh-CN', `已与同一问题的诉求 ${INTO} 合并办理`],
      ['zh-HK', `已與同一問題的訴求 ${INTO} 合併處理`],
      ['ug', `${INTO} نومۇرلۇق ئىلتىماس بىلەن بىرلەشتۈرۈلدى`],
    ] as const) {
      const el = await open(merged(), locale);
      expect(textOf(el, '.timeline li.status-closed'), locale).to.contain(words);
      expect($(el, '.rate'), 'no rating').to.equal(null);
      expect($(el, '.no-feedback'), 'no “cannot rate” text either').to.equal(null);
      if (locale === 'en') await expect(el).to.be.accessible();
    }
  });

  it('a followed request is marked and shows neither the reporter’s words nor a rating', async () => {
    const el = await open(followed(), 'zh-CN');
    expect(textOf(el, '.badge.following')).to.equal('关注中');
    expect($(el, 'details.description')!.hidden).to.equal(true);
    expect($(el, '.rate'), 'a follower does not rate').to.equal(null);
    await expect(el).to.be.accessible();
  });
});
