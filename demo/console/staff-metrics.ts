/**
 * The metrics panel: open work by status, time to first reply, every rating (a reopened request's
 * earlier ones too) by level, the unhappy ones listed first-hand, satisfaction by department and site.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { REQUEST_STATUSES } from '../../src/client/protocol.js';
import type { Metrics } from '../server/staff/staff-api.js';
import { base } from './console-styles.js';
import { dateAndTime, fullTime, minutesLabel, percent, rating, statusLabel } from './format.js';
import { LocalizeController, number, t } from './i18n.js';
import type { StaffClient } from './staff-client.js';
import './staff-suggestion.js';

interface Row {
  id: string;
  name: string;
  average: number | null;
  count: number;
  solvedRate: number | null;
  unhappy: number;
}

/** A rating as the resident chose it: the level's name (the widget's words) and its score of 5. */
const stars = (n: number) => t('metrics:stars', { n, level: t(`metrics:level.${n}`) });

@customElement('staff-metrics')
export class StaffMetrics extends LitElement {
  static override styles = [
    base,
    css`
      :host { display: block; }
      .panel { padding: 0.9em; display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.9em; max-inline-size: 60em; }
      /* A table wider than a phone scrolls sideways in its own box, not the page; focusable so a keyboard scrolls it too. */
      .wide { overflow-x: auto; }
      header { display: flex; justify-content: space-between; align-items: center; gap: 0.5em; }
      .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(7.5em, 1fr)); gap: 0.4em; }
      dl, dd { margin: 0; }
      .tile { padding: 0.4em 0.6em; display: grid; gap: 0.05em; }
      .tile .n { font-size: 1.35em; font-weight: 700; font-variant-numeric: tabular-nums; }
      .tile .l { font-size: 0.8em; color: var(--c-muted); }
      table { inline-size: 100%; border-collapse: collapse; font-size: 0.9em; }
      caption { text-align: start; font-weight: 700; padding-bottom: 0.3em; }
      th, td { padding: 0.25em 0.4em; border-block-end: 1px solid var(--c-border); text-align: start; }
      td.num, th.num { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
      /* Column heads stay on one line (a phone's narrow table scrolls in its box instead of breaking 工单 into 工/单). */
      thead th { white-space: nowrap; }
      h3 { font-size: 0.85em; text-transform: uppercase; letter-spacing: 0.04em; color: var(--c-muted); }
      button { font-size: 0.85em; min-height: 1.9em; }
      .bad { color: var(--c-danger); }
      meter { inline-size: 8em; }
      td.comment { white-space: pre-wrap; overflow-wrap: anywhere; max-inline-size: 24em; }
    `,
  ];

  @property({ attribute: false }) client?: StaffClient;
  @state() private metrics?: Metrics;
  protected readonly l10n = new LocalizeController(this);
  @state() private error = '';
  private pending?: Promise<void>;
  private again = false;

  override connectedCallback() {
    super.connectedCallback();
    void this.refresh();
  }

  /** Reloads the figures; calls during a load are folded into one more load. */
  refresh(): Promise<void> {
    if (this.pending) {
      this.again = true;
      return this.pending;
    }
    this.pending = (async () => {
      try {
        do {
          this.again = false;
          if (!this.client) return;
          this.metrics = await this.client.metrics();
          this.error = '';
        } while (this.again);
      } catch (e) {
        this.error = (e as Error).message;
      } finally {
        this.pending = undefined;
      }
    })();
    return this.pending;
  }

  private table(caption: string, rows: Row[], label: string, kind: string) {
    const rated = rows.filter((r) => r.count > 0);
    return html`<div class="wide" tabindex="0" role="region" aria-label=${caption}><table data-table=${kind}>
      <caption>${caption}</caption>
      <thead><tr><th scope="col">${label}</th><th scope="col" class="num">${t('metrics:col.average')}</th><th scope="col" class="num">${t('metrics:col.ratings')}</th><th scope="col" class="num">${t('metrics:col.solved')}</th><th scope="col" class="num">${t('metrics:col.unhappy')}</th></tr></thead>
      <tbody>
        ${rated.length
          ? rated.map(
              (r) => html`<tr data-id=${r.id}>
                <th scope="row">${r.name}</th>
                <td class="num" data-average>${rating(r.average)}</td>
                <td class="num">${number(r.count)}</td>
                <td class="num">${percent(r.solvedRate)}</td>
                <td class="num ${r.unhappy ? 'bad' : ''}" data-unhappy>${number(r.unhappy)}</td>
              </tr>`,
            )
          : html`<tr><td colspan="5" class="muted">${t('metrics:noRatings')}</td></tr>`}
      </tbody>
    </table></div>`;
  }

  /** Ratings per level, 5 down to 1, with a bar against the most common level. */
  private levels(m: Metrics) {
    const counts = [5, 4, 3, 2, 1].map((level) => ({ level, n: m.ratings.byRating[String(level)] ?? 0 }));
    const most = Math.max(1, ...counts.map((c) => c.n));
    const caption = t('metrics:levels.caption', { n: number(m.ratings.count), count: m.ratings.count });
    return html`<div class="wide" tabindex="0" role="region" aria-label=${caption}><table data-table="levels">
      <caption>${caption}</caption>
      <thead><tr><th scope="col">${t('metrics:levels.rating')}</th><th scope="col" class="num">${t('metrics:levels.count')}</th><th scope="col"><span class="visually-hidden">${t('metrics:levels.share')}</span></th></tr></thead>
      <tbody>
        ${counts.map(
          (c) => html`<tr data-level=${c.level}>
            <th scope="row">${stars(c.level)}</th>
            <td class="num" data-count>${c.n}</td>
            <td aria-hidden="true">${c.level <= 2
              ? html`<meter min="0" max=${most} value=${c.n} optimum="0" low="0.5" high="0.5"></meter>` // bad levels drawn in the "bad" colour
              : html`<meter min="0" max=${most} value=${c.n}></meter>`}</td>
          </tr>`,
        )}
      </tbody>
    </table></div>`;
  }

