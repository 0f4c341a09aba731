/**
 * 回访: the residents to call — a phone given, no rating some days after the answer — with the
 * number on demand (audited) and the call's outcome: reached with the resident's rating, or not
 * reached (three times: unreachable). Strings: the `returnVisits` namespace.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ReturnVisitItem, ReturnVisitList } from '../server/loop/ratings-api.js';
import { RATING_LEVELS } from '../server/loop/ratings-api.js';
import { base } from './console-styles.js';
import { LocalizeController, dateTime, t } from './i18n.js';
import type { StaffClient } from './staff-client.js';

/** @property client - the console's staff client */
@customElement('staff-return-visits')
export class StaffReturnVisits extends LitElement {
  static override styles = [
    base,
    css`
      :host { display: block; }
      ul { list-style: none; padding: 0; }
      li { border-block-end: 1px solid #ddd; padding-block: 0.6em; }
      fieldset { border: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.3em 1em; }
      legend { inline-size: 100%; }
    `,
  ];

  protected readonly l10n = new LocalizeController(this);

  @property({ attribute: false }) client?: StaffClient;

  @state() private data?: ReturnVisitList;
  @state() private phones: Record<string, string> = {};
  @state() private error = '';
  @state() private notice = '';
  @state() private canCall = true;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  async load(): Promise<void> {
    if (!this.client) return;
    try {
      this.data = await this.client.returnVisits();
      this.error = '';
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private async showPhone(reference: string) {
    try {
      const contact = await this.client!.requestContact(reference);
      this.phones = { ...this.phones, [reference]: contact?.phone ?? '' };
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private async record(event: SubmitEvent, item: ReturnVisitItem) {
    event.preventDefault();
    const values = new FormData(event.target as HTMLFormElement);
    const reached = values.get('reached') === 'yes';
    const rating = Number(values.get('rating'));
    const solved = values.get('solved');
    const comment = String(values.get('comment') ?? '').trim();
    if (reached && (!rating || !solved)) {
      this.error = t('returnVisits:form.needRating');
      return;
    }
    try {
      await this.client!.recordReturnVisit(item.reference, reached
        ? { reached, rating, solved: solved === 'yes', ...(comment ? { comment } : {}) }
        : { reached, ...(comment ? { comment } : {}) });
      this.notice = t('returnVisits:form.done', { reference: item.reference });
      this.error = '';
      await this.load();
    } catch (e) {
      const status = (e as { status?: number }).status;
      if (status === 403) this.canCall = false;
      this.error = (e as Error).message;
    }
  }

  private renderItem(item: ReturnVisitItem) {
    const id = item.reference.replace(/[^A-Za-z0-9]/g, '');
    return html`<li data-reference=${item.reference}>
      <p><a href="#/request/${encodeURIComponent(item.reference)}"><strong>${item.reference}</strong></a>
        ${item.service.name} · ${item.office.name} · ${item.site.name}</p>
      <p class="muted">${t('returnVisits:answered')} <time datetime=${item.answeredAt}>${dateTime(item.answeredAt)}</time>
        ${item.tries ? html` · ${t('returnVisits:tries', { count: item.tries })}` : nothing}</p>
      <p>${this.phones[item.reference] !== undefined
        ? html`<a data-phone href="tel:${this.phones[item.reference]}">${this.phones[item.reference]}</a>`
        : html`${item.phoneHint} <button type="button" data-show-phone @click=${() => this.showPhone(item.reference)}>${t('returnVisits:showPhone')}</button>`}</p>
      ${this.canCall
        ? html`<form @submit=${(e: SubmitEvent) => this.record(e, item)} aria-label=${t('returnVisits:form.title', { reference: item.reference })}>
            <fieldset><legend>${t('returnVisits:form.reached')}</legend>
              <label><input type="radio" name="reached" value="yes" checked /> ${t('returnVisits:form.yes')}</label>
              <label><input type="radio" name="reached" value="no" /> ${t('returnVisits:form.no')}</label></fieldset>
            <fieldset><legend>${t('returnVisits:form.rating')}</legend>
              ${RATING_LEVELS.map((level, i) => html`<label><input type="radio" name="rating" value=${5 - i} /> ${t(`ratings:level.${level}`)}</label>`)}</fieldset>
            <fieldset><legend>${t('returnVisits:form.solved')}</legend>
              <label><input type="radio" name="solved" value="yes" /> ${t('ratings:solved')}</label>
              <label><input type="radio" name="solved" value="no" /> ${t('ratings:notSolved')}</label></fieldset>
            <label for="rv-comment-${id}">${t('returnVisits:form.comment')}</label>
            <textarea id="rv-comment-${id}" name="comment" rows="2" maxlength="2000"></textarea>
            <button type="submit">${t('returnVisits:form.submit')}</button>
          </form>`
        : nothing}
    </li>`;
  }

  override render() {
    const d = this.data;
    return html`<section aria-labelledby="rv-h">
      <h2 id="rv-h">${t('returnVisits:title')}</h2>
      <p class="muted">${t('returnVisits:intro', { days: d?.days ?? 3 })}</p>
      <p class="notice" role="status">${this.notice}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${d ? (d.items.length ? html`<ul>${d.items.map((i) => this.renderItem(i))}</ul>` : html`<p>${t('returnVisits:empty')}</p>`) : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-return-visits': StaffReturnVisits;
  }
}
