/**
 * The monthly assessment (考核) for supervisors and the intake centre: a league table of the
 * offices (sortable by any column, best first, with the change since the month before), two
 * charts — the score per office this month and last, and every rating by level — with the table
 * as their text alternative, a month picker and the CSV download (fetched with the session).
 * The address keeps the month and the order: `#/assessment/?month=2026-12&sort=score`.
 *
 * Charts: Chart.js (canvas), loaded only when this page opens; it styles its canvas through the
 * CSSOM and never needs `unsafe-eval`, so it works under a strict Content-Security-Policy.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Chart as ChartType } from 'chart.js';
import type { AssessmentResponse, AssessmentRow } from '../server/loop/assessment-api.js';
import { base } from './console-styles.js';
import { percent, rating, zoneName } from './format.js';
import { LocalizeController, language, number, t } from './i18n.js';
import type { StaffClient } from './staff-client.js';

/** The table's sortable columns: each with its value, whether more is better, and its header. */
const COLUMNS = {
  score: { value: (r: AssessmentRow) => r.score, better: 'more', label: () => t('assessment:col.score') },
  received: { value: (r: AssessmentRow) => r.received, better: 'more', label: () => t('assessment:col.received') },
  accepted: { value: (r: AssessmentRow) => r.accepted.rate, better: 'more', label: () => t('assessment:col.accepted') },
  replied: { value: (r: AssessmentRow) => r.replied.rate, better: 'more', label: () => t('assessment:col.replied') },
  resolved: { value: (r: AssessmentRow) => r.resolved.rate, better: 'more', label: () => t('assessment:col.resolved') },
  solved: { value: (r: AssessmentRow) => r.ratings.solvedRate, better: 'more', label: () => t('assessment:col.solved') },
  satisfaction: { value: (r: AssessmentRow) => r.ratings.satisfactionRate, better: 'more', label: () => t('assessment:col.satisfaction') },
  bad: { value: (r: AssessmentRow) => r.bad.count, better: 'less', label: () => t('assessment:col.bad') },
  returned: { value: (r: AssessmentRow) => r.returned, better: 'less', label: () => t('assessment:col.returned') },
  transferred: { value: (r: AssessmentRow) => r.transferredAway, better: 'less', label: () => t('assessment:col.transferred') },
  escalated: { value: (r: AssessmentRow) => r.escalated + r.supervised, better: 'less', label: () => t('assessment:col.escalated') },
  reopened: { value: (r: AssessmentRow) => r.reopened, better: 'less', label: () => t('assessment:col.reopened') },
} as const;
export type AssessmentSort = keyof typeof COLUMNS;
const SORTS = Object.keys(COLUMNS) as AssessmentSort[];
const RATE_COLUMNS = new Set<AssessmentSort>(['accepted', 'replied', 'resolved', 'solved', 'satisfaction']);

