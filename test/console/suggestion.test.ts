/**
 * The dispatch suggestion in the console (<staff-suggestion>, <staff-suggestion-metrics>) in a
 * browser with a stand-in StaffClient: 建议：<service> → <department>（把握 82%）with the one-click
 * confirm for the dispatcher (it calls the confirm action and shows the decision), the other
 * suggestions with 改派到此 (an ordinary route), nothing to press for an office, a chat's suggestion
 * fetched again when the resident writes, the metrics' accuracy tile; axe-clean; both languages.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { DispatchSuggestion, SuggestionMetrics } from '../../demo/server/loop/dispatch-suggestion-api.js';
import { setLanguage } from '../../demo/console/i18n.js';
import type { StaffClient } from '../../demo/console/staff-client.js';
import type { StaffSuggestion, StaffSuggestionMetrics } from '../../demo/console/staff-suggestion.js';
import '../../demo/console/staff-suggestion.js';

const AT = '2026-12-01T08:00:00.000Z';
const TRANSPORT = { id: 'transport', name: '区交通运输局' };
const HOUSING = { id: 'housing', name: '区住房和城乡建设局' };
const SANITATION = { id: 'sanitation', name: '区城市管理和环境卫生局' };

const suggestion = (extra: Partial<DispatchSuggestion> = {}): DispatchSuggestion => ({
  suggestions: [
    { service: { id: 'road-hazard', name: '道路险情（井盖、塌陷）' }, department: TRANSPORT, confidence: 0.82 },
    { service: { id: 'housing-repair', name: '老旧小区与房屋维修' }, department: HOUSING, confidence: 0.3 },
    { service: { id: 'street-cleaning', name: '道路保洁与绿化' }, department: SANITATION, confidence: 0.1 },
  ],
  model: 'suggest@test',
  createdAt: AT,
  updatedAt: AT,
  decision: null,
  ...extra,
});

function fakeClient(next: () => DispatchSuggestion | null = () => suggestion()) {
  const calls: { name: string; args: unknown[] }[] = [];
  const client = {
    calls,
    confirmSuggestion: async (...args: unknown[]) => void calls.push({ name: 'confirmSuggestion', args }),
    routeRequest: async (...args: unknown[]) => void calls.push({ name: 'routeRequest', args }),
    routeConversation: async (...args: unknown[]) => void calls.push({ name: 'routeConversation', args }),
    suggestion: async (...args: unknown[]) => {
      calls.push({ name: 'suggestion', args });
      return { suggestion: next() };
    },
  };
  return client as unknown as StaffClient & { calls: typeof calls };
}

const settle = async (el: StaffSuggestion) => {
  for (let i = 0; i < 4; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await el.updateComplete;
  }
};

const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('<staff-suggestion>', () => {
  before(async () => {
    await setLanguage('zh-CN');
  });
  after(async () => {
    await setLanguage('zh-CN');
  });

  it('shows the suggestion with its confidence; the dispatcher confirms it with one click and sees the decision', async () => {
    const decided = suggestion({ decision: { outcome: 'confirmed', department: TRANSPORT, service: null, rank: 1, via: 'confirm', by: { id: 'd', name: '张敏' }, at: AT } });
    const client = fakeClient(() => decided);
    let changed = 0;
    const el = await fixture<StaffSuggestion>(html`<staff-suggestion .client=${client} item="request" target="RS-7KQ2-M9XD-N" .suggestion=${suggestion()}
      current="sanitation" canRoute @dispatch-changed=${() => changed++}></staff-suggestion>`);
    const root = el.shadowRoot!;
    expect(text(root.querySelector('[data-best]'))).to.equal('建议：道路险情（井盖、塌陷） → 区交通运输局（把握 82%）');
    const others = [...root.querySelectorAll('[data-other]')].map((li) => li.getAttribute('data-other'));
    expect(others).to.deep.equal(['housing', 'sanitation'], 'the other two suggestions');
    expect(root.querySelectorAll('[data-other] button').length).to.equal(1, 'no "send here" to where it already is');
    await expect(el).to.be.accessible();
    const confirm = root.querySelector<HTMLButtonElement>('[data-confirm]')!;
    expect(text(confirm)).to.equal('确认建议，派给区交通运输局');
    confirm.click();
    await settle(el);
    expect(client.calls.map((c) => [c.name, ...c.args])).to.deep.equal([['confirmSuggestion', 'request', 'RS-7KQ2-M9XD-N'], ['suggestion', 'request', 'RS-7KQ2-M9XD-N']]);
    expect(changed).to.equal(1, 'the view is told to load the request again');
    expect(text(root.querySelector('[role="status"]'))).to.equal('已按建议派给区交通运输局');
    expect(text(root.querySelector('[data-decision="confirmed"]'))).to.contain('已确认建议');
    expect(root.querySelector('[data-confirm]'), 'decided: nothing left to confirm').to.equal(null);
  });

  it('sends it to another suggested department with an ordinary route (the server records the change)', async () => {
    const client = fakeClient();
    const el = await fixture<StaffSuggestion>(html`<staff-suggestion .client=${client} item="conversation" target="c1" .suggestion=${suggestion()} current="dispatch" canRoute></staff-suggestion>`);
    const button = el.shadowRoot!.querySelector<HTMLButtonElement>('[data-other="housing"] button')!;
    expect(button.getAttribute('aria-label')).to.equal('改派到此：区住房和城乡建设局（老旧小区与房屋维修）');
    button.click();
    await settle(el);
    expect(client.calls[0]).to.deep.equal({ name: 'routeConversation', args: ['c1', 'housing'] });
  });

  it('an office sees the suggestion and the decision but has nothing to press', async () => {
    const changed = suggestion({ decision: { outcome: 'changed', department: HOUSING, service: null, rank: 2, via: 'route', by: null, at: AT } });
    const el = await fixture<StaffSuggestion>(html`<staff-suggestion .client=${fakeClient()} item="request" target="RS-1" .suggestion=${changed} current="housing"></staff-suggestion>`);
    const root = el.shadowRoot!;
    expect(root.querySelectorAll('button').length).to.equal(0);
    expect(text(root.querySelector('[data-decision="changed"]'))).to.contain('已改派：区住房和城乡建设局');
    await expect(el).to.be.accessible();
  });

  it('a chat’s suggestion waits for the resident and follows their messages', async () => {
    const client = fakeClient();
    const el = await fixture<StaffSuggestion>(html`<staff-suggestion .client=${client} item="conversation" target="c2" .suggestion=${null} current="dispatch" canRoute .seq=${0}></staff-suggestion>`);
    const root = el.shadowRoot!;
    expect(text(root.querySelector('[data-none]'))).to.equal('居民发来消息后给出建议');
    el.seq = 3;
    await settle(el);
    expect(client.calls).to.deep.equal([{ name: 'suggestion', args: ['conversation', 'c2'] }]);
    expect(root.querySelector('[data-best]')?.getAttribute('data-best')).to.equal('transport');
  });

  it('speaks English', async () => {
    await setLanguage('en');
    const el = await fixture<StaffSuggestion>(html`<staff-suggestion .client=${fakeClient()} item="request" target="RS-1"
      .suggestion=${suggestion({ suggestions: [{ service: { id: 'road-hazard', name: 'Road hazards' }, department: { id: 'transport', name: 'District Transport Bureau' }, confidence: 0.82 }] })}
      current="transport" canRoute></staff-suggestion>`);
    const root = el.shadowRoot!;
    expect(text(root.querySelector('[data-best]'))).to.equal('Suggested: Road hazards → District Transport Bureau (82 % sure)');
    expect(text(root.querySelector('[data-confirm]'))).to.equal('Confirm: keep with District Transport Bureau', 'already there: confirming keeps it');
    await setLanguage('zh-CN');
  });
});

describe('<staff-suggestion-metrics>', () => {
  it('shows top-1 and top-3 accuracy, decided of suggested, per kind and month', async () => {
    await setLanguage('zh-CN');
    const counts = { suggested: 9, decided: 6, top1: 4, top3: 5, top1Rate: 4 / 6, top3Rate: 5 / 6 };
    const figures: SuggestionMetrics = {
      ...counts, model: 'suggest@abc',
      requests: { suggested: 5, decided: 2, top1: 1, top3: 1, top1Rate: 0.5, top3Rate: 0.5 },
      conversations: { suggested: 4, decided: 4, top1: 3, top3: 4, top1Rate: 0.75, top3Rate: 1 },
      byMonth: [{ month: '2026-12', ...counts }],
      byModel: [{ model: 'suggest@abc', ...counts }],
    };
    const el = await fixture<StaffSuggestionMetrics>(html`<staff-suggestion-metrics .figures=${figures}></staff-suggestion-metrics>`);
    const root = el.shadowRoot!;
    expect(text(root.querySelector('[data-top1-rate]'))).to.equal('67%');
    expect(text(root.querySelector('[data-top3-rate]'))).to.equal('83%');
    expect(text(root.querySelector('[data-decided]'))).to.equal('6 / 9');
    expect(text(root.querySelector('[data-row="conversations"] [data-top3]'))).to.equal('100%');
    expect(text(root.querySelector('[data-row="2026-12"] [data-top1]'))).to.equal('67%');
    await expect(el).to.be.accessible();
  });
});
