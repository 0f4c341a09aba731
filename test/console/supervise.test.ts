/**
 * The 督办 panel of the request view (staff-supervise) in a browser with a stand-in StaffClient:
 * the escalation state and history with the supervisor's note, the form for supervisors (checks
 * first, the limit typed in the site's time zone sent as the right instant, the server's 422 at the
 * field), none for an officer, who still reads the note; axe-clean.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { StaffRequestDetail } from '../../demo/server/staff/staff-api.js';
import type { Supervision, SuperviseInput } from '../../demo/server/loop/supervision-api.js';
import { setLanguage } from '../../demo/console/i18n.js';
import { StaffApiError, type StaffClient } from '../../demo/console/staff-client.js';
import { instantToZoned, zonedToInstant, type StaffSupervise } from '../../demo/console/staff-supervise.js';
import '../../demo/console/staff-supervise.js';

const OFFICE = { id: 'sanitation', name: '区城市管理和环境卫生局' };
const REQUEST = {
  reference: 'RS-7KQ2-M9XD-N', updatedAt: '2026-12-01T07:45:00.000Z', timeline: [], replies: [], timeZone: 'Asia/Shanghai',
} as unknown as StaffRequestDetail;

function supervision(extra: Partial<Supervision> = {}): Supervision {
  return {
    reference: REQUEST.reference, level: 1, escalatedAt: '2026-12-01T07:45:00.000Z', supervisedUntil: null,
    replyBy: '2026-12-01T07:44:00.000Z', resolveBy: null, canSupervise: true, office: OFFICE, timeZone: 'Asia/Shanghai',
    history: [{ at: '2026-12-01T07:45:00.000Z', type: 'escalated', by: null, which: 'reply', due: '2026-12-01T07:44:00.000Z', level: 1 }],
    ...extra,
  };
}

function fakeClient(refuse = false) {
  const calls: SuperviseInput[] = [];
  let state = supervision();
  const client = {
    calls,
    async supervision() {
      return state;
    },
    async supervise(_reference: string, input: SuperviseInput) {
      calls.push(input);
      if (refuse) throw new StaffApiError(422, 'validation_failed', 'Some fields are not valid', { replyBy: '新的时限须晚于现在' });
      state = supervision({
        level: 2, supervisedUntil: input.replyBy!, replyBy: input.replyBy!,
        history: [...state.history, { at: '2026-12-01T09:10:00.000Z', type: 'supervised', by: { id: 'a1', name: '赵刚' }, which: 'reply', due: input.replyBy!, previous: state.replyBy, note: input.note, level: 2 }],
      });
      return state;
    },
  };
  return client;
}

const settle = async (el: StaffSupervise) => {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
  }
};

describe('staff-supervise (督办 panel)', () => {
  before(async () => {
    await setLanguage('zh-CN');
  });

  it('reads a wall-clock time in the site’s time zone as the right instant, and back', () => {
    expect(zonedToInstant('2030-01-02T09:30', 'Asia/Shanghai')!.toISOString()).to.equal('2030-01-02T01:30:00.000Z');
    expect(zonedToInstant('2030-07-01T12:00', 'America/New_York')!.toISOString()).to.equal('2030-07-01T16:00:00.000Z');
    expect(zonedToInstant('2030-01-01T12:00', 'America/New_York')!.toISOString()).to.equal('2030-01-01T17:00:00.000Z');
    expect(instantToZoned(new Date('2030-01-02T01:30:00.000Z'), 'Asia/Shanghai')).to.equal('2030-01-02T09:30');
    expect(zonedToInstant('not a time', 'Asia/Shanghai')).to.equal(null);
  });

  it('shows the escalation and lets a supervisor supervise with a note and a new limit', async () => {
    const client = fakeClient();
    const el = await fixture<StaffSupervise>(html`<staff-supervise .client=${client as unknown as StaffClient} .request=${REQUEST} staffRole="supervisor"></staff-supervise>`);
    await settle(el);
    const root = el.shadowRoot!;
    expect(root.querySelector('[data-state]')!.textContent).to.contain('督办 1 次');
    expect(root.querySelector('[data-state]')!.textContent).to.contain('系统已自动督办');
    expect(root.querySelectorAll('[data-history] li[data-step="escalated"]').length).to.equal(1);
    await expect(el).to.be.accessible();

    // Nothing typed: the checks speak first, nothing is sent.
    const form = root.querySelector('form')!;
    form.requestSubmit();
    await settle(el);
    expect(client.calls.length).to.equal(0);
    expect(root.querySelector('#supervise-note-error')!.textContent).to.contain('请填写督办意见');
    expect(root.querySelector('#supervise-limit-error')).to.exist;
    expect(root.activeElement?.id).to.equal('supervise-note');

    (root.querySelector('#supervise-note') as HTMLTextAreaElement).value = '请两日内到现场核查并答复市民';
    (root.querySelector('#supervise-limit') as HTMLInputElement).value = '2030-01-02T09:30';
    let changed = 0;
    el.addEventListener('item-changed', () => changed++);
    form.requestSubmit();
    await settle(el);
    expect(client.calls).to.deep.equal([{ note: '请两日内到现场核查并答复市民', replyBy: '2030-01-02T01:30:00.000Z' }]);
    expect(changed).to.equal(1);
    expect(root.querySelector('.notice')!.textContent).to.contain(OFFICE.name);
    const supervised = root.querySelector('[data-history] li[data-step="supervised"]')!;
    expect(supervised.querySelector('[data-note]')!.textContent).to.equal('请两日内到现场核查并答复市民');
    expect(supervised.textContent).to.contain('赵刚');
    expect(root.querySelector('[data-state]')!.textContent).to.contain('督办 2 次');
    await expect(el).to.be.accessible();
  });

  it('shows the server’s refusal at the limit', async () => {
    const client = fakeClient(true);
    const el = await fixture<StaffSupervise>(html`<staff-supervise .client=${client as unknown as StaffClient} .request=${REQUEST} staffRole="dispatcher"></staff-supervise>`);
    await settle(el);
    const root = el.shadowRoot!;
    (root.querySelector('#supervise-note') as HTMLTextAreaElement).value = '督办';
    (root.querySelector('#supervise-limit') as HTMLInputElement).value = '2030-01-02T09:30';
    root.querySelector('form')!.requestSubmit();
    await settle(el);
    expect(client.calls.length).to.equal(1);
    expect(root.querySelector('#supervise-limit-error')!.textContent).to.contain('新的时限须晚于现在');
    expect((root.querySelector('#supervise-note') as HTMLTextAreaElement).value).to.equal('督办', 'what was typed is kept');
  });

  it('an officer reads the state and the supervisor’s note, with no form', async () => {
    const client = fakeClient();
    await client.supervise(REQUEST.reference, { note: '请尽快答复', replyBy: '2030-01-02T01:30:00.000Z' });
    const el = await fixture<StaffSupervise>(html`<staff-supervise .client=${client as unknown as StaffClient} .request=${REQUEST} staffRole="department"></staff-supervise>`);
    await settle(el);
    const root = el.shadowRoot!;
    expect(root.querySelector('form')).to.equal(null);
    expect(root.querySelector('[data-note]')!.textContent).to.equal('请尽快答复');
    await setLanguage('en');
    await settle(el);
    expect(root.querySelector('h3')!.textContent).to.equal('Supervision');
    expect(root.querySelector('[data-state]')!.textContent).to.contain('Supervised by 赵刚');
    await expect(el).to.be.accessible();
    await setLanguage('zh-CN');
  });
});