export interface AssessmentView {
  month?: string;
  sort?: AssessmentSort;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The month and order in `#/assessment/?…`. */
export function assessmentViewFromHash(hash: string): AssessmentView {
  const at = hash.indexOf('?');
  const params = new URLSearchParams(at >= 0 ? hash.slice(at + 1) : '');
  const view: AssessmentView = {};
  const month = params.get('month');
  if (month && MONTH.test(month)) view.month = month;
  const sort = params.get('sort');
  if (sort && (SORTS as string[]).includes(sort)) view.sort = sort as AssessmentSort;
  return view;
}

export function hashFromAssessmentView(view: AssessmentView): string {
  const params = new URLSearchParams();
  if (view.month) params.set('month', view.month);
  if (view.sort && view.sort !== 'score') params.set('sort', view.sort);
  const qs = params.toString();
  return qs ? `#/assessment/?${qs}` : '#/assessment';
}

/** `2026-12` moved by `delta` months. */
export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

type ChartModule = typeof import('chart.js');
let chartModule: Promise<ChartModule> | null = null;

/** Chart.js with only the bar chart's parts registered (loaded once, on first use). */
function loadCharts(): Promise<ChartModule> {
  chartModule ??= import('chart.js').then((m) => {
    m.Chart.register(m.BarController, m.BarElement, m.CategoryScale, m.LinearScale, m.Tooltip, m.Legend);
    return m;
  });
  return chartModule;
}

/**
 * @summary The assessment page: league table, charts, month picker, CSV download.
 */
@customElement('staff-assessment')
export class StaffAssessment extends LitElement {
  static override styles = [
    base,
    css`
      :host { display: block; }
      .panel { padding: 0.9em; display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.9em; max-inline-size: 80em; }
      header { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: end; gap: 0.6em; }
      .controls { display: flex; flex-wrap: wrap; align-items: end; gap: 0.4em; }
      .controls label { display: grid; gap: 0.15em; font-size: 0.85em; }
      .wide { overflow-x: auto; }
      table { inline-size: 100%; border-collapse: collapse; font-size: 0.9em; }
      caption { text-align: start; font-weight: 700; padding-block-end: 0.3em; }
      th, td { padding: 0.25em 0.4em; border-block-end: 1px solid var(--c-border); text-align: start; vertical-align: top; }
      td.num, th.num { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
      /* Office names keep a readable width on a phone: the table scrolls in its box instead. */
      tbody th[scope='row'], th.office { min-inline-size: 10em; }
      th button { font: inherit; font-weight: 700; border: 0; background: none; color: inherit; padding: 0; min-height: 1.9em; cursor: pointer; text-align: inherit; }
      th[aria-sort] button { text-decoration: underline; }
      .up { color: var(--c-ok); }
      .down { color: var(--c-danger); }
      .sub { display: block; font-size: 0.8em; color: var(--c-muted); }
      .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 24em), 1fr)); gap: 0.9em; }
      figure { margin: 0; padding: 0.6em; display: grid; gap: 0.4em; }
      figcaption { font-weight: 700; }
      .canvas { position: relative; block-size: 22em; inline-size: 100%; }
      .totals { display: grid; grid-template-columns: repeat(auto-fill, minmax(9em, 1fr)); gap: 0.4em; margin: 0; }
      .totals div { padding: 0.4em 0.6em; }
      .totals dt { font-size: 0.8em; color: var(--c-muted); }
      .totals dd { margin: 0; font-size: 1.3em; font-weight: 700; font-variant-numeric: tabular-nums; }
    `,
  ];

  @property({ attribute: false }) client?: StaffClient;
  @state() private data?: AssessmentResponse;
  @state() private view: AssessmentView = assessmentViewFromHash(location.hash);
  @state() private error = '';
  @state() private busy = false;
  @query('#score-chart') private scoreCanvas?: HTMLCanvasElement;
  @query('#levels-chart') private levelsCanvas?: HTMLCanvasElement;
  protected readonly l10n = new LocalizeController(this);
  private charts: ChartType[] = [];
  private loading = 0;

  private readonly onHash = () => {
    if (!/^#\/assessment(?:\/|$)/.test(location.hash)) return;
    const view = assessmentViewFromHash(location.hash);
    if (hashFromAssessmentView(view) === hashFromAssessmentView(this.view)) return;
    const reload = view.month !== this.view.month;
    this.view = view;
    if (reload) void this.load();
  };

  override connectedCallback() {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
    window.addEventListener('popstate', this.onHash);
    void this.load();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHash);
    window.removeEventListener('popstate', this.onHash);
    for (const chart of this.charts) chart.destroy();
    this.charts = [];
  }

  /** Loads the month in the address (the server's current month when none); a newer load wins. */
  async load(): Promise<void> {
    if (!this.client) return;
    const mine = ++this.loading;
    this.busy = true;
    try {
      const data = await this.client.assessment(this.view.month);
      if (mine !== this.loading) return;
      this.data = data;
      this.error = '';
    } catch (e) {
      if (mine === this.loading) this.error = (e as Error).message;
    } finally {
      if (mine === this.loading) this.busy = false;
    }
  }

