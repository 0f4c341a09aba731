/**
 * 好差评 in the console with a stand-in StaffClient (issue 17): the request view's ratings panel
 * (each round's level and solved, sent back and the redo's office, a supervisor's appeal with its
 * reason) and the return-visit page (who to call, the number on demand, the call's outcome as the
 * rating); axe-clean.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { StaffRequestDetail } from '../../demo/server/staff/staff-api.js';
import type { AppealInput, RatingsView, ReturnVisitInput, ReturnVisitList } from '../../demo/server/loop/ratings-api.js';
import { setLanguage } from '../../demo/console/i18n.js';
import type { StaffClient } from '../../demo/console/staff-client.js';
import type { StaffRatings } from '../../demo/console/staff-ratings.js';
import type { StaffReturnVisits } from '../../demo/console/staff-return-visits.js';
import '../../demo/console/staff-ratings.js';
import '../../demo/console/staff-return-visits.js';

const OFFICE = { id: 'sanitation', name: '区城市管理和环境卫生局' };
const REF = 'RS-7KQ2-M9XD-N';
const REQUEST = { reference: REF, updatedAt: '2026-12-01T07:45:00.000Z', timeline: [], replies: [], timeZone: 'Asia/Shanghai' } as unknown as StaffRequestDetail;

const view = (extra: Partial<RatingsView> = {}): RatingsView => ({
  reference: REF, round: 2,
  ratings: [{ round: 1, at: '2026-12-01T08:00:00.000Z', rating: 2, level: 'dissatisfied', solved: false, comment: '晚上还是很吵', channel: 'widget', office: OFFICE, sentBack: true, appeals: [] }],
  redo: { round: 1, due: '2026-12-06T08:00:00.000Z', office: OFFICE }, calls: [], canAppeal: true, canCall: false,
  ...extra,
});

const settle = async (el: HTMLElement & { updateComplete: Promise<boolean> }) => {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
  }
};
const $ = <T extends Element = HTMLElement>(el: Element, s: string) => el.shadowRoot!.querySelector<T>(s);

describe('staff-ratings and staff-return-visits (好差评, 回访)', () => {
  before(async () => {
    await setLanguage('zh-CN');
  });

  it('the ratings panel: level, not solved, sent back to the office, and the supervisor appeals with a reason', async () => {
    const appeals: AppealInput[] = [];
    let state = view();
    const client = {
      async ratings() { return state; },
      async appealRating(_r: string, round: number, input: AppealInput) {
        appeals.push(input);
        state = view({ ratings: [{ ...state.ratings[0]!, round, appeals: [{ at: '2026-12-01T09:00:00.000Z', by: { id: 's', name: '赵刚' }, reason: input.reason }] }] });
        return state;
      },
    } as unknown as StaffClient;
    const el = await fixture<StaffRatings>(html`<staff-ratings .client=${client} .request=${REQUEST}></staff-ratings>`);
    await settle(el);
    const text = el.shadowRoot!.textContent!.replace(/\s+/g, ' ');
    expect(text).to.contain('不满意').and.to.contain('未解决').and.to.contain('已退回重办').and.to.contain(OFFICE.name);
    expect($(el, '[data-redo]')).to.not.equal(null);
    await expect(el).to.be.accessible();
    $<HTMLButtonElement>(el, '[data-appeal-open]')!.click();
    await settle(el);
    const form = $<HTMLFormElement>(el, 'form')!;
    form.querySelector('textarea')!.value = '市民反映的是另一处工地';
    form.requestSubmit();
    await settle(el);
    expect(appeals).to.deep.equal([{ reason: '市民反映的是另一处工地' }]);
    expect($(el, '[data-appeal]')?.textContent).to.contain('赵刚').and.to.contain('另一处工地');
    await expect(el).to.be.accessible();
  });

  it('the return-visit page: who to call, the number on demand, the outcome recorded as the rating', async () => {
    const calls: ReturnVisitInput[] = [];
    const list: ReturnVisitList = { days: 3, items: [{ reference: REF, site: { id: 'g', name: '花园社区' }, service: { id: 'noise', name: '噪音扰民' }, office: OFFICE,
      answeredAt: '2026-12-01T02:00:00.000Z', round: 1, tries: 1, lastTry: null, phoneHint: '138****0000' }] };
    let items = list.items;
    const client = {
      async returnVisits() { return { ...list, items }; },
      async requestContact() { return { phone: '13800000000', preferred: 'phone' }; },
      async recordReturnVisit(_r: string, input: ReturnVisitInput) {
        calls.push(input);
        items = [];
        return view();
      },
    } as unknown as StaffClient;
    const el = await fixture<StaffReturnVisits>(html`<staff-return-visits .client=${client}></staff-return-visits>`);
    await settle(el);
    expect(el.shadowRoot!.textContent).to.contain('138****0000').and.to.contain('未接通 1 次');
    await expect(el).to.be.accessible();
    $<HTMLButtonElement>(el, '[data-show-phone]')!.click();
    await settle(el);
    expect($(el, '[data-phone]')?.textContent).to.equal('13800000000');
    const form = $<HTMLFormElement>(el, 'form')!;
    form.querySelector<HTMLInputElement>('input[name="rating"][value="4"]')!.checked = true;
    form.querySelector<HTMLInputElement>('input[name="solved"][value="yes"]')!.checked = true;
    form.requestSubmit();
    await settle(el);
    expect(calls).to.deep.equal([{ reached: true, rating: 4, solved: true }]);
    expect(el.shadowRoot!.textContent).to.contain('目前没有需要回访的市民');
  });
});
