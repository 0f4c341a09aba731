/**
 * 好差评 in the request view: each round's rating on the five-level scale with "solved?", where it
 * came from, whether it sent the item back (退回重办) and the redo's limit; appeals with their
 * reasons, and for supervisors the appeal form. Strings: the `ratings` namespace.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { StaffRequestDetail } from '../server/staff/staff-api.js';
import type { RatedRound, RatingsView } from '../server/loop/ratings-api.js';
import { base } from './console-styles.js';
import { detail } from './detail-styles.js';
import { LocalizeController, dateTime, t } from './i18n.js';
import type { StaffClient } from './staff-client.js';

/**
 * @property client - the console's staff client
 * @property request - the request shown (its changes reload the ratings)
 */
@customElement('staff-ratings')
export class StaffRatings extends LitElement {
  static override styles = [
    base,
    detail,
    css`
      :host { display: block; }
      .bad { background: #fde2e1; color: #8a1c14; }
      .good { background: #e3f4e6; color: #1d5e2a; }
      textarea { inline-size: 100%; box-sizing: border-box; }
    `,
  ];

  protected readonly l10n = new LocalizeController(this);

  @property({ attribute: false }) client?: StaffClient;
  @property({ attribute: false }) request?: StaffRequestDetail;

  @state() private data?: RatingsView;
  @state() private error = '';
  @state() private appealing?: number;
  @state() private busy = false;

  protected override willUpdate(changed: PropertyValues<this>) {
    const before = changed.get('request') as StaffRequestDetail | undefined;
    const r = this.request;
    if ((changed.has('request') || changed.has('client')) && r && this.client && (!before || before.updatedAt !== r.updatedAt || before.reference !== r.reference || !this.data)) {
      void this.load();
    }
  }

  async load(): Promise<void> {
    const reference = this.request?.reference;
    if (!reference || !this.client) return;
    try {
      const data = await this.client.ratings(reference);
      if (reference === this.request?.reference) this.data = data;
      this.error = '';
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private zone() {
    return this.request?.timeZone ?? 'Asia/Shanghai';
  }

  private async appeal(event: SubmitEvent, round: number) {
    event.preventDefault();
    const reason = String(new FormData(event.target as HTMLFormElement).get('reason') ?? '').trim();
    if (!reason) {
      this.error = t('ratings:appeal.reasonRequired');
      return;
    }
    this.busy = true;
    try {
      this.data = await this.client!.appealRating(this.request!.reference, round, { reason });
      this.appealing = undefined;
      this.error = '';
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.busy = false;
    }
  }

  private renderRound(r: RatedRound) {
    const bad = r.sentBack;
    return html`<li data-round=${r.round}>
      <span><strong>${t('ratings:round', { round: r.round })}</strong>
        <span class="badge ${bad ? 'bad' : 'good'}" data-level=${r.level}>${t(`ratings:level.${r.level}`)}</span>
        <span class="badge">${t(r.solved ? 'ratings:solved' : 'ratings:notSolved')}</span></span>
      <span class="muted">${t(`ratings:channel.${r.channel}`)} · ${r.office.name} · <time datetime=${r.at}>${dateTime(r.at, this.zone())}</time></span>
      ${r.comment ? html`<span class="text">${r.comment}</span>` : nothing}
      ${bad ? html`<span data-sent-back>${t('ratings:sentBack')}</span>` : nothing}
      ${r.appeals.map((a) => html`<span data-appeal>${t('ratings:appeal.by', { name: a.by.name ?? '' })}: ${a.reason}</span>`)}
      ${this.data?.canAppeal
        ? this.appealing === r.round
          ? html`<form @submit=${(e: SubmitEvent) => this.appeal(e, r.round)}>
              <label for="appeal-${r.round}">${t('ratings:appeal.reason')}</label>
              <textarea id="appeal-${r.round}" name="reason" rows="2" maxlength="1000"></textarea>
              <button type="submit" ?disabled=${this.busy}>${t('ratings:appeal.submit')}</button>
            </form>`
          : html`<button type="button" data-appeal-open @click=${() => (this.appealing = r.round)}>${t('ratings:appeal.open')}</button>`
        : nothing}
    </li>`;
  }

  override render() {
    const d = this.data;
    if (!d) return this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing;
    return html`<section class="card panel" aria-labelledby="ratings-h">
      <h3 id="ratings-h">${t('ratings:title')}</h3>
      ${d.redo
        ? html`<p data-redo><span class="badge bad">${t('ratings:redo')}</span> ${t('ratings:redoDue', { office: d.redo.office.name })}
            ${d.redo.due ? html`<time datetime=${d.redo.due}>${dateTime(d.redo.due, this.zone())}</time>` : nothing}</p>`
        : nothing}
      ${d.ratings.length ? html`<ol class="timeline">${d.ratings.map((r) => this.renderRound(r))}</ol>` : html`<p class="muted">${t('ratings:none')}</p>`}
      ${d.calls.length ? html`<p class="muted" data-calls>${t('ratings:calls', { count: d.calls.length })}</p>` : nothing}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-ratings': StaffRatings;
  }
}
