/**
 * The resident's time limits in My requests (issue 17): "reply due by" and "to be resolved by" on
 * the site's clock (RequestDetail.timeZone), and, once one has passed (RequestDetail.overdue), that
 * it is late and the hotline centre is following it up; in the resident's language.
 */
import { expect } from '@open-wc/testing';
import '../../src/components/status/status.js';
import { openRequest } from './status-view.js';
import { makeDetail } from '../helpers/fake-client.js';
import type { RequestDetail } from '../../src/client/protocol.js';

const REF = 'GC-20260930-0001';
// Friday 9 October 2026, 23:59 in Shanghai (15:59 UTC): the end of a working day there.
const REPLY_BY = '2026-10-09T15:59:59.999Z';
const RESOLVE_BY = '2026-10-15T15:59:59.999Z';

const $ = <T extends HTMLElement = HTMLElement>(el: HTMLElement, selector: string) => el.shadowRoot!.querySelector<T>(selector);
const textOf = (el: HTMLElement, selector: string) => ($(el, selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();

function detail(overrides: Partial<RequestDetail> = {}): RequestDetail {
  return makeDetail(REF, { status: 'routed', replyBy: REPLY_BY, resolveBy: RESOLVE_BY, overdue: null, timeZone: 'Asia/Shanghai', replies: [], ...overrides });
}

const open = (d: RequestDetail, locale = 'en') => openRequest(d, locale, '.detail');

const shanghai = (iso: string, locale: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(new Date(iso));

describe('<intake-status> time limits', () => {
  it('on time: reply due by and to be resolved by, on the site\'s clock; no late notice; accessible', async () => {
    const el = await open(detail());
    expect(textOf(el, '.reply-due')).to.equal(shanghai(REPLY_BY, 'en'));
    expect(textOf(el, '.reply-due')).to.contain('11:59');
    expect(textOf(el, '.resolve-due')).to.equal(shanghai(RESOLVE_BY, 'en'));
    expect($(el, '.reply-due time')!.getAttribute('datetime')).to.equal(REPLY_BY);
    expect(textOf(el, '.facts')).to.contain('Reply due by').and.to.contain('To be resolved by');
    expect($(el, '.overdue')).to.equal(null);
    expect($(el, '.late')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('the reply is late: said plainly, with the centre following it up; the limit marked', async () => {
    const el = await open(detail({ overdue: 'reply' }));
    expect(textOf(el, '.overdue')).to.equal('The reply is late. The hotline centre is following it up.');
    expect($(el, '.overdue')!.getAttribute('role')).to.equal('status');
    expect($(el, '.reply-due')!.classList.contains('late')).to.equal(true);
    expect($(el, '.resolve-due')!.classList.contains('late')).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('in Chinese: 预计答复时间, 预计办结时间, and the late resolution', async () => {
    const el = await open(detail({ status: 'replied', overdue: 'resolve' }), 'zh-CN');
    expect(textOf(el, '.facts')).to.contain('预计答复时间').and.to.contain('预计办结时间');
    expect(textOf(el, '.resolve-due')).to.equal(shanghai(RESOLVE_BY, 'zh-CN'));
    expect(textOf(el, '.overdue')).to.equal('已超过办结时限，热线中心正在督办。');
    expect($(el, '.resolve-due')!.classList.contains('late')).to.equal(true);
  });

  it('in Traditional Chinese and Uyghur too', async () => {
    const hk = await open(detail({ overdue: 'reply' }), 'zh-HK');
    expect(textOf(hk, '.overdue')).to.equal('已超過答覆時限，熱線中心正在督辦。');
    hk.remove();
    const ug = await open(detail({ overdue: 'resolve' }), 'ug');
    expect(textOf(ug, '.overdue')).to.contain('قىزىق لىنىيە مەركىزى');
    expect(textOf(ug, '.facts')).to.contain('ھەل قىلىش ۋاقتى');
  });

  it('resolved: no limits and no late notice', async () => {
    const el = await open(detail({ status: 'resolved', overdue: null }));
    expect($(el, '.reply-due')).to.equal(null);
    expect($(el, '.resolve-due')).to.equal(null);
    expect($(el, '.overdue')).to.equal(null);
  });
});
