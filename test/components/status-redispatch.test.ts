/**
 * Moves between offices in My requests (issue 17): returned (正在重新派单), passed on with the
 * reason, confirmed with the office, assisting offices — the server's codes (TimelineEntry.move)
 * in the resident's words in every locale, never a staff note; the first office (首接负责) beside
 * the current one; an unknown move type shown as a status entry (a newer server).
 */
import { expect } from '@open-wc/testing';
import '../../src/components/status/status.js';
import { openRequest } from './status-view.js';
import { makeDetail } from '../helpers/fake-client.js';
import type { RequestDetail } from '../../src/client/protocol.js';

const REF = 'GC-20260930-0002';
const SANITATION = { id: 'sanitation', name: '区城市管理和环境卫生局' };
const HOUSING = { id: 'housing', name: '区住房和城乡建设局' };
const WATER = { id: 'water', name: '区水务局' };

const $ = <T extends HTMLElement = HTMLElement>(el: HTMLElement, selector: string) => el.shadowRoot!.querySelector<T>(selector);
const textOf = (el: HTMLElement, selector: string) => ($(el, selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();

function detail(extra: Partial<RequestDetail> = {}): RequestDetail {
  return makeDetail(REF, {
    status: 'routed',
    replies: [],
    routedTo: HOUSING,
    firstOffice: SANITATION,
    timeline: [
      { at: '2026-10-08T01:00:00.000Z', status: 'received' },
      { at: '2026-10-08T02:00:00.000Z', status: 'routed', department: SANITATION, move: { type: 'returned', from: SANITATION, reason: 'not_our_duty' } },
      { at: '2026-10-08T03:00:00.000Z', status: 'routed', department: HOUSING, move: { type: 'redispatched', from: SANITATION, to: HOUSING, reason: 'not_our_duty' } },
      { at: '2026-10-08T04:00:00.000Z', status: 'routed', department: WATER, move: { type: 'assist_added', to: WATER } },
      { at: '2026-10-08T05:00:00.000Z', status: 'routed', department: HOUSING, move: { type: 'teleported', to: HOUSING } },
    ],
    ...extra,
  });
}

const open = (d: RequestDetail, locale: string) => openRequest(d, locale, '.timeline .move-redispatched');

describe('<intake-status> moves between offices', () => {
  it('in simplified Chinese: returned, passed on with the reason, an assisting office, the first office; accessible', async () => {
    const el = await open(detail(), 'zh-CN');
    expect(textOf(el, '.move-returned .what')).to.equal('区城市管理和环境卫生局退回，正在重新派单');
    expect(textOf(el, '.move-returned .note')).to.equal('不属于原单位职责');
    expect(textOf(el, '.move-redispatched .what')).to.equal('转至区住房和城乡建设局');
    expect(textOf(el, '.move-redispatched .note')).to.equal('不属于原单位职责');
    expect(textOf(el, '.move-assist_added .what')).to.equal('区水务局协助办理');
    expect(textOf(el, '.first-office')).to.equal('区城市管理和环境卫生局（跟进至办结）');
    // An unknown move is an ordinary status entry with its department.
    const entries = el.shadowRoot!.querySelectorAll('.timeline li');
    expect(entries[entries.length - 1]!.classList.contains('move')).to.equal(false);
    expect($(el, '.redispatching')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('while returned the resident is told it is being dispatched again; English, traditional Chinese and Uyghur', async () => {
    const en = await open(detail({ redispatching: true }), 'en');
    expect(textOf(en, '.redispatching')).to.equal('It is being sent to the right office again.');
    expect(textOf(en, '.move-redispatched .what')).to.equal('Passed on to 区住房和城乡建设局');
    expect(textOf(en, '.move-redispatched .note')).to.equal("It is not that office's duty");
    en.remove();
    const hk = await open(detail({ redispatching: true }), 'zh-HK');
    expect(textOf(hk, '.redispatching')).to.equal('正重新分派，請稍候。');
    expect(textOf(hk, '.move-redispatched .what')).to.equal('轉交区住房和城乡建设局');
    hk.remove();
    const ug = await open(detail(), 'ug');
    expect(textOf(ug, '.move-redispatched .what')).to.contain('يۆتكەلگەن ئورۇن');
    expect(textOf(ug, '.move-redispatched .note')).to.equal('ئۇ ئورۇننىڭ مەسئۇلىيىتى ئەمەس');
  });
});