  private go(view: AssessmentView) {
    const reload = view.month !== this.view.month;
    this.view = view;
    const hash = hashFromAssessmentView(view);
    if (location.hash !== hash) history.pushState(null, '', `${location.pathname}${location.search}${hash}`);
    if (reload) void this.load();
  }

  private month(): string {
    return this.view.month ?? this.data?.month ?? '';
  }

  private monthName(month: string): string {
    const [y, m] = month.split('-').map(Number) as [number, number];
    return new Intl.DateTimeFormat(language(), { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 15)));
  }

  /** Rows best first by the chosen column (more is better, or less for counts of trouble); no figure last. */
  private sorted(rows: AssessmentRow[]): AssessmentRow[] {
    const column = COLUMNS[this.view.sort ?? 'score'];
    return [...rows].sort((a, b) => {
      const x = column.value(a);
      const y = column.value(b);
      if (x === null && y === null) return a.office.name.localeCompare(b.office.name);
      if (x === null) return 1;
      if (y === null) return -1;
      return (column.better === 'more' ? y - x : x - y) || (b.score ?? -1) - (a.score ?? -1) || a.office.name.localeCompare(b.office.name);
    });
  }

  private cell(key: AssessmentSort, r: AssessmentRow) {
    const value = COLUMNS[key].value(r);
    if (key === 'score') return value === null ? t('common:none') : number(value, { maximumFractionDigits: 1 });
    if (RATE_COLUMNS.has(key)) return percent(value);
    return number(value ?? 0);
  }

  /** The score's change since the month before, in words for screen readers too. */
  private change(r: AssessmentRow) {
    const before = this.data?.previous.offices.find((p) => p.office.id === r.office.id)?.score ?? null;
    if (r.score === null || before === null) return html`<span class="muted">${t('common:none')}</span>`;
    const delta = Math.round((r.score - before) * 10) / 10;
    if (delta === 0) return html`<span>${t('assessment:change.same')}</span>`;
    const n = number(Math.abs(delta), { maximumFractionDigits: 1 });
    return delta > 0
      ? html`<span class="up">▲ ${n}<span class="visually-hidden"> ${t('assessment:change.up')}</span></span>`
      : html`<span class="down">▼ ${n}<span class="visually-hidden"> ${t('assessment:change.down')}</span></span>`;
  }

  private header(key: AssessmentSort) {
    const active = (this.view.sort ?? 'score') === key;
    return html`<th scope="col" class="num" aria-sort=${active ? (COLUMNS[key].better === 'more' ? 'descending' : 'ascending') : nothing} data-col=${key}>
      <button type="button" @click=${() => this.go({ ...this.view, sort: key })} aria-label=${t('assessment:sortBy', { column: COLUMNS[key].label() })}>${COLUMNS[key].label()}</button>
    </th>`;
  }

  private table(data: AssessmentResponse) {
    const rows = this.sorted(data.offices);
    return html`<div class="wide" tabindex="0" role="region" aria-labelledby="league-caption"><table data-table="league">
      <caption id="league-caption">${t('assessment:league.caption', { month: this.monthName(data.month) })}</caption>
      <thead><tr>
        <th scope="col" class="num">${t('assessment:col.rank')}</th>
        <th scope="col" class="office">${t('assessment:col.office')}</th>
        ${SORTS.slice(0, 1).map((k) => this.header(k))}
        <th scope="col" class="num">${t('assessment:col.change')}</th>
        ${SORTS.slice(1).map((k) => this.header(k))}
      </tr></thead>
      <tbody>
        ${rows.map((r, i) => html`<tr data-office=${r.office.id}>
          <td class="num">${number(i + 1)}</td>
          <th scope="row">${r.office.name}${r.byTransfer ? html`<span class="sub">${t('assessment:byTransfer', { n: number(r.byTransfer) })}</span>` : nothing}</th>
          <td class="num" data-cell="score">${this.cell('score', r)}</td>
          <td class="num" data-cell="change">${this.change(r)}</td>
          ${SORTS.slice(1).map((k) => html`<td class="num" data-cell=${k}>${this.cell(k, r)}${k === 'bad' && r.bad.appealed
            ? html`<span class="sub">${t('assessment:appealed', { n: number(r.bad.appealed) })}</span>` : nothing}${k === 'replied' && r.replied.pending
            ? html`<span class="sub">${t('assessment:pending', { n: number(r.replied.pending) })}</span>` : nothing}</td>`)}
        </tr>`)}
      </tbody>
    </table></div>`;
  }

