/**
 * The re-dispatch panel of the request view (<staff-dispatch>) in a browser with a stand-in
 * StaffClient: the office's 退单 with the reason list (a note required for 其他, checked before the
 * server), the dispatcher's pending return with 改派给… (never back to the office that returned it)
 * and 驳回退单, the assisting-offices editor, an assisting office told to contribute notes, the
 * first office beside the lead, the item's moves; axe-clean; both languages.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { StaffMove, StaffRequestDetail } from '../../demo/server/staff/staff-api.js';
import { setLanguage } from '../../demo/console/i18n.js';
import type { StaffClient } from '../../demo/console/staff-client.js';
import type { StaffDispatch } from '../../demo/console/staff-dispatch.js';
import '../../demo/console/staff-dispatch.js';

const AT = '2026-12-01T08:00:00.000Z';
const SANITATION = { id: 'sanitation', name: '区城市管理和环境卫生局' };
const HOUSING = { id: 'housing', name: '区住房和城乡建设局' };
const WATER = { id: 'water', name: '区水务局' };
const DISPATCH = { id: 'dispatch', name: '区12345热线派单中心' };
const DEPARTMENTS = [DISPATCH, HOUSING, SANITATION, WATER];

const move = (type: StaffMove['type'], extra: Partial<StaffMove> = {}): StaffMove => ({ type, at: AT, from: null, to: null, reason: null, note: null, by: null, ...extra });

function request(extra: Partial<StaffRequestDetail> = {}): StaffRequestDetail {
  return {
    id: 'r1', reference: 'RS-7KQ2-M9XD-N', site: { id: 'riverside/xinhua/garden', name: '花园社区' }, service: { id: 'noise', name: '噪音扰民' },
    type: 'complaint', status: 'routed', routedTo: SANITATION, description: '工地夜里施工', createdAt: AT, updatedAt: AT, replyBy: null,
    timeline: [], replies: [], attachments: [], feedback: null, assignee: null, assignedAt: null, notes: [], timeZone: 'Asia/Shanghai',
    feedbackHistory: [], locale: 'zh-CN', contact: null, fields: [], page: null, consentVersion: '1', nextStatuses: ['in_progress'],
    firstOffice: SANITATION, redispatching: false, assisting: [], returnPending: null, transfers: 0, returns: 0,
    moves: [move('dispatched', { to: SANITATION }), move('accepted', { to: SANITATION, by: { id: 'u1', name: '刘洋' } })],
    ...extra,
  };
}

function fakeClient() {
  const calls: { name: string; args: unknown[] }[] = [];
  const record = (name: string) => async (...args: unknown[]) => {
    calls.push({ name, args });
    return request();
  };
  const client = {
    calls,
    returnRequest: record('returnRequest'),
    overruleReturn: record('overruleReturn'),
    setOffices: record('setOffices'),
    routeRequest: record('routeRequest'),
  };
  return client as unknown as StaffClient & { calls: typeof calls };
}

const PENDING = {
  office: SANITATION, reason: 'not_our_duty' as const, note: '本局只管道路保洁', at: AT, by: { id: 'u1', name: '刘洋' },
};

async function panel(r: StaffRequestDetail, user: { role: string; departmentId?: string | null }, client = fakeClient()) {
  const el = await fixture<StaffDispatch>(html`<staff-dispatch .client=${client} .request=${r} .departments=${DEPARTMENTS} .user=${user}></staff-dispatch>`);
  await el.updateComplete;
  return { el, client, root: el.shadowRoot! };
}

const settle = async (el: StaffDispatch) => {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await el.updateComplete;
  }
};

describe('<staff-dispatch>', () => {
  before(async () => {
    await setLanguage('zh-CN');
  });

  it('shows the lead and the first office, the counts and the moves', async () => {
    const r = request({ routedTo: HOUSING, transfers: 1, returns: 1, moves: [
      move('dispatched', { to: SANITATION }),
      move('returned', { from: SANITATION, to: DISPATCH, reason: 'not_our_duty', note: '本局只管道路保洁' }),
      move('redispatched', { from: SANITATION, to: HOUSING, reason: 'not_our_duty' }),
    ] });
    const { el, root } = await panel(r, { role: 'dispatcher' });
    expect(root.querySelector('[data-lead]')!.textContent).to.equal(HOUSING.name);
    expect(root.querySelector('[data-first-office]')!.textContent).to.equal(SANITATION.name);
    expect(root.querySelector('[data-counts]')!.textContent).to.contain('改派 1 次').and.contain('退单 1 次');
    const moves = [...root.querySelectorAll('[data-moves] li')];
    expect(moves.map((li) => li.getAttribute('data-move'))).to.deep.equal(['redispatched', 'returned', 'dispatched']);
    expect(moves[0]!.textContent).to.contain('改派').and.contain(`${SANITATION.name} → ${HOUSING.name}`).and.contain('原因：不属于本单位职责');
    expect(moves[1]!.textContent).to.contain('本局只管道路保洁');
    await expect(el).to.be.accessible();
  });

  it('the office returns it with a reason from the list; 其他 needs a note before anything is sent', async () => {
    const { el, client, root } = await panel(request(), { role: 'department', departmentId: 'sanitation' });
    const form = root.querySelector<HTMLFormElement>('[data-return-form]')!;
    const options = [...form.querySelectorAll('option')].map((o) => o.textContent);
    expect(options).to.deep.equal(['不属于本单位职责', '不在本辖区', '需其他单位办理', '重复诉求', '信息不全无法办理', '其他']);
    form.querySelector<HTMLSelectElement>('#return-reason')!.value = 'other';
    form.requestSubmit();
    await settle(el);
    expect(client.calls).to.have.length(0);
    expect(root.querySelector('#return-note-error')!.textContent).to.equal('请填写退单说明。');
    expect(root.querySelector('#return-note')!.getAttribute('aria-invalid')).to.equal('true');
    expect(root.activeElement?.id ?? el.shadowRoot!.activeElement?.id).to.equal('return-note');

    form.querySelector<HTMLSelectElement>('#return-reason')!.value = 'wrong_area';
    form.querySelector<HTMLTextAreaElement>('#return-note')!.value = '地址在和平街道';
    let changed = 0;
    el.addEventListener('dispatch-changed', () => changed++);
    form.requestSubmit();
    await settle(el);
    expect(client.calls).to.deep.equal([{ name: 'returnRequest', args: ['RS-7KQ2-M9XD-N', 'wrong_area', '地址在和平街道'] }]);
    expect(changed, 'no reload: the office no longer sees it').to.equal(0);
    expect(root.querySelector('[role="status"]')!.textContent).to.equal('已退单，派单中心将重新派单。');
    expect(root.querySelector('a[href="#/"]')!.textContent).to.equal('返回工单列表');
    await expect(el).to.be.accessible();
  });

  it('an assisting office is told to contribute notes and cannot return it', async () => {
    const { root } = await panel(request({ assisting: [WATER] }), { role: 'department', departmentId: 'water' });
    expect(root.querySelector('[data-return-form]')).to.equal(null);
    expect(root.querySelector('[data-assist-hint]')!.textContent).to.contain('内部备注');
    expect(root.querySelector('[data-assisting]')!.textContent).to.equal(WATER.name);
  });

  it('the dispatcher sees the pending return and sends it on, never back to the office that returned it', async () => {
    const r = request({ routedTo: DISPATCH, redispatching: true, returnPending: PENDING, returns: 1 });
    const { el, client, root } = await panel(r, { role: 'dispatcher' });
    const pending = root.querySelector('[data-return-pending]')!;
    expect(pending.textContent).to.contain('区城市管理和环境卫生局申请退单').and.contain('不属于本单位职责').and.contain('本局只管道路保洁');
    const choices = [...root.querySelectorAll<HTMLOptionElement>('#redispatch-department option')].map((o) => o.value);
    expect(choices).to.deep.equal(['housing', 'water']);
    expect(root.querySelector('[data-offices-form]'), 'offices wait until it is dispatched').to.equal(null);
    let changed = 0;
    el.addEventListener('dispatch-changed', () => changed++);
    root.querySelector<HTMLSelectElement>('#redispatch-department')!.value = 'water';
    root.querySelector<HTMLFormElement>('form[aria-labelledby="redispatch-h"]')!.requestSubmit();
    await settle(el);
    expect(client.calls).to.deep.equal([{ name: 'routeRequest', args: ['RS-7KQ2-M9XD-N', 'water'] }]);
    expect(changed).to.equal(1);
    expect(root.querySelector('.notice')!.textContent).to.equal('已改派给区水务局。');
    await expect(el).to.be.accessible();
  });

  it('the dispatcher overrules a return with a reason', async () => {
    const r = request({ routedTo: DISPATCH, redispatching: true, returnPending: PENDING, returns: 1 });
    const { el, client, root } = await panel(r, { role: 'dispatcher' });
    const form = root.querySelector<HTMLFormElement>('form[aria-labelledby="overrule-h"]')!;
    expect(form.querySelector('button')!.textContent).to.equal('驳回，仍由区城市管理和环境卫生局办理');
    form.requestSubmit();
    await settle(el);
    expect(client.calls).to.have.length(0);
    expect(root.querySelector('[role="alert"]')!.textContent).to.equal('请填写驳回理由。');
    form.querySelector<HTMLTextAreaElement>('#overrule-note')!.value = '经核实属于你单位职责';
    form.requestSubmit();
    await settle(el);
    expect(client.calls).to.deep.equal([{ name: 'overruleReturn', args: ['RS-7KQ2-M9XD-N', '经核实属于你单位职责'] }]);
  });

  it('the dispatcher sets the assisting offices (not the lead, not the centre); in English too', async () => {
    await setLanguage('en');
    try {
      const { el, client, root } = await panel(request({ assisting: [WATER] }), { role: 'dispatcher' });
      const boxes = [...root.querySelectorAll<HTMLInputElement>('[data-offices-form] input[name="assist"]')];
      expect(boxes.map((b) => b.value)).to.deep.equal(['housing', 'water']);
      expect(boxes.find((b) => b.value === 'water')!.checked).to.equal(true);
      boxes.find((b) => b.value === 'housing')!.checked = true;
      root.querySelector<HTMLFormElement>('[data-offices-form]')!.requestSubmit();
      await settle(el);
      expect(client.calls).to.deep.equal([{ name: 'setOffices', args: ['RS-7KQ2-M9XD-N', ['housing', 'water']] }]);
      expect(root.querySelector('.notice')!.textContent).to.equal('2 assisting offices.');
      expect(root.querySelector('h3')!.textContent).to.equal('Offices and moves');
      await expect(el).to.be.accessible();
    } finally {
      await setLanguage('zh-CN');
    }
  });
});
