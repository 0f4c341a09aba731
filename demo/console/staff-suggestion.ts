/**
 * The dispatch suggestion of a request or a chat (issue 18; docs/staff-api.md, "Dispatch
 * suggestion"): 建议：<service> → <department>（把握 82%）with a one-click confirm for whoever
 * routes (the dispatcher), the other suggestions with a button each to send it there instead, and
 * staff's decision once made. The route control beside it stays the way to choose anything else;
 * whatever is chosen is recorded by the server as the decision. A chat's suggestion follows the
 * resident's messages: set `seq` to the latest resident message and it is fetched again.
 * Strings: the `suggestion` namespace.
 *
 * @fires dispatch-changed - After it was routed from here: the view should load the item again.
 * @fires item-changed - The same, for the queue.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AccuracyCounts, DispatchSuggestion, SuggestedService, SuggestionMetrics } from '../server/loop/dispatch-suggestion-api.js';
import { base } from './console-styles.js';
import { detail } from './detail-styles.js';
import { percent } from './format.js';
import { LocalizeController, dateTime, fullDateTime, number, t } from './i18n.js';
import { StaffApiError, type StaffClient } from './staff-client.js';

@customElement('staff-suggestion')
export class StaffSuggestion extends LitElement {
  static override styles = [
    base,
    detail,
    css`
      :host { display: block; }
      .best { margin: 0; font-size: 1.05em; overflow-wrap: anywhere; }
      .best strong { font-weight: 700; }
      .sure { color: var(--c-muted); font-variant-numeric: tabular-nums; white-space: nowrap; }
      .low .sure { color: var(--c-danger); }
      ol.others { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.35em; }
      ol.others li { display: flex; flex-wrap: wrap; gap: 0.3em 0.6em; align-items: center; justify-content: space-between; }
      ol.others li span { overflow-wrap: anywhere; min-inline-size: 0; flex: 1 1 12em; }
      .buttons { justify-content: flex-start; }
      .decided { border-inline-start: 4px solid var(--c-ok); }
      .decided.changed { border-inline-start-color: #c98a00; }
      .error { color: var(--c-danger); font-weight: 600; }
    `,
  ];

  protected readonly l10n = new LocalizeController(this);

  @property({ attribute: false }) client?: StaffClient;
  /** Which kind of item: a request (by reference) or a chat (by id). */
  @property() item: 'request' | 'conversation' = 'request';
  /** The request's reference or the chat's id. */
  @property() target = '';
  /** As the detail carried it; fetched again when `seq` changes. */
  @property({ attribute: false }) suggestion?: DispatchSuggestion | null;
  /** Where it is routed now. */
  @property() current = '';
  /** The caller may route it (the dispatcher): confirm and the other suggestions' buttons. */
  @property({ type: Boolean }) canRoute = false;
  /** The item's site time zone (IANA) for the decision's time; absent: the browser's. */
  @property() timeZone?: string;
  /** Chats: the seq of the latest resident message; a change fetches the suggestion again. */
  @property({ type: Number }) seq = 0;

  @state() private busy = false;
  @state() private error = '';
  @state() private notice = '';

  protected override updated(changed: PropertyValues<this>) {
    if (changed.has('seq') && changed.get('seq') !== undefined && this.seq && this.client && this.target) void this.refresh();
  }

  /** Fetches the suggestion again (a chat's changes with the resident's messages). */
  async refresh() {
    const target = this.target;
    try {
      const answer = await this.client!.suggestion(this.item, target);
      if (target === this.target) this.suggestion = answer.suggestion;
    } catch {
      /* the detail's copy stays; the next message or reload catches up */
    }
  }

  private message(e: unknown) {
    if (e instanceof StaffApiError) {
      if (e.status === 0) return t('suggestion:error.network');
      if (e.status === 403) return t('suggestion:error.forbidden');
      if (e.status === 409) return t('suggestion:error.none');
      if (e.status === 422) return t('suggestion:error.invalid');
    }
    return t('suggestion:error.failed');
  }

  private async run(action: () => Promise<unknown>, notice: string) {
    this.busy = true;
    this.error = '';
    this.notice = '';
    try {
      await action();
      this.notice = notice;
      await this.refresh();
      this.dispatchEvent(new CustomEvent('dispatch-changed', { bubbles: true, composed: true }));
      this.dispatchEvent(new CustomEvent('item-changed', { bubbles: true, composed: true }));
    } catch (e) {
      this.error = this.message(e);
    } finally {
      this.busy = false;
    }
  }

  private confirm() {
    const best = this.suggestion?.suggestions[0];
    if (!best) return;
    void this.run(() => this.client!.confirmSuggestion(this.item, this.target), t('suggestion:confirmed', { department: best.department.name }));
  }

  private sendTo(s: SuggestedService) {
    const go = this.item === 'request'
      ? () => this.client!.routeRequest(this.target, s.department.id)
      : () => this.client!.routeConversation(this.target, s.department.id);
    void this.run(go, t('suggestion:routed', { department: s.department.name }));
  }

  private sure(confidence: number) {
    return t('suggestion:confidence', { percent: percent(confidence) });
  }

  override render() {
    const s = this.suggestion;
    const best = s?.suggestions[0];
    const others = s?.suggestions.slice(1) ?? [];
    const decision = s?.decision ?? null;
    return html`<section class="card panel ${decision ? `decided ${decision.outcome}` : ''}" aria-labelledby="suggestion-h" data-suggestion>
      <h3 id="suggestion-h">${t('suggestion:title')}</h3>
      ${!s
        ? html`<p class="muted" data-none>${this.item === 'conversation' ? t('suggestion:waiting') : t('suggestion:noneYet')}</p>`
        : !best
          ? html`<p class="muted" data-none>${t('suggestion:nothing')}</p>`
          : html`<p class="best ${best.confidence < 0.5 ? 'low' : ''}" data-best=${best.department.id}>
              ${t('suggestion:best', { service: best.service.name, department: best.department.name })}<span class="sure">${t('suggestion:sureWrap', { sure: this.sure(best.confidence) })}</span>
            </p>`}
      ${decision
        ? html`<p data-decision=${decision.outcome}>
            <strong>${decision.outcome === 'confirmed' ? t('suggestion:decision.confirmed') : t('suggestion:decision.changed', { department: decision.department.name })}</strong>
            <span class="when">${decision.by ? t('suggestion:decision.by', { name: decision.by.name }) : nothing}
              <time datetime=${decision.at} title=${fullDateTime(decision.at, this.timeZone)}>${dateTime(decision.at, this.timeZone)}</time></span>
          </p>`
        : nothing}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <p class="notice" role="status">${this.notice}</p>
      ${best && this.canRoute && !decision
        ? html`<div class="buttons">
            <button type="button" data-confirm ?disabled=${this.busy} @click=${this.confirm}>${best.department.id === this.current
              ? t('suggestion:keep', { department: best.department.name })
              : t('suggestion:confirm', { department: best.department.name })}</button>
          </div>`
        : nothing}
      ${others.length
        ? html`<h4 id="suggestion-others-h">${t('suggestion:others')}</h4>
            <ol class="others" aria-labelledby="suggestion-others-h">
              ${others.map((o) => html`<li data-other=${o.department.id}>
                <span>${t('suggestion:option', { service: o.service.name, department: o.department.name })} <span class="sure">${this.sure(o.confidence)}</span></span>
                ${this.canRoute && o.department.id !== this.current
                  ? html`<button type="button" class="secondary" ?disabled=${this.busy} @click=${() => this.sendTo(o)}
                      aria-label=${t('suggestion:sendToNamed', { department: o.department.name, service: o.service.name })}>${t('suggestion:sendTo')}</button>`
                  : nothing}
              </li>`)}
            </ol>`
        : nothing}
      ${best && this.canRoute ? html`<p class="hint">${(this.item === 'request' ? t('suggestion:elsewhere.request') : t('suggestion:elsewhere.conversation'))}</p>` : nothing}
    </section>`;
  }
}

