/**
 * 督办 in My requests (issue 17): the loop steps the server sends as codes (TimelineEntry.step) in
 * the resident's words in every locale — overdue and followed up by the hotline centre, supervised
 * with a new time limit — never the server's note when the code is known; an unknown code shows
 * the note (a newer server).
 */
import { expect } from '@open-wc/testing';
import '../../src/components/status/status.js';
import { openRequest } from './status-view.js';
import { makeDetail } from '../helpers/fake-client.js';
import type { RequestDetail } from '../../src/client/protocol.js';

const REF = 'GC-20260930-0002';
const DUE = '2026-10-09T07:44:00.000Z';
const LIMIT = '2026-10-12T09:00:00.000Z';

const $ = <T extends HTMLElement = HTMLElement>(el: HTMLElement, selector: string) => el.shadowRoot!.querySelector<T>(selector);
const textOf = (el: HTMLElement, selector: string) => ($(el, selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();

function detail(): RequestDetail {
  return makeDetail(REF, {
    status: 'routed',
    replies: [],
    timeline: [
      { at: '2026-10-08T01:00:00.000Z', status: 'received' },
      { at: '2026-10-09T07:45:00.000Z', status: 'routed', note: '已超时，热线中心正在督办', step: { code: 'escalated', which: 'reply', due: DUE } },
      { at: '2026-10-09T09:10:00.000Z', status: 'routed', note: '热线中心正在督办，已要求限期办理', step: { code: 'supervised', which: 'reply', due: LIMIT } },
      { at: '2026-10-09T10:00:00.000Z', status: 'routed', note: 'A newer step', step: { code: 'something_new' } },
    ],
  });
}

const open = (d: RequestDetail, locale: string) => openRequest(d, locale, '.timeline .step-escalated');

describe('<intake-status> supervision steps', () => {
  it('in English: overdue and followed up, then supervised with the new limit; an unknown code shows the note; accessible', async () => {
    const el = await open(detail(), 'en');
    expect(textOf(el, '.step-escalated .what')).to.equal('It is overdue. The hotline centre is following it up.');
    const supervised = textOf(el, '.step-supervised .what');
    expect(supervised).to.contain('The hotline centre is following it up: to be dealt with by');
    expect(supervised).to.contain('2026');
    expect(supervised).to.not.contain('限期');
    expect(textOf(el, '.step-something_new .what')).to.equal('A newer step');
    await expect(el).to.be.accessible();
  });

  it('in simplified and traditional Chinese and in Uyghur', async () => {
    const zh = await open(detail(), 'zh-CN');
    expect(textOf(zh, '.step-escalated .what')).to.equal('已超时，热线中心正在督办。');
    expect(textOf(zh, '.step-supervised .what')).to.match(/^热线中心正在督办，要求在 .+ 前办理。$/);
    zh.remove();
    const hk = await open(detail(), 'zh-HK');
    expect(textOf(hk, '.step-escalated .what')).to.equal('已超時，熱線中心正在督辦。');
    expect(textOf(hk, '.step-supervised .what')).to.contain('熱線中心正在督辦');
    hk.remove();
    const ug = await open(detail(), 'ug');
    expect(textOf(ug, '.step-escalated .what')).to.contain('قىزىق لىنىيە مەركىزى');
    expect(textOf(ug, '.step-supervised .what')).to.contain('دىن بۇرۇن');
  });
});