  /** Every rating by level per office: the levels chart's data as a table. */
  private levelsTable(data: AssessmentResponse) {
    const rated = data.offices.filter((r) => r.ratings.count > 0);
    return html`<div class="wide" tabindex="0" role="region" aria-labelledby="levels-table-caption"><table data-table="levels">
      <caption id="levels-table-caption">${t('assessment:levels.caption')}</caption>
      <thead><tr><th scope="col" class="office">${t('assessment:col.office')}</th>
        ${[5, 4, 3, 2, 1].map((level) => html`<th scope="col" class="num">${this.levelName(level)}</th>`)}
        <th scope="col" class="num">${t('assessment:levels.appealed')}</th></tr></thead>
      <tbody>
        ${rated.length
          ? rated.map((r) => html`<tr data-office=${r.office.id}><th scope="row">${r.office.name}</th>
              ${[5, 4, 3, 2, 1].map((level) => html`<td class="num">${number(r.ratings.byLevel[String(level)] ?? 0)}</td>`)}
              <td class="num">${number(r.ratings.appealed)}</td></tr>`)
          : html`<tr><td colspan="7" class="muted">${t('assessment:levels.none')}</td></tr>`}
      </tbody>
    </table></div>`;
  }

  private levelName(level: number): string {
    switch (level) {
      case 5: return t('assessment:level.5');
      case 4: return t('assessment:level.4');
      case 3: return t('assessment:level.3');
      case 2: return t('assessment:level.2');
      default: return t('assessment:level.1');
    }
  }

  private totals(data: AssessmentResponse) {
    const tt = data.totals;
    return html`<dl class="totals" data-totals>
      <div class="card"><dt>${t('assessment:totals.items')}</dt><dd data-total="items">${number(tt.items)}</dd></div>
      <div class="card"><dt>${t('assessment:col.replied')}</dt><dd data-total="replied">${percent(tt.replied.rate)}</dd></div>
      <div class="card"><dt>${t('assessment:col.resolved')}</dt><dd>${percent(tt.resolved.rate)}</dd></div>
      <div class="card"><dt>${t('assessment:col.solved')}</dt><dd>${percent(tt.ratings.solvedRate)}</dd></div>
      <div class="card"><dt>${t('assessment:col.satisfaction')}</dt><dd>${percent(tt.ratings.satisfactionRate)}</dd></div>
      <div class="card"><dt>${t('assessment:totals.average')}</dt><dd>${rating(tt.ratings.average)}</dd></div>
      <div class="card"><dt>${t('assessment:col.bad')}</dt><dd>${number(tt.bad.count)}</dd></div>
      <div class="card"><dt>${t('assessment:col.escalated')}</dt><dd>${number(tt.escalated + tt.supervised)}</dd></div>
    </dl>`;
  }