/**
 * The metrics' tile of the suggestion's accuracy: how often the dispatcher kept the suggested
 * department (first suggestion, within the top 3), decided of suggested, per kind and per month.
 */
@customElement('staff-suggestion-metrics')
export class StaffSuggestionMetrics extends LitElement {
  static override styles = [
    base,
    css`
      :host { display: block; }
      section { display: grid; gap: 0.5em; }
      h3 { font-size: 0.85em; text-transform: uppercase; letter-spacing: 0.04em; color: var(--c-muted); }
      .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(9em, 1fr)); gap: 0.4em; }
      dl, dd { margin: 0; }
      .tile { padding: 0.4em 0.6em; display: grid; gap: 0.05em; }
      .tile .n { font-size: 1.35em; font-weight: 700; font-variant-numeric: tabular-nums; }
      .tile .l { font-size: 0.8em; color: var(--c-muted); }
      .wide { overflow-x: auto; }
      table { inline-size: 100%; border-collapse: collapse; font-size: 0.9em; }
      caption { text-align: start; font-weight: 700; padding-bottom: 0.3em; }
      th, td { padding: 0.25em 0.4em; border-block-end: 1px solid var(--c-border); text-align: start; }
      td.num, th.num { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
      .hint { font-size: 0.85em; color: var(--c-muted); overflow-wrap: anywhere; }
    `,
  ];

