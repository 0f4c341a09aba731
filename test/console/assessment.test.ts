/**
 * The console's assessment page (demo/console/staff-assessment.ts) with a stand-in client: the
 * league table best first with the change since last month, a chart drawn for the score and one
 * for the levels (Chart.js canvases) beside their tables, sorting by a column (keyboard), the
 * month picker loading another month into the address, the CSV fetched with the session; both
 * languages; axe on a phone and a desktop.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { resize } from '../helpers/viewport.js';
import { setLanguage } from '../../demo/console/i18n.js';
import '../../demo/console/staff-assessment.js';
import { addMonths, assessmentViewFromHash, hashFromAssessmentView, type StaffAssessment } from '../../demo/console/staff-assessment.js';
import type { StaffClient } from '../../demo/console/staff-client.js';
import type { AssessmentFigures, AssessmentMonth, AssessmentResponse, AssessmentRow } from '../../demo/server/loop/assessment-api.js';

const WAIT = { timeout: 8000 };

function figures(over: { received: number; replied: number; late: number; levels: number[]; score: number | null; returned?: number; appealed?: number }): AssessmentFigures {
  const [l1 = 0, l2 = 0, l3 = 0, l4 = 0, l5 = 0] = over.levels;
  const count = l1 + l2 + l3 + l4 + l5;
  const step = { onTime: over.replied, late: over.late, pending: 0, rate: over.replied + over.late ? over.replied / (over.replied + over.late) : null };
  return {
    received: over.received, byTransfer: 0, accepted: step, replied: step, resolved: step,
    ratings: { count, byLevel: { '1': l1, '2': l2, '3': l3, '4': l4, '5': l5 }, solved: count, notSolved: 0, appealed: over.appealed ?? 0,
      average: count ? (l1 + 2 * l2 + 3 * l3 + 4 * l4 + 5 * l5) / count : null, solvedRate: count ? 1 : null, satisfactionRate: count ? (l3 + l4 + l5) / count : null },
    bad: { count: l1 + l2, appealed: over.appealed ?? 0, redone: 0, answered: 0 },
    redo: { count: 0, answered: 0, answeredOnTime: 0 },
    returned: over.returned ?? 0, returnsOverruled: 0, transferredAway: 0, reopened: 0, escalated: 0, supervised: 0,
    score: over.score,
  };
}
const office = (id: string, name: string, f: AssessmentFigures): AssessmentRow => ({ office: { id, name }, ...f });

function month(m: string, rows: AssessmentRow[]): AssessmentMonth {
  const total = figures({ received: rows.reduce((n, r) => n + r.received, 0), replied: 1, late: 0, levels: [], score: null });
  return { month: m, from: `${m}-01T00:00:00.000Z`, until: `${m}-28T00:00:00.000Z`, offices: rows, totals: { items: total.received, ...total } };
}

class FakeClient {
  asked: (string | undefined)[] = [];
  csv: (string | undefined)[] = [];
  async assessment(m?: string): Promise<AssessmentResponse> {
    this.asked.push(m);
    const current = m ?? '2026-12';
    const rows = current === '2026-12'
      ? [
          office('sanitation', '区环卫所', figures({ received: 10, replied: 6, late: 4, levels: [2, 1, 1, 0, 1], score: 55, returned: 3, appealed: 1 })),
          office('market-regulation', '区市场监管局', figures({ received: 4, replied: 4, late: 0, levels: [0, 0, 0, 1, 3], score: 96 })),
          office('housing', '区住建委', figures({ received: 0, replied: 0, late: 0, levels: [], score: null })),
        ]
      : [office('sanitation', '区环卫所', figures({ received: 2, replied: 2, late: 0, levels: [], score: 100 }))];
    const before = [
      office('sanitation', '区环卫所', figures({ received: 8, replied: 6, late: 2, levels: [], score: 60 })),
      office('market-regulation', '区市场监管局', figures({ received: 3, replied: 3, late: 0, levels: [], score: 90 })),
    ];
    return { ...month(current, rows), timeZone: 'Asia/Shanghai', asOf: '2027-01-10T00:00:00.000Z', previous: month(addMonths(current, -1), before) };
  }
  async assessmentCsv(m?: string): Promise<Blob> {
    this.csv.push(m);
    return new Blob(['\uFEFF月份,单位编号\r\n'], { type: 'text/csv;charset=utf-8' });
  }
}

const names = (el: StaffAssessment) =>
  [...el.shadowRoot!.querySelectorAll('table[data-table="league"] tbody tr')].map((tr) => tr.getAttribute('data-office'));

describe('staff-assessment', () => {
  before(async () => {
    await setLanguage('zh-CN');
  });
  beforeEach(() => {
    history.replaceState(null, '', `${location.pathname}${location.search}#/assessment`);
  });
  after(async () => {
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    await setLanguage('zh-CN');
  });

  it('reads and writes the month and order in the address', () => {
    expect(assessmentViewFromHash('#/assessment/?month=2026-12&sort=bad')).to.deep.equal({ month: '2026-12', sort: 'bad' });
    expect(assessmentViewFromHash('#/assessment/?month=2026-13&sort=nope')).to.deep.equal({});
    expect(hashFromAssessmentView({ month: '2026-12', sort: 'score' })).to.equal('#/assessment/?month=2026-12');
    expect(addMonths('2026-12', 1)).to.equal('2027-01');
    expect(addMonths('2026-01', -1)).to.equal('2025-12');
  });

  it('shows the league table best first, the change, both charts and their tables; sorts; changes month; downloads', async () => {
    await resize(1280, 800);
    const client = new FakeClient();
    const el = await fixture<StaffAssessment>(html`<staff-assessment .client=${client as unknown as StaffClient}></staff-assessment>`);
    const root = el.shadowRoot!;
    await waitUntil(() => root.querySelector('table[data-table="league"] tbody tr'), 'the league table', WAIT);
    expect(names(el)).to.deep.equal(['market-regulation', 'sanitation', 'housing']);
    const market = root.querySelector('tr[data-office="market-regulation"]')!;
    expect(market.querySelector('[data-cell="change"]')!.textContent).to.contain('6');
    expect(market.querySelector('[data-cell="change"] .up')).to.exist;
    expect(root.querySelector('tr[data-office="sanitation"] [data-cell="change"] .down')).to.exist;
    expect(root.querySelector('tr[data-office="sanitation"] [data-cell="bad"]')!.textContent).to.contain('申诉中 1');
    expect(root.querySelector('table[data-table="league"] caption')!.textContent).to.contain('2026');
    // The charts: Chart.js has drawn into both canvases (it sets their pixel size), labelled, with the tables as their text.
    for (const id of ['score-chart', 'levels-chart']) {
      const canvas = root.querySelector<HTMLCanvasElement>(`#${id}`)!;
      expect(canvas.getAttribute('role')).to.equal('img');
      await waitUntil(() => canvas.width > 0 && canvas.height > 0 && canvas.style.display === 'block', `${id} drawn`, WAIT);
    }
    expect(root.querySelectorAll('table[data-table="levels"] tbody tr')).to.have.length(2);
    await expect(el).to.be.accessible();

    // Sort by returns (fewer is better) with the keyboard: the header's button, Enter.
    const returns = root.querySelector<HTMLButtonElement>('th[data-col="returned"] button')!;
    returns.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => root.querySelector('th[data-col="returned"]')!.getAttribute('aria-sort') === 'ascending', 'sorted by returns', WAIT);
    // A tie (no returns) goes to the better score.
    expect(names(el)).to.deep.equal(['market-regulation', 'housing', 'sanitation']);
    expect(location.hash).to.equal('#/assessment/?sort=returned');
    root.querySelector<HTMLButtonElement>('th[data-col="received"] button')!.click();
    await waitUntil(() => names(el)[0] === 'sanitation', 'sorted by received', WAIT);
    expect(root.querySelector('th[data-col="received"]')!.getAttribute('aria-sort')).to.equal('descending');

    // Another month: from the picker; the address keeps it and the order.
    const picker = root.querySelector<HTMLInputElement>('#month')!;
    expect(picker.value).to.equal('2026-12');
    picker.value = '2026-11';
    picker.dispatchEvent(new Event('change'));
    await waitUntil(() => client.asked.includes('2026-11') && names(el).length === 1, 'November loaded', WAIT);
    expect(location.hash).to.equal('#/assessment/?month=2026-11&sort=received');
    // The previous-month button.
    [...root.querySelectorAll<HTMLButtonElement>('.controls button')].find((b) => b.textContent!.trim() === '上个月')!.click();
    await waitUntil(() => client.asked.includes('2026-10'), 'October asked', WAIT);

    // CSV through the client (the session), for the month shown.
    const clicked: string[] = [];
    const spy = (e: Event) => {
      const a = e.target as HTMLAnchorElement;
      if (a.download) {
        clicked.push(a.download);
        expect(a.href.startsWith('blob:')).to.equal(true);
        e.preventDefault();
      }
    };
    root.addEventListener('click', spy, true);
    root.querySelector<HTMLButtonElement>('#download')!.click();
    await waitUntil(() => clicked.length === 1, 'the download', WAIT);
    root.removeEventListener('click', spy, true);
    expect(client.csv).to.deep.equal(['2026-10']);
    expect(clicked).to.deep.equal(['assessment-2026-10.csv']);
  });

  it('in English, and on a phone', async () => {
    await setLanguage('en');
    const sized = await resize(390, 844);
    const el = await fixture<StaffAssessment>(html`<staff-assessment .client=${new FakeClient() as unknown as StaffClient}></staff-assessment>`);
    const root = el.shadowRoot!;
    await waitUntil(() => root.querySelector('table[data-table="league"] tbody tr'), 'the league table', WAIT);
    expect(root.querySelector('h2')!.textContent).to.equal('Assessment league table');
    expect(root.querySelector('th[data-col="replied"]')!.textContent!.trim()).to.equal('Replied on time');
    expect(root.querySelector('table[data-table="levels"] thead')!.textContent).to.contain('Very satisfied');
    // The page itself never scrolls sideways; the table scrolls in its own box.
    if (sized) expect(el.scrollWidth).to.be.at.most(390);
    await expect(el).to.be.accessible();
    await resize(1280, 800);
  });
});
