/**
 * "Possible duplicates" in the request view: how many residents follow the item, what was merged
 * into it or where it went, and open items like it (same service, nearby) with their text; the
 * dispatcher merges the item into one of them ("合并到…") with a note the resident reads. Strings:
 * the `duplicates` namespace (locales/<lng>/duplicates.json).
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { StaffRequestDetail } from '../server/staff/staff-api.js';
import type { DuplicatesResponse } from '../server/loop/duplicates.js';
import { base } from './console-styles.js';
import { detail } from './detail-styles.js';
import { LocalizeController, dateTime, number, t } from './i18n.js';
import type { StaffClient } from './staff-client.js';

/**
 * @property client - the console's staff client
 * @property request - the request shown
 * @property staffRole - the signed-in person's role: only the dispatcher merges
 * @fires item-changed - after a merge (bubbles, composed): the console reloads the item and the queue
 */
@customElement('staff-duplicates')
export class StaffDuplicates extends LitElement {
  static override styles = [
    base,
    detail,
    css`
      :host { display: block; }
      ul.similar { list-style: none; margin: 0; padding: 0; }
      ul.similar li { border-block-start: 1px solid var(--c-border, #ddd); padding-block: 0.5em; display: grid; gap: 0.25em; }
      textarea { inline-size: 100%; box-sizing: border-box; }
    `,
  ];

  protected readonly l10n = new LocalizeController(this);

  @property({ attribute: false }) client?: StaffClient;
  @property({ attribute: false }) request?: StaffRequestDetail;
  @property() staffRole = '';

  @state() private data?: DuplicatesResponse;
  @state() private error = '';
  @state() private notice = '';
  @state() private busy = false;
  /** The reference chosen to merge into (the note form opens under it). */
  @state() private into = '';

  protected override willUpdate(changed: PropertyValues<this>) {
    const before = changed.get('request') as StaffRequestDetail | undefined;
    const r = this.request;
    if ((changed.has('request') || changed.has('client')) && r && this.client && (!before || before.reference !== r.reference || before.updatedAt !== r.updatedAt || !this.data)) {
      if (before?.reference !== r.reference) {
        this.data = undefined;
        this.notice = '';
        this.into = '';
      }
      void this.load();
    }
  }

  async load(): Promise<void> {
    const reference = this.request?.reference;
    if (!reference || !this.client) return;
    try {
      const data = await this.client.duplicates(reference);
      if (reference !== this.request?.reference) return;
      this.data = data;
      this.error = '';
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private get zone() {
    return this.request?.timeZone ?? 'Asia/Shanghai';
  }

  private async merge(event: SubmitEvent) {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const note = String(new FormData(form).get('note') ?? '').trim();
    const into = this.into;
    this.busy = true;
    this.error = '';
    try {
      await this.client!.merge(this.request!.reference, into, note || undefined);
      this.into = '';
      this.notice = t('duplicates:merged', { into });
      await this.load();
      this.dispatchEvent(new CustomEvent('item-changed', { bubbles: true, composed: true }));
    } catch (e) {
      const fields = (e as { fields?: Record<string, string> }).fields ?? {};
      this.error = fields.into ?? (e as Error).message;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const d = this.data;
    if (!d) return this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing;
    const open = !d.mergedInto && this.request?.status !== 'closed';
    const canMerge = open && this.staffRole === 'dispatcher';
    return html`<section class="card panel" aria-labelledby="duplicates-h">
      <h3 id="duplicates-h">${t('duplicates:title')}</h3>
      <p data-followers>${d.followers
        ? t('duplicates:followers', { count: d.followers, n: number(d.followers) })
        : t('duplicates:noFollowers')}</p>
      ${d.mergedInto
        ? html`<p data-merged-into>${t('duplicates:mergedInto')} <a href=${`#/request/${encodeURIComponent(d.mergedInto)}`}>${d.mergedInto}</a></p>`
        : nothing}
      ${d.mergedFrom.length
        ? html`<p data-merged-from>${t('duplicates:mergedFrom')} ${d.mergedFrom.map((m, i) => html`${i ? '、' : ''}<a href=${`#/request/${encodeURIComponent(m.reference)}`}>${m.reference}</a>`)}</p>`
        : nothing}
      <p class="notice" role="status">${this.notice}</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${open
        ? d.similar.length
          ? html`<h4>${t('duplicates:similar', { count: d.similar.length })}</h4>
              <ul class="similar">${d.similar.map((s) => html`<li data-similar=${s.reference}>
                <span><a href=${`#/request/${encodeURIComponent(s.reference)}`}><strong>${s.reference}</strong></a>
                  <span class="badge status-${s.status}">${t(`common:status.${s.status}`)}</span></span>
                <span class="hint">${s.site.name} · ${s.routedTo.name} · ${dateTime(s.createdAt, this.zone)}${s.distanceM ? ` · ${t('duplicates:distance', { m: number(s.distanceM) })}` : ''}${s.followers ? ` · ${t('duplicates:followers', { count: s.followers, n: number(s.followers) })}` : ''}</span>
                <span class="text">${s.preview}</span>
                ${canMerge && this.into !== s.reference
                  ? html`<div class="buttons"><button type="button" class="secondary" @click=${() => { this.into = s.reference; this.notice = ''; }}>${t('duplicates:mergeInto', { into: s.reference })}</button></div>`
                  : nothing}
                ${canMerge && this.into === s.reference
                  ? html`<form @submit=${this.merge} aria-labelledby="merge-h">
                      <h4 id="merge-h">${t('duplicates:mergeTitle', { into: s.reference })}</h4>
                      <p class="hint">${t('duplicates:mergeHint', { into: s.reference })}</p>
                      <label for="merge-note">${t('duplicates:note')}</label>
                      <textarea id="merge-note" name="note" rows="2" maxlength="2000"></textarea>
                      <div class="buttons">
                        <button type="button" class="secondary" @click=${() => (this.into = '')}>${t('duplicates:cancel')}</button>
                        <button type="submit" ?disabled=${this.busy}>${t('duplicates:confirm')}</button>
                      </div>
                    </form>`
                  : nothing}
              </li>`)}</ul>`
          : html`<p class="muted">${t('duplicates:none')}</p>`
        : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'staff-duplicates': StaffDuplicates;
  }
}