  protected readonly l10n = new LocalizeController(this);

  @property({ attribute: false }) figures?: SuggestionMetrics;

  private row(label: string, c: AccuracyCounts, key: string) {
    return html`<tr data-row=${key}>
      <th scope="row">${label}</th>
      <td class="num">${t('suggestion:metrics.decidedValue', { decided: number(c.decided), suggested: number(c.suggested) })}</td>
      <td class="num" data-top1>${percent(c.top1Rate)}</td>
      <td class="num" data-top3>${percent(c.top3Rate)}</td>
    </tr>`;
  }

  override render() {
    const m = this.figures;
    if (!m) return nothing;
    const caption = t('suggestion:metrics.caption');
    const head = (first: string) => html`<thead><tr><th scope="col">${first}</th><th scope="col" class="num">${t('suggestion:metrics.decided')}</th>
      <th scope="col" class="num">${t('suggestion:metrics.top1')}</th><th scope="col" class="num">${t('suggestion:metrics.top3')}</th></tr></thead>`;
    return html`<section aria-labelledby="accuracy-h" data-accuracy>
      <h3 id="accuracy-h">${t('suggestion:metrics.heading')}</h3>
      <dl class="tiles">
        <div class="tile card"><dt class="l">${t('suggestion:metrics.top1')}</dt><dd class="n" data-top1-rate>${percent(m.top1Rate)}</dd></div>
        <div class="tile card"><dt class="l">${t('suggestion:metrics.top3')}</dt><dd class="n" data-top3-rate>${percent(m.top3Rate)}</dd></div>
        <div class="tile card"><dt class="l">${t('suggestion:metrics.decided')}</dt><dd class="n" data-decided>${t('suggestion:metrics.decidedValue', { decided: number(m.decided), suggested: number(m.suggested) })}</dd></div>
      </dl>
      <p class="hint">${m.decided ? t('suggestion:metrics.explain') : t('suggestion:metrics.none')}</p>
      <div class="wide" tabindex="0" role="region" aria-label=${t('suggestion:metrics.kind')}><table data-table="accuracy-kind">
        ${head(t('suggestion:metrics.kind'))}
        <tbody>${this.row(t('suggestion:metrics.requests'), m.requests, 'requests')}${this.row(t('suggestion:metrics.conversations'), m.conversations, 'conversations')}</tbody>
      </table></div>
      ${m.byMonth.length
        ? html`<div class="wide" tabindex="0" role="region" aria-label=${caption}><table data-table="accuracy-month">
            <caption>${caption}</caption>
            ${head(t('suggestion:metrics.month'))}
            <tbody>${m.byMonth.map((x) => this.row(x.month, x, x.month))}</tbody>
          </table></div>`
        : nothing}
      <p class="hint" data-model>${t('suggestion:metrics.model', { model: m.model })}</p>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-suggestion': StaffSuggestion;
    'staff-suggestion-metrics': StaffSuggestionMetrics;
  }
}