  /** The newest unhappy ratings (Dissatisfied or Very dissatisfied, or not solved): what the intake centre sends back or calls back first. */
  private unhappy(m: Metrics) {
    const caption = t('metrics:unhappy.caption', { n: number(m.ratings.unhappy) });
    return html`<div class="wide" tabindex="0" role="region" aria-label=${caption}><table data-table="unhappy">
      <caption>${caption}</caption>
      <thead><tr><th scope="col">${t('metrics:unhappy.request')}</th><th scope="col" class="num">${t('metrics:levels.rating')}</th><th scope="col">${t('metrics:col.solved')}</th><th scope="col">${t('metrics:unhappy.comment')}</th><th scope="col">${t('metrics:unhappy.department')}</th><th scope="col">${t('metrics:unhappy.rated')}</th><th scope="col">${t('metrics:unhappy.now')}</th></tr></thead>
      <tbody>
        ${m.unhappyRatings.length
          ? m.unhappyRatings.map(
              (u) => html`<tr data-reference=${u.reference}>
                <th scope="row"><a href=${`#/request/${encodeURIComponent(u.reference)}`}>${u.reference}</a></th>
                <td class="num bad">${stars(u.rating)}</td>
                <td>${u.resolved ? t('metrics:unhappy.solved') : t('metrics:unhappy.notSolved')}</td>
                <td class="comment">${u.comment ?? html`<span class="muted">${t('common:none')}</span>`}</td>
                <td>${u.department.name}</td>
                <td><time datetime=${u.at} title=${fullTime(u.at)}>${dateAndTime(u.at)}</time></td>
                <td>${u.reopened ? t('metrics:unhappy.reopened', { status: statusLabel(u.status) }) : statusLabel(u.status)}</td>
              </tr>`,
            )
          : html`<tr><td colspan="7" class="muted">${t('metrics:unhappy.none')}</td></tr>`}
      </tbody>
    </table></div>`;
  }

  override render() {
    const m = this.metrics;
    return html`<div class="panel">
      <header>
        <h2 id="metrics-h">${t('metrics:heading')}</h2>
        <button type="button" class="secondary" @click=${() => this.refresh()}>${t('metrics:refresh')}</button>
      </header>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${m
        ? html`
            <div>
              <h3 id="open-h">${t('metrics:open.heading')}</h3>
              <div class="tiles" role="list" aria-labelledby="open-h">
                ${REQUEST_STATUSES.filter((s) => s !== 'closed').map(
                  (s) => html`<div class="tile card" role="listitem" data-status=${s}>
                    <span class="n">${number(m.openByStatus[s] ?? 0)}</span><span class="l">${statusLabel(s)}</span>
                  </div>`,
                )}
                <div class="tile card" role="listitem" data-status="chats">
                  <span class="n">${number(m.openConversations)}</span><span class="l">${t('metrics:open.chats')}</span>
                </div>
              </div>
            </div>
            <dl class="tiles">
              <div class="tile card"><dt class="l">${t('metrics:tile.median')}</dt><dd class="n" data-median>${minutesLabel(m.medianFirstReplyMinutes)}${m.medianFirstReplyMinutes === null ? html`<span class="visually-hidden">${t('metrics:tile.noReplies')}</span>` : nothing}</dd></div>
              <div class="tile card"><dt class="l">${t('metrics:tile.solved')}</dt><dd class="n" data-solved>${percent(m.solvedRate)}</dd></div>
              <div class="tile card"><dt class="l">${t('metrics:tile.ratings')}</dt><dd class="n" data-ratings-count>${number(m.ratings.count)}</dd></div>
              <div class="tile card"><dt class="l">${t('metrics:tile.averageLatest')}</dt><dd class="n" data-average-latest>${rating(m.ratings.averageLatest)}</dd></div>
              <div class="tile card"><dt class="l">${t('metrics:tile.averageAll')}</dt><dd class="n" data-average-all>${rating(m.ratings.averageAll)}</dd></div>
              <div class="tile card"><dt class="l">${t('metrics:tile.notSolved')}</dt><dd class="n ${m.ratings.notSolved ? 'bad' : ''}" data-not-solved>${number(m.ratings.notSolved)}</dd></div>
              <div class="tile card"><dt class="l">${t('metrics:tile.unhappy')}</dt><dd class="n ${m.ratings.unhappy ? 'bad' : ''}" data-unhappy-count>${number(m.ratings.unhappy)}</dd></div>
            </dl>
            <staff-suggestion-metrics .figures=${m.dispatchSuggestions}></staff-suggestion-metrics>
            ${this.unhappy(m)}
            ${this.levels(m)}
            ${this.table(t('metrics:byDepartment'), m.satisfactionByDepartment.map((r) => ({ ...r, ...r.department })), t('metrics:unhappy.department'), 'department')}
            ${this.table(t('metrics:bySite'), m.satisfactionBySite.map((r) => ({ ...r, ...r.site })), t('metrics:site'), 'site')}
          `
        : this.error
          ? nothing
          : html`<p class="muted">${t('metrics:loading')}</p>`}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-metrics': StaffMetrics;
  }
}