  private async download() {
    if (!this.client) return;
    const month = this.month();
    try {
      const blob = await this.client.assessmentCsv(month || undefined);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `assessment-${month || 'month'}.csv`;
      this.renderRoot.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  protected override async updated() {
    await this.drawCharts();
  }

  private drawnFor = '';

  /** Draws (or redraws, for a new month, order or language) the two charts. */
  private async drawCharts() {
    const data = this.data;
    if (!data || !this.scoreCanvas || !this.levelsCanvas) return;
    const key = `${data.month}|${data.asOf}|${language()}|${this.view.sort ?? 'score'}`;
    if (key === this.drawnFor) return;
    this.drawnFor = key;
    const { Chart } = await loadCharts();
    if (!this.isConnected || !this.scoreCanvas || !this.levelsCanvas) return;
    for (const chart of this.charts) chart.destroy();
    const style = getComputedStyle(this);
    const colour = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
    const rows = this.sorted(data.offices);
    const labels = rows.map((r) => r.office.name);
    const before = new Map(data.previous.offices.map((p) => [p.office.id, p.score]));
    const common = { responsive: true, maintainAspectRatio: false, animation: false as const, indexAxis: 'y' as const };
    this.charts = [
      new Chart(this.scoreCanvas, {
        type: 'bar',
        data: {
          labels,
          datasets: [
            { label: this.monthName(data.month), data: rows.map((r) => r.score), backgroundColor: colour('--c-primary', '#0b5cad') },
            { label: this.monthName(data.previous.month), data: rows.map((r) => before.get(r.office.id) ?? null), backgroundColor: colour('--c-border', '#d5d9df') },
          ],
        },
        options: { ...common, scales: { x: { min: 0, max: 100 } } },
      }),
      new Chart(this.levelsCanvas, {
        type: 'bar',
        data: {
          labels,
          datasets: [5, 4, 3, 2, 1].map((level) => ({
            label: this.levelName(level),
            data: rows.map((r) => r.ratings.byLevel[String(level)] ?? 0),
            backgroundColor: ['#1c6b33', '#5a9e4b', '#c9b037', '#d9822b', '#b3261e'][5 - level],
          })),
        },
        options: { ...common, scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } } },
      }),
    ];
  }

  override render() {
    const data = this.data;
    const month = this.month();
    return html`<div class="panel">
      <header>
        <h2>${t('assessment:heading')}</h2>
        <div class="controls">
          <button type="button" class="secondary" ?disabled=${!month} @click=${() => this.go({ ...this.view, month: addMonths(month, -1) })}>${t('assessment:month.previous')}</button>
          <label>${t('assessment:month.label')}
            <input type="month" id="month" .value=${month} @change=${(e: Event) => {
              const value = (e.target as HTMLInputElement).value;
              if (MONTH.test(value)) this.go({ ...this.view, month: value });
            }} />
          </label>
          <button type="button" class="secondary" ?disabled=${!month} @click=${() => this.go({ ...this.view, month: addMonths(month, 1) })}>${t('assessment:month.next')}</button>
          <button type="button" id="download" @click=${() => this.download()}>${t('assessment:download')}</button>
        </div>
      </header>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <p class="muted" aria-live="polite">${this.busy
        ? t('assessment:loading')
        : data ? t('assessment:asOf', { month: this.monthName(data.month), zone: zoneName(data.timeZone), previous: this.monthName(data.previous.month) }) : ''}</p>
      ${data
        ? html`
            ${this.totals(data)}
            ${this.table(data)}
            <div class="charts">
              <figure class="card">
                <figcaption id="score-caption">${t('assessment:chart.score')}</figcaption>
                <div class="canvas"><canvas id="score-chart" role="img" aria-labelledby="score-caption" aria-describedby="chart-note"></canvas></div>
              </figure>
              <figure class="card">
                <figcaption id="levels-caption">${t('assessment:chart.levels')}</figcaption>
                <div class="canvas"><canvas id="levels-chart" role="img" aria-labelledby="levels-caption" aria-describedby="chart-note"></canvas></div>
              </figure>
            </div>
            <p class="muted" id="chart-note">${t('assessment:chart.note')}</p>
            ${this.levelsTable(data)}
          `
        : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-assessment': StaffAssessment;
  }
}
